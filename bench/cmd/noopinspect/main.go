// Command noopinspect is noopfacts plus a requirement of inspect.Analyzer,
// as httpleakcheck had until it built its inspectors itself: it shows what
// the inspector of every package, which the checker keeps to the end of
// the run, adds to the floor.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// fact is declared and never exported.
type fact struct{}

func (*fact) AFact() {}

var analyzer = &analysis.Analyzer{
	Name:      "noopinspect",
	Doc:       "does nothing but declare a fact type and require inspect",
	FactTypes: []analysis.Fact{new(fact)},
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(analyzer) }
