package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// FuzzAnalyzer feeds arbitrary source text through the parser and a type
// checker that tolerates errors (a partial types.Info, as golangci-lint
// may hand over), then runs the analyzer: it must never panic. The seed
// corpus is every fixture file; go test runs the seeds, go test -fuzz
// explores from them.
func FuzzAnalyzer(f *testing.F) {
	err := filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".go" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f.Add(string(data))
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", nil)
	f.Fuzz(func(t *testing.T, src string) {
		file, _ := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.AllErrors)
		if file == nil {
			return
		}
		info := newTypesInfo()
		conf := types.Config{
			Importer:    imp,
			Error:       func(error) {}, // keep going: a partial types.Info
			FakeImportC: true,
			Sizes:       types.SizesFor("gc", runtime.GOARCH),
		}
		pkg, _ := conf.Check(file.Name.Name, fset, []*ast.File{file}, info)
		files := []*ast.File{file}
		pass := testPass(fset, files, pkg, info, conf.Sizes, func(analysis.Diagnostic) {})
		if err := testRun(pass); err != nil {
			t.Fatal(err)
		}
	})
}
