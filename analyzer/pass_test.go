package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// newTypesInfo returns a types.Info that records all the analyzer reads.
func newTypesInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Instances:    make(map[*ast.Ident]types.Instance),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		FileVersions: make(map[*ast.File]string),
	}
}

// testPass returns a pass of Analyzer over one type-checked package,
// built by hand, with the result of inspect.Analyzer, that sends its
// diagnostics to report. Run it with testRun.
func testPass(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info, sizes types.Sizes, report func(analysis.Diagnostic)) *analysis.Pass {
	return &analysis.Pass{
		Analyzer:          Analyzer,
		Fset:              fset,
		Files:             files,
		Pkg:               pkg,
		TypesInfo:         info,
		TypesSizes:        sizes,
		Report:            report,
		ResultOf:          map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(files)},
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
	}
}

// testRun runs pass.Analyzer as the drivers do: summariesAnalyzer first,
// on a pass of its own over the same package whose facts stay in memory
// (none are imported from other packages), then pass.Analyzer with its
// result.
func testRun(pass *analysis.Pass) error {
	facts := make(map[types.Object]analysis.Fact)
	sp := *pass
	sp.Analyzer = summariesAnalyzer
	sp.Report = func(analysis.Diagnostic) {}
	sp.ResultOf = nil
	sp.ExportObjectFact = func(obj types.Object, f analysis.Fact) { facts[obj] = f }
	sp.ImportObjectFact = func(obj types.Object, f analysis.Fact) bool {
		got, ok := facts[obj]
		if ok {
			*f.(*flow.Fact) = *got.(*flow.Fact)
		}
		return ok
	}
	res, err := summariesAnalyzer.Run(&sp)
	if err != nil {
		return err
	}
	pass.ResultOf[summariesAnalyzer] = res
	_, err = pass.Analyzer.Run(pass)
	return err
}
