// Command noopfacts is the floor of the corpus benchmark for analyzers
// that declare facts, as httpleakcheck does: an analyzer that does nothing
// but declares one fact type. The checker then parses and type-checks
// every dependency from source and runs the analyzer on each of them.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// fact is declared and never exported.
type fact struct{}

func (*fact) AFact() {}

var analyzer = &analysis.Analyzer{
	Name:      "noopfacts",
	Doc:       "does nothing but declare a fact type: the floor of analyzers with facts",
	FactTypes: []analysis.Fact{new(fact)},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(analyzer) }
