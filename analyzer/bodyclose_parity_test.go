package analyzer_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	// bodyclose's test suite is read from its module, pinned in go.mod
	// (and kept there by this import), never copied into this repository.
	_ "github.com/timakin/bodyclose/passes/bodyclose"
)

// bodycloseSuite is what httpleakcheck reports on bodyclose's own test
// suite (passes/bodyclose/testdata/src), by file:line of each of its 19
// `// want` lines and of its //bodyclose:handled call sites.
var bodycloseSuite = struct {
	// Real leaks: the body check reports them.
	leaks []string
	// Read to their end by a helper, never closed: their connection went
	// back to the pool, so only the opt-in bodyeof check reports them.
	readToEnd []string
	// Closed but never read: only the drain check reports them, in a
	// module on a go line before 1.27 (bodyclose's is 1.22).
	unread []string
	// Not reported: what bodyclose's own file labels as its false
	// positives (the body is read, by a Read call or by a helper), and the
	// calls of //bodyclose:handled functions.
	quiet []string
}{
	leaks: []string{
		"a/a.go:47", "a/a.go:53", "a/a.go:59", // printed, never closed
		"a/a.go:68", "a/a.go:75", // discarded, dropped
		"a/a.go:87",          // a closure that closes it, never called
		"a/defer_crash.go:9", // a deferred function literal that does not close it
		"a/handledresponse.go:21",
		"a/issue4.go:9",  // a function that does not close it
		"a/issue4.go:17", // wrapped by http.MaxBytesReader, and the wrapper dropped
		"a/no_import.go:4",
		"consumption/consumption.go:152", // neither closed nor read
	},
	readToEnd: []string{"a/closebycall.go:9"}, // a helper that reads it to its end, panicking if it cannot
	unread: []string{
		"consumption/consumption.go:143", "consumption/consumption.go:166",
		"consumption/consumption.go:180", "consumption/consumption.go:189",
	},
	quiet: []string{
		"consumption/consumption.go:105", "consumption/consumption.go:117", // labelled false positives
		"a/handledresponse.go:19", "a/handledresponse.go:20", // //bodyclose:handled
	},
}

// TestBodycloseSuite runs httpleakcheck over bodyclose's test suite, as
// a module on bodyclose's go line, with the default checks, with bodyeof
// and with drain, and checks every line of bodycloseSuite; nothing else
// may be reported.
func TestBodycloseSuite(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/timakin/bodyclose").Output()
	if err != nil {
		t.Fatalf("locating bodyclose's module: %v", err)
	}
	suite := filepath.Join(strings.TrimSpace(string(out)), "passes", "bodyclose", "testdata", "src")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module parity\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wants := 0
	for _, pkg := range []string{"a", "consumption", "handledresponse"} {
		files, err := filepath.Glob(filepath.Join(suite, pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no files in %s: %v", filepath.Join(suite, pkg), err)
		}
		if err := os.Mkdir(filepath.Join(dir, pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(data)
			wants += strings.Count(src, "// want")
			// In this module, its own package goes by the module's path;
			// bodyclose's wants are its messages, not ours.
			src = strings.ReplaceAll(src, `"handledresponse"`, `"parity/handledresponse"`)
			src = regexp.MustCompile(`// want .*`).ReplaceAllString(src, "")
			if err := os.WriteFile(filepath.Join(dir, pkg, filepath.Base(f)), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if wants != 19 {
		t.Errorf("bodyclose's suite has %d want lines, want 19: update bodycloseSuite", wants)
	}
	s := bodycloseSuite
	t.Run("default", func(t *testing.T) {
		got := suiteFindings(t, dir, analyzer.Analyzer, "./...")
		checkSuite(t, got, s.leaks, "body")
		checkSuite(t, got, slices.Concat(s.readToEnd, s.unread, s.quiet), "")
	})
	t.Run("bodyeof", func(t *testing.T) {
		got := suiteFindings(t, dir, analyzer.NewAnalyzer(analyzer.Config{Checks: []string{"body", "bodyeof"}}), "./...")
		checkSuite(t, got, s.leaks, "body")
		checkSuite(t, got, s.readToEnd, "bodyeof")
		checkSuite(t, got, slices.Concat(s.unread, s.quiet), "")
	})
	// As bodyclose's consumption mode, over its consumption package (its
	// other packages close bodies unread on purpose).
	t.Run("drain", func(t *testing.T) {
		got := suiteFindings(t, dir, analyzer.NewAnalyzer(analyzer.Config{Checks: []string{"body", "drain"}}), "./consumption")
		inPackage := func(line string) bool { return strings.HasPrefix(line, "consumption/") }
		checkSuite(t, got, slices.DeleteFunc(slices.Clone(s.leaks), func(l string) bool { return !inPackage(l) }), "body")
		checkSuite(t, got, s.unread, "drain")
		checkSuite(t, got, slices.DeleteFunc(slices.Clone(s.quiet), func(l string) bool { return !inPackage(l) }), "")
	})
}

// suiteFindings runs a over the packages of the module in dir that
// pattern matches and returns
// its findings: the checks reported, by file:line relative to dir. The
// module's own //want comments are gone, so analysistest's complaints
// (about facts) are not failures here.
func suiteFindings(t *testing.T, dir string, a *analysis.Analyzer, pattern string) map[string][]string {
	t.Helper()
	got := make(map[string][]string)
	for _, r := range analysistest.Run(quiet{t}, dir, a, pattern) {
		for _, d := range r.Diagnostics {
			p := r.Pass.Fset.Position(d.Pos)
			rel, err := filepath.Rel(dir, p.Filename)
			if err != nil {
				t.Fatal(err)
			}
			key := fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
			got[key] = append(got[key], d.Category)
		}
	}
	return got
}

// checkSuite checks that each line of lines is reported by check, and by
// nothing else ("": reported by nothing), and removes it from got; with
// check "", it also fails on any line of got left.
func checkSuite(t *testing.T, got map[string][]string, lines []string, check string) {
	t.Helper()
	for _, line := range lines {
		want := []string{check}
		if check == "" {
			want = nil
		}
		if !slices.Equal(got[line], want) {
			t.Errorf("%s: reported by %v, want %v", line, got[line], want)
		}
		delete(got, line)
	}
	if check == "" {
		for line, checks := range got {
			t.Errorf("%s: unexpected %v finding", line, checks)
		}
	}
}

// quiet is an analysistest.Testing that fails on nothing.
type quiet struct{ *testing.T }

func (quiet) Errorf(string, ...any) {}
