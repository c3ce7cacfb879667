package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// TestSyntaxError runs the command, standalone, with -vet and with
// -json, on a module whose packages do not parse (a call left open, a
// func literal's parameters left open), with test files, and on a
// pattern that matches no directory: the parse errors are printed once
// each and alone, with no type error about the parser's repairs (an
// "(ast: *ast.BadExpr)" in a message, a "missing return" without a
// position), and each package not analyzed is named; exit 1.
func TestSyntaxError(t *testing.T) {
	slow(t)
	exe := buildHTTPLeakCheck(t)
	dir := t.TempDir()
	writeSource(t, filepath.Join(dir, "go.mod"), "module example.com/syntax\n\ngo 1.26\n")
	writeSource(t, filepath.Join(dir, "call", "call.go"), `package call

import "net/http"

func F(u string) int {
	resp, err := http.Get(u
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
`)
	writeSource(t, filepath.Join(dir, "call", "call_test.go"), "package call\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {}\n")
	writeSource(t, filepath.Join(dir, "lit", "lit.go"), `package lit

import "net/http"

func F(u string) {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request {
		resp, _ := http.Get(u)
		_ = resp
	})
}
`)
	// A package that parses, and imports one that does not: analyzed,
	// without the facts of the broken one.
	writeSource(t, filepath.Join(dir, "user", "user.go"), "package user\n\nimport _ \"example.com/syntax/call\"\n")

	skipped := regexp.MustCompile(`^httpleakcheck: (\S+(?: \[\S+\])?): analysis skipped due to errors in package$`)
	for _, args := range [][]string{{"./..."}, {"-vet", "./..."}, {"-json", "./..."}, {"./nonexistent"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := run(t, dir, nil, append([]string{exe}, args...)...)
			r.want(t, "httpleakcheck "+strings.Join(args, " "), 1)
			seen := make(map[string]bool)
			var named []string
			for l := range strings.Lines(r.stderr) {
				l = strings.TrimSuffix(l, "\n")
				if seen[l] {
					t.Errorf("printed twice: %s", l)
				}
				seen[l] = true
				switch {
				case strings.Contains(l, "(ast:") || strings.HasPrefix(l, "-:") || strings.Contains(l, "missing return"):
					t.Errorf("a type error about the parser's repairs: %s", l)
				case strings.Contains(l, "analysis skipped"):
					m := skipped.FindStringSubmatch(l)
					if m == nil {
						t.Errorf("does not name the package it skipped: %s", l)
						continue
					}
					named = append(named, m[1])
				}
			}
			want := []string{"example.com/syntax/call", "example.com/syntax/call [example.com/syntax/call.test]", "example.com/syntax/lit"}
			mustSay := []string{"call/call.go:6:25: missing ',' before newline in argument list", "lit/lit.go:6:"}
			switch args[0] {
			case "./nonexistent":
				want = []string{"./nonexistent"}
				mustSay = []string{"./nonexistent: stat " + dir + "/nonexistent: directory not found"}
			case "-json":
				want = nil // said in the JSON
				var tree map[string]map[string]struct {
					Error string `json:"error"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
					t.Fatalf("-json output: %v\n%s", err, r.stdout)
				}
				for _, pkg := range []string{"example.com/syntax/call", "example.com/syntax/lit"} {
					if e := tree[pkg]["httpleakcheck"].Error; e != "analysis skipped due to errors in package" {
						t.Errorf("-json: %s: error %q, want the analysis skipped", pkg, e)
					}
				}
			}
			slices.Sort(named)
			if !slices.Equal(named, want) {
				t.Errorf("packages said to be skipped: %q, want %q\n%s", named, want, r.stderr)
			}
			for _, s := range mustSay {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}
