package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFixCorpus checks that the suggested fixes are safe on real code. It
// copies the modules of the small bench corpus (../bench/small.pkgs; the
// large one with HTTPLEAKCHECK_FIXCHECK=large) to a temporary directory,
// used through a go.work workspace with ../bench so that every other
// module keeps its version of bench/go.mod, applies httpleakcheck -fix to
// all their packages, test files included, and checks that every package
// and test package that compiled still compiles, that no file that was gofmt-clean is
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
	pkgs := benchPatterns(t, filepath.Join(bench, list))
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
		dst := filepath.Join(mods, path)
		if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		dropDirReplaces(t, dst)
		work += "use " + dst + "\n"
	}
	gowork := filepath.Join(t.TempDir(), "go.work")
	if err := os.WriteFile(gowork, []byte(work), 0o666); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOWORK=" + gowork}

	// compiled returns, for each package and test package, whether it
	// compiles (some test packages of the corpus do not, with the versions
	// of the workspace: those are left out of the comparison).
	compiled := func() map[string]bool {
		t.Helper()
		const format = "{{.ImportPath}}\t{{.Export}}\t{{if or .Error .DepsErrors}}failed{{end}}"
		r := run(t, bench, env, append([]string{"go", "list", "-e", "-test", "-export", "-f", format}, pkgs...)...)
		r.want(t, "go list -export", 0)
		ok := make(map[string]bool)
		for l := range strings.Lines(r.stdout) {
			f := strings.Split(strings.TrimSuffix(l, "\n"), "\t")
			if f[1] != "" || f[2] != "" { // else no Go files to compile
				ok[f[0]] = f[1] != ""
			}
		}
		return ok
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
	code := 0 // of httpleakcheck -json and -fix
	// findings counts the findings by file, check and message (a fix moves
	// the lines below it), and those with a fix.
	findings := func() (all, fixable map[string]int, n int) {
		t.Helper()
		r := run(t, bench, env, append([]string{hlc, "-json"}, pkgs...)...)
		r.want(t, "httpleakcheck -json", code)
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

	compiledBefore := compiled()
	if slices.Contains(slices.Collect(maps.Values(compiledBefore)), false) {
		code = 1 // httpleakcheck's exit code when a package does not type-check
	}
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

	run(t, bench, env, append([]string{hlc, "-fix"}, pkgs...)...).want(t, "httpleakcheck -fix", code)

	npkgs := 0
	for pkg, ok := range compiled() {
		if compiledBefore[pkg] {
			npkgs++
			if !ok {
				t.Errorf("%s compiled before the fixes, and does not after", pkg)
			}
		}
	}
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
	t.Logf("%s: %d modules, %d packages and test packages that compile (%d do not, before the fixes); %d findings before the fixes (%d with a fix), %d after; %d files changed; gofmt-unclean files (less testdata): %d before and after",
		list, len(copied), npkgs, len(compiledBefore)-npkgs, n, nfixable, nAfter, changed, len(uncleanBefore))
}

// dropDirReplaces drops the replace directives of the module in dir that
// point to a directory (such as "=> ../../" between the modules of one
// repository): its copy is alone, and the workspace picks the versions.
func dropDirReplaces(t *testing.T, dir string) {
	t.Helper()
	r := run(t, dir, nil, "go", "mod", "edit", "-json")
	r.want(t, "go mod edit -json", 0)
	var mod struct {
		Replace []struct {
			Old, New struct{ Path, Version string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &mod); err != nil {
		t.Fatal(err)
	}
	for _, rep := range mod.Replace {
		if rep.New.Version == "" {
			run(t, dir, nil, "go", "mod", "edit", "-dropreplace="+rep.Old.Path).want(t, "go mod edit -dropreplace", 0)
		}
	}
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
