package analyzer_test

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFixtures runs the analyzer over every fixture package in
// ../testdata/src, checking its // want comments and, where a file has a
// .golden file beside it, the result of applying the suggested fixes.
func TestFixtures(t *testing.T) {
	testdata, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(testdata, "src"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, e := range entries {
		// Folders named like a domain (github.com) hold stubs of
		// libraries that fixtures import: not fixtures themselves.
		if e.IsDir() && !strings.Contains(e.Name(), ".") {
			patterns = append(patterns, e.Name()+"/...")
		}
	}
	// One run for all packages: loading std from source is the slow part.
	results := analysistest.RunWithSuggestedFixes(t, testdata, analyzer.WithFacts(analyzer.Analyzer), patterns...)
	checkLeakMarkers(t, results, token.Position.String)
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{analyzer.Analyzer}); err != nil {
		t.Fatal(err)
	}
}

// checkLeakMarkers checks the related information of the body, drain and
// bodyeof diagnostics of results: each must point at a line with a "leaks
// here" comment, and each such comment must be pointed at by some
// diagnostic. where names a position in the messages.
func checkLeakMarkers(t *testing.T, results []*analysistest.Result, where func(token.Position) string) {
	t.Helper()
	pointed := make(map[string]bool) // file:line
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category != "body" && d.Category != "drain" && d.Category != "bodyeof" || len(d.Related) == 0 {
				continue
			}
			p := r.Pass.Fset.Position(d.Related[0].Pos)
			pointed[fmt.Sprintf("%s:%d", p.Filename, p.Line)] = true
			if !lineHas(t, p.Filename, p.Line, "leaks here") {
				t.Errorf("%s: related information of %q points at %s, a line without a \"leaks here\" comment",
					where(r.Pass.Fset.Position(d.Pos)), d.Message, where(p))
			}
		}
	}
	var missed []string
	for _, r := range results {
		for _, f := range r.Pass.Files {
			for _, cg := range f.Comments {
				if strings.TrimSpace(cg.Text()) == "leaks here" {
					p := r.Pass.Fset.Position(cg.Pos())
					if !pointed[fmt.Sprintf("%s:%d", p.Filename, p.Line)] {
						missed = append(missed, fmt.Sprintf("%s: no diagnostic's related information points at this leak", where(p)))
					}
				}
			}
		}
	}
	sort.Strings(missed)
	for _, m := range missed {
		t.Error(m)
	}
}

// lineHas reports whether line of file contains s.
func lineHas(t *testing.T, file string, line int, s string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	return line-1 < len(lines) && strings.Contains(lines[line-1], s)
}

// TestStrict checks that -strict reports directives that suppress nothing.
func TestStrict(t *testing.T) {
	testdata, err := filepath.Abs("../testdata/strict")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, analyzer.WithFacts(analyzer.NewAnalyzer(analyzer.Config{Strict: true})), "strict")
}

// TestDrain runs the opt-in drain check, with the others, over its
// fixtures. (TestDrainGoVersion checks that a module on go 1.27 or newer
// gets nothing.)
func TestDrain(t *testing.T) {
	testdata, err := filepath.Abs("../testdata/drain")
	if err != nil {
		t.Fatal(err)
	}
	all := analyzer.NewAnalyzer(analyzer.Config{Checks: []string{"body", "transport", "keepalive", "drain"}})
	results := analysistest.RunWithSuggestedFixes(t, testdata, analyzer.WithFacts(all), "drain")
	checkLeakMarkers(t, results, token.Position.String)
}

// TestBodyEOF runs the opt-in bodyeof check, with body, over its
// fixtures: bodies read to their end and dropped go to bodyeof, the paths
// where the read fails stay the body check's. (TestFixtures runs the
// same shapes without bodyeof: nothing is reported there for them.)
func TestBodyEOF(t *testing.T) {
	testdata, err := filepath.Abs("../testdata/bodyeof")
	if err != nil {
		t.Fatal(err)
	}
	a := analyzer.NewAnalyzer(analyzer.Config{Checks: []string{"body", "bodyeof"}})
	results := analysistest.RunWithSuggestedFixes(t, testdata, analyzer.WithFacts(a), "bodyeof")
	checkLeakMarkers(t, results, token.Position.String)
}

// TestBodyEOFAlone checks that -checks=bodyeof on its own reports what
// bodyeof reports beside body, and nothing of body's.
func TestBodyEOFAlone(t *testing.T) {
	testdata, err := filepath.Abs("../testdata/bodyeof")
	if err != nil {
		t.Fatal(err)
	}
	findings := func(checks ...string) []string {
		a := analyzer.NewAnalyzer(analyzer.Config{Checks: checks})
		// The // want comments name both checks' findings: a run of
		// one reports the other's as missing, which is what we compare.
		results := analysistest.Run(discard{}, testdata, analyzer.WithFacts(a), "bodyeof")
		var out []string
		for _, r := range results {
			for _, d := range r.Diagnostics {
				if d.Category == "bodyeof" {
					out = append(out, r.Pass.Fset.Position(d.Pos).String()+": "+d.Message)
				} else if !slices.Contains(checks, "body") {
					t.Errorf("-checks=%s reported a %s finding: %s", strings.Join(checks, ","), d.Category, d.Message)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	both, alone := findings("body", "bodyeof"), findings("bodyeof")
	if len(both) == 0 {
		t.Fatal("no bodyeof finding with body,bodyeof")
	}
	if !slices.Equal(both, alone) {
		t.Errorf("bodyeof alone reports\n%s\nbut beside body\n%s", strings.Join(alone, "\n"), strings.Join(both, "\n"))
	}
}

// discard is an analysistest.Testing that ignores unmet // want comments.
type discard struct{}

func (discard) Errorf(string, ...any) {}
