package analyzer_test

import (
	"os"
	"path/filepath"
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
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			analysistest.RunWithSuggestedFixes(t, testdata, analyzer.Analyzer, e.Name()+"/...")
		})
	}
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{analyzer.Analyzer}); err != nil {
		t.Fatal(err)
	}
}
