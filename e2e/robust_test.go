package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOddInput runs the command on odd but real input: a package that
// does not type-check (a clear error and exit 1, no crash), cgo, a
// generated file (analyzed like any other), generics and range-over-func,
// a huge generated file and deeply nested closures; and checks that the
// output is the same from one run to the next.
func TestOddInput(t *testing.T) {
	slow(t)
	exe := buildHTTPLeakCheck(t)
	dir := copyModule(t, "odd")

	broken := run(t, dir, nil, exe, "./broken")
	broken.want(t, "httpleakcheck ./broken", 1)
	if !strings.Contains(broken.stderr, "undefinedName") || strings.Contains(broken.stderr, "panic") {
		t.Errorf("httpleakcheck ./broken: want the type error and no panic, got:\n%s", broken.stderr)
	}

	// A huge file: 5,000 functions, each leaking one response.
	var huge strings.Builder
	huge.WriteString("package huge\n\nimport \"net/http\"\n\n")
	const n = 5000
	for i := range n {
		fmt.Fprintf(&huge, "func F%d(u string) int {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n\n", i)
	}
	writeSource(t, filepath.Join(dir, "huge", "huge.go"), huge.String())

	// Deeply nested closures: a response leaks in the innermost of 500.
	var deep strings.Builder
	deep.WriteString("package deep\n\nimport \"net/http\"\n\nfunc F(u string) {\n")
	const depth = 500
	for range depth {
		deep.WriteString("func() {\n")
	}
	deep.WriteString("resp, err := http.Get(u)\nif err != nil {\nreturn\n}\nprintln(resp.Status)\n")
	for range depth {
		deep.WriteString("}()\n")
	}
	deep.WriteString("}\n")
	writeSource(t, filepath.Join(dir, "deep", "deep.go"), deep.String())

	pkgs := []string{"./cgo", "./gen", "./generic", "./huge", "./deep"}
	first := run(t, dir, []string{"CGO_ENABLED=1"}, append([]string{exe}, pkgs...)...)
	first.want(t, "httpleakcheck "+strings.Join(pkgs, " "), 3)
	counts := make(map[string]int)
	for _, m := range regexp.MustCompile(`(?m)^.*/(\w+)/\w+\.go:\d+:\d+: \w`).FindAllStringSubmatch(first.stderr, -1) {
		counts[m[1]]++
	}
	want := map[string]int{"cgo": 1, "gen": 1, "generic": 2, "huge": n, "deep": 1}
	for pkg, c := range want {
		if counts[pkg] != c {
			t.Errorf("%s: %d findings, want %d\n%s", pkg, counts[pkg], c, tail(first.stderr, 20))
		}
	}
	second := run(t, dir, []string{"CGO_ENABLED=1"}, append([]string{exe}, pkgs...)...)
	if second.stderr != first.stderr {
		t.Errorf("the output differs from one run to the next")
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// writeSource writes a generated source file, and its directory.
func writeSource(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
