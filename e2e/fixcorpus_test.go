package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixCorpus checks that the suggested fixes are safe on real code. It
// copies the modules of the small bench corpus (../bench/small.pkgs; the
// large one with HTTPLEAKCHECK_FIXCHECK=large) to a temporary directory,
// used through a go.work workspace with ../bench so that every other
// module keeps its version of bench/go.mod, applies httpleakcheck -fix to
// all their packages, test files included, and checks that every package
// and test package still compiles, that no file that was gofmt-clean is
// unclean after, and that each finding that had a fix is gone on a re-run.
func TestFixCorpus(t *testing.T) {
	slow(t)
	list := "small.pkgs"
	if os.Getenv("HTTPLEAKCHECK_FIXCHECK") == "large" {
		list = "large.pkgs"
	}
	bench, err := filepath.Abs("../bench")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(bench, list))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			pkgs = append(pkgs, l)
		}
	}
	hlc := buildHTTPLeakCheck(t)
	goVersion := strings.TrimPrefix(strings.TrimSpace(run(t, bench, nil, "go", "env", "GOVERSION").stdout), "go")

	// The modules of the patterns, copied and used instead of the module cache.
	mods := filepath.Join(t.TempDir(), "mods")
	work := "go " + goVersion + "\n\nuse " + bench + "\n"
	r := run(t, bench, nil, append([]string{"go", "list", "-f", "{{.Module.Path}} {{.Module.Dir}}"}, pkgs...)...)
	r.want(t, "go list", 0)
	copied := make(map[string]bool)
	for l := range strings.Lines(r.stdout) {
		path, dir, _ := strings.Cut(strings.TrimSpace(l), " ")
		if copied[path] {
			continue
		}
		copied[path] = true
		if err := os.CopyFS(filepath.Join(mods, path), os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		work += "use " + filepath.Join(mods, path) + "\n"
	}
	gowork := filepath.Join(t.TempDir(), "go.work")
	if err := os.WriteFile(gowork, []byte(work), 0o666); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOWORK=" + gowork}

	compiles := func(when string) {
		t.Helper()
		run(t, bench, env, append([]string{"go", "build"}, pkgs...)...).want(t, "go build "+when, 0)
		run(t, bench, env, append([]string{"go", "list", "-test", "-export"}, pkgs...)...).want(t, "compiling the test packages "+when, 0)
	}
	unclean := func() map[string]bool {
		t.Helper()
		r := run(t, mods, nil, "gofmt", "-l", ".")
		files := make(map[string]bool)
		for l := range strings.Lines(r.stdout) {
			if l = strings.TrimSpace(l); !strings.Contains(l, "testdata") {
				files[l] = true
			}
		}
		return files
	}
	// findings counts the findings by file, check and message (a fix moves
	// the lines below it), and those with a fix.
	findings := func() (all, fixable map[string]int, n int) {
		t.Helper()
		r := run(t, bench, env, append([]string{hlc, "-json"}, pkgs...)...)
		r.want(t, "httpleakcheck -json", 0)
		all, fixable = make(map[string]int), make(map[string]int)
		seen := make(map[string]bool)
		for _, d := range parseJSON(t, mods, r.stdout) {
			if seen[d.Posn] {
				continue // a package and its test variant share files
			}
			seen[d.Posn] = true
			file, _, _ := strings.Cut(d.Posn, ".go:")
			key := fmt.Sprintf("%s.go: %s: %s", file, d.Category, d.Message)
			all[key]++
			if len(d.SuggestedFixes) > 0 {
				fixable[key]++
			}
			n++
		}
		return all, fixable, n
	}

	compiles("before the fixes")
	uncleanBefore := unclean()
	before := snapshot(t, mods)
	all, fixable, n := findings()
	nfixable := 0
	for _, c := range fixable {
		nfixable += c
	}
	if nfixable == 0 {
		t.Fatalf("no finding with a fix in the %s corpus: nothing to test", list)
	}

	run(t, bench, env, append([]string{hlc, "-fix"}, pkgs...)...).want(t, "httpleakcheck -fix", 0)

	compiles("after the fixes")
	for file := range unclean() {
		if !uncleanBefore[file] {
			t.Errorf("%s was gofmt-clean before the fixes, and is not after", file)
		}
	}
	allAfter, _, nAfter := findings()
	for key, c := range fixable {
		if allAfter[key] > all[key]-c {
			t.Errorf("%s: %d findings before, %d with a fix, %d after", key, all[key], c, allAfter[key])
		}
	}
	changed := 0
	after := snapshot(t, mods)
	for file, content := range after {
		if !bytes.Equal(before[file], content) {
			changed++
		}
	}
	t.Logf("%s: %d modules, %d findings before the fixes (%d with a fix), %d after; %d files changed; gofmt-unclean files (less testdata): %d before and after",
		list, len(copied), n, nfixable, nAfter, changed, len(uncleanBefore))
}

// snapshot returns the content of every Go file under dir, by path.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		files[path], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
