package analyzer_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// updateFindings rewrites the golden findings instead of comparing them.
var updateFindings = flag.Bool("update-findings", false, "rewrite the smoke tests' golden findings in ../bench/findings")

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
	got := vetSmoke(t, "", "std")
	compareFindings(t, "std.txt", got, nil)
}

// TestSmokeCorpus does the same over the bench corpus (real modules
// heavy on net/http clients), with their tests.
func TestSmokeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: vets the bench corpus")
	}
	list := "small.pkgs"
	large := os.Getenv("HTTPLEAKCHECK_SMOKE") == "large"
	if large {
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
	got := vetSmoke(t, "../bench", pkgs...)
	if large {
		compareFindings(t, "corpus.txt", got, nil)
		return
	}
	// The golden file holds the findings of the large corpus: compare
	// those in the packages vetted here.
	if *updateFindings {
		t.Fatal("-update-findings needs HTTPLEAKCHECK_SMOKE=large: the golden file holds the large corpus")
	}
	compareFindings(t, "corpus.txt", got, func(line string) bool {
		file := line[:strings.Index(line, ":")]
		if at := strings.Index(file, "@"); at >= 0 { // module@version/dir/file.go
			rest := file[at:]
			file = file[:at] + rest[strings.Index(rest, "/"):]
		}
		return slices.ContainsFunc(pkgs, func(p string) bool {
			return strings.HasPrefix(file, strings.TrimSuffix(p, "...")) // every pattern ends in /...
		})
	})
}

// vetSmoke runs go vet -json with this test binary as the vet tool in
// dir over pkgs, and fails on a crash or on any analyzer error. It
// returns the findings, one line each, sorted (see findingLine).
func vetSmoke(t *testing.T, dir string, pkgs ...string) []string {
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
	// {"pkg": {"httpleakcheck": [diagnostics] or {"error": ...}}},
	// with "go: downloading ..." lines on a machine that lacks a module.
	var js bytes.Buffer
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") && !strings.HasPrefix(sc.Text(), "go: ") {
			js.WriteString(sc.Text() + "\n")
		}
	}
	dec := json.NewDecoder(&js)
	diags, pkgCount := 0, 0
	var lines []string
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
				var list []vetDiagnostic
				if err := json.Unmarshal(raw, &list); err != nil {
					t.Errorf("%s: %s: %s", pkg, name, raw)
					continue
				}
				diags += len(list)
				for _, d := range list {
					lines = append(lines, findingLine(t, d))
				}
			}
		}
	}
	t.Logf("%d packages with findings, %d diagnostics", pkgCount, diags)
	slices.Sort(lines)
	return slices.Compact(lines) // a file in two variants of a package
}

// A vetDiagnostic is what go vet -json prints of a diagnostic.
type vetDiagnostic struct {
	Posn     string `json:"posn"`
	Category string `json:"category"`
	Message  string `json:"message"`
}

// findingLine returns how golden files write d: its position, with the
// file relative to GOROOT/src or the module cache, its category and its
// message.
//
//	net/http/client_test.go:123:9: [body] resp.Body is not closed ...
func findingLine(t *testing.T, d vetDiagnostic) string {
	posn := filepath.ToSlash(d.Posn)
	for _, dir := range []string{goEnv(t, "GOROOT") + "/src/", goEnv(t, "GOMODCACHE") + "/"} {
		posn = strings.TrimPrefix(posn, filepath.ToSlash(dir))
	}
	return fmt.Sprintf("%s: [%s] %s", posn, d.Category, d.Message)
}

// goEnv returns the value of go env name.
func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

// compareFindings compares got with the golden file ../bench/findings/name,
// or rewrites it with -update-findings. If keep is not nil, only the golden
// lines it keeps are expected. A refactor must not change these: a
// finding lost or gained is a regression unless shown to be a true one.
func compareFindings(t *testing.T, name string, got []string, keep func(string) bool) {
	t.Helper()
	golden := filepath.Join("..", "bench", "findings", name)
	if *updateFindings {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSuffix(line, "\n"); line != "" && (keep == nil || keep(line)) {
			want = append(want, line)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			t.Errorf("new finding (not in %s): %s", golden, l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			t.Errorf("lost finding (in %s): %s", golden, l)
		}
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
