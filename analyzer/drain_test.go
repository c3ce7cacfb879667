package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestDrainGoVersion runs the drain check over its fixture as the code
// of modules on several go lines: from 1.27, Close drains the body, and
// the check reports nothing. (The toolchain that runs the tests may be
// older than the go line, so the pass is built by hand.)
func TestDrainGoVersion(t *testing.T) {
	src, err := os.ReadFile("../testdata/drain/src/drain/drain.go")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		goVersion string
		want      int // drain findings
	}{
		{"1.26", 2},
		{"1.26.8", 2},
		{"1.27", 0},
		{"1.28rc1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.goVersion, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "drain.go", src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			info := newTypesInfo()
			conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), Sizes: types.SizesFor("gc", runtime.GOARCH)}
			pkg, err := conf.Check("drain", fset, []*ast.File{f}, info)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			pass := testPass(fset, []*ast.File{f}, pkg, info, conf.Sizes, func(d analysis.Diagnostic) {
				if d.Category == nameDrain {
					got++
				}
			})
			pass.Module = &analysis.Module{Path: "drain", GoVersion: tt.goVersion}
			a := NewAnalyzer(Config{Checks: []string{nameBody, nameDrain}})
			pass.Analyzer = a
			if err := testRun(pass); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("go %s: %d drain findings, want %d", tt.goVersion, got, tt.want)
			}
		})
	}
}
