package analyzer

import (
	"go/types"
	"reflect"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
)

// summariesAnalyzer summarizes what every function of every package does
// with responses, connection pools and dial funcs, and exports each
// summary as a fact (flow.Fact). It runs on every dependency of the
// packages checked, and reports nothing; the Analyzer that reports
// requires it, and runs the checks (and passes/inspect) only on the
// packages it checks.
var summariesAnalyzer = &analysis.Analyzer{
	Name:       "httpleaksummaries",
	Doc:        "summarize what functions do with HTTP responses, connection pools and dial funcs, for httpleakcheck",
	URL:        docURL("README.md#how-it-works-and-what-it-costs"),
	FactTypes:  []analysis.Fact{new(flow.Fact)},
	ResultType: reflect.TypeFor[*summaryFacts](),
	Run:        runSummaries,
}

// summaryFacts is summariesAnalyzer's result: how the checks of the same
// package read the summaries it exported, and those it imported.
type summaryFacts struct {
	importFact func(types.Object, analysis.Fact) bool
}

// runSummaries summarizes every function of the package of pass and
// exports the summaries that say something. It builds no inspector
// unless a summarizer needs one, and keeps none.
func runSummaries(pass *analysis.Pass) (any, error) {
	c := newChecker(pass, &Config{}, flow.Options{})
	c.ExportFacts()
	if pass.Pkg.Name() != "main" {
		exportInterfaceFacts(c)
		exportDialerVars(c)
		exportFactoryVars(c)
		c.ExportFuncVars()
	}
	return &summaryFacts{importFact: pass.ImportObjectFact}, nil
}
