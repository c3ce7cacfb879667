package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
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
	checkLeakMarkers(t, results)
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{analyzer.Analyzer}); err != nil {
		t.Fatal(err)
	}
}

// checkLeakMarkers checks the related information of body, drain and bodyeof diagnostics:
// each must point at a line with a "leaks here" comment, and each such
// comment must be pointed at by some diagnostic.
func checkLeakMarkers(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	pointed := make(map[string]bool) // file:line
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category != "body" && d.Category != "drain" && d.Category != "bodyeof" || len(d.Related) == 0 {
				continue
			}
			p := r.Pass.Fset.Position(d.Related[0].Pos)
			key := fmt.Sprintf("%s:%d", p.Filename, p.Line)
			pointed[key] = true
			if !lineHas(t, p.Filename, p.Line, "leaks here") {
				t.Errorf("%s: related information of %q points at a line without a \"leaks here\" comment",
					r.Pass.Fset.Position(d.Pos), d.Message)
			}
		}
	}
	for _, r := range results {
		for _, f := range r.Pass.Files {
			for _, cg := range f.Comments {
				if strings.TrimSpace(cg.Text()) == "leaks here" {
					p := r.Pass.Fset.Position(cg.Pos())
					if !pointed[fmt.Sprintf("%s:%d", p.Filename, p.Line)] {
						t.Errorf("%s: no diagnostic's related information points at this leak", p)
					}
				}
			}
		}
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
	checkLeakMarkers(t, results)
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
	checkLeakMarkers(t, results)
}
