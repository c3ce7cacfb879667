package analyzer_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// vetToolEnv makes the test binary act as the vet tool (see TestMain).
const vetToolEnv = "HTTPLEAKCHECK_VETTOOL"

func TestMain(m *testing.M) {
	if os.Getenv(vetToolEnv) == "1" {
		unitchecker.Main(analyzer.Analyzer)
	}
	os.Exit(m.Run())
}

// TestSmokeStd runs the analyzer under the real go vet over the whole
// standard library: no panic, no analyzer error, on any package.
func TestSmokeStd(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: vets all of std")
	}
	vetSmoke(t, "", "std")
}

// TestSmokeCorpus does the same over the bench corpus (real modules
// heavy on net/http clients), with their tests.
func TestSmokeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: vets the bench corpus")
	}
	list := "small.pkgs"
	if os.Getenv("HTTPLEAKCHECK_SMOKE") == "large" {
		list = "large.pkgs"
	}
	data, err := os.ReadFile("../bench/" + list)
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			pkgs = append(pkgs, line)
		}
	}
	vetSmoke(t, "../bench", pkgs...)
}

// vetSmoke runs go vet -json with this test binary as the vet tool in
// dir over pkgs, and fails on a crash or on any analyzer error.
func vetSmoke(t *testing.T, dir string, pkgs ...string) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + exe, "-json"}, pkgs...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), vetToolEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go vet failed: %v\n%s", err, tail(out.String(), 40))
	}
	// The output is a stream of "# package" lines and JSON objects:
	// {"pkg": {"httpleakcheck": [diagnostics] or {"error": ...}}}.
	var js bytes.Buffer
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			js.WriteString(sc.Text() + "\n")
		}
	}
	dec := json.NewDecoder(&js)
	diags, pkgCount := 0, 0
	for {
		var obj map[string]map[string]json.RawMessage
		if err := dec.Decode(&obj); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go vet -json output does not parse: %v", err)
		}
		for pkg, byAnalyzer := range obj {
			pkgCount++
			for name, raw := range byAnalyzer {
				var list []json.RawMessage
				if err := json.Unmarshal(raw, &list); err != nil {
					t.Errorf("%s: %s: %s", pkg, name, raw)
					continue
				}
				diags += len(list)
			}
		}
	}
	t.Logf("%d packages with findings, %d diagnostics", pkgCount, diags)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
