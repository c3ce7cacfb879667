// Command httpleakcheck reports net/http client code that leaks
// connections. Run it on packages, or as go vet -vettool.
package main

import (
	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
