package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
)

// WithFacts returns an Analyzer that runs a (an Analyzer of this package)
// and shows, as facts of its own, the summaries that summariesAnalyzer
// exported for the package's functions: what analysistest checks the
// fixtures' fact expectations (// want f:"...") against, since a, which
// declares no facts, has none to show.
func WithFacts(a *analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:      a.Name,
		Doc:       a.Doc,
		URL:       a.URL,
		Requires:  a.Requires,
		FactTypes: []analysis.Fact{new(shownFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			res, err := a.Run(pass)
			if err != nil {
				return res, err
			}
			facts := pass.ResultOf[summariesAnalyzer].(*summaryFacts)
			for _, f := range pass.Files {
				for _, d := range f.Decls {
					fd, ok := d.(*ast.FuncDecl)
					if !ok {
						continue
					}
					fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
					var fact flow.Fact
					if ok && facts.importFact(fn, &fact) {
						pass.ExportObjectFact(fn, &shownFact{fact.String()})
					}
				}
			}
			return res, nil
		},
	}
}

// A shownFact is a summary, as WithFacts shows it.
type shownFact struct{ S string }

func (*shownFact) AFact()           {}
func (f *shownFact) String() string { return f.S }
