// Command noop is the floor of the corpus benchmark for analyzers that
// declare no facts: an analyzer that does nothing. The checker then reads
// the dependencies of the packages it analyzes from export data.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

var analyzer = &analysis.Analyzer{
	Name: "noop",
	Doc:  "does nothing: the floor of loading and type-checking the packages",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(analyzer) }
