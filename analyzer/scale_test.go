package analyzer

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// The scaling benchmarks run Analyzer over generated packages whose size
// grows with n, to check that the time per unit of n stays flat: a path-
// sensitive analysis must not explode on many branches, responses or
// functions. Each shape comes in a closed variant, where every response
// is closed, and a leaked one, where none is, so that the search for a
// leaking path covers every path.
var scaleShapes = []struct {
	name string
	gen  func(w *strings.Builder, n int, leak bool)
	// leaks is the number of diagnostics of the leaked variant.
	leaks func(n int) int
}{
	{"Ifs", genIfs, func(int) int { return 1 }},
	{"Responses", genResponses, func(n int) int { return n }},
	{"Funcs", genFuncs, func(n int) int { return n }},
}

var scaleSizes = []int{100, 1000, 10000}

// genIfs writes one function with one response and n sequential ifs
// between the request and the close.
func genIfs(w *strings.Builder, n int, leak bool) {
	w.WriteString("func f(u string, x int) (y int) {\n")
	w.WriteString("\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn\n\t}\n")
	for i := range n {
		fmt.Fprintf(w, "\tif x > %d {\n\t\ty++\n\t}\n", i)
	}
	w.WriteString("\ty += resp.StatusCode\n")
	if !leak {
		w.WriteString("\tresp.Body.Close()\n")
	}
	w.WriteString("\treturn\n}\n")
}

// genResponses writes one function with n responses.
func genResponses(w *strings.Builder, n int, leak bool) {
	w.WriteString("func f(u string) (y int) {\n")
	for i := range n {
		fmt.Fprintf(w, "\tresp%d, err := http.Get(u)\n\tif err != nil {\n\t\treturn\n\t}\n", i)
		if !leak {
			fmt.Fprintf(w, "\tdefer resp%d.Body.Close()\n", i)
		}
		fmt.Fprintf(w, "\ty += resp%d.StatusCode\n", i)
	}
	w.WriteString("\treturn\n}\n")
}

// genFuncs writes n functions with one response each.
func genFuncs(w *strings.Builder, n int, leak bool) {
	for i := range n {
		fmt.Fprintf(w, "func f%d(u string) int {\n", i)
		w.WriteString("\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn 0\n\t}\n")
		if !leak {
			w.WriteString("\tdefer resp.Body.Close()\n")
		}
		w.WriteString("\treturn resp.StatusCode\n}\n\n")
	}
}

func variantName(leak bool) string {
	if leak {
		return "leaked"
	}
	return "closed"
}

// All generated packages share one file set and one importer, so that
// net/http is imported once.
var (
	scaleFset     = token.NewFileSet()
	scaleImporter = importer.ForCompiler(scaleFset, "gc", nil)
)

// scalePass generates the package of a shape, parses and type-checks it,
// and returns a pass of Analyzer over it that appends its diagnostics to
// *diags (run it with testRun).
func scalePass(tb testing.TB, name string, gen func(*strings.Builder, int, bool), n int, leak bool, diags *[]analysis.Diagnostic) *analysis.Pass {
	tb.Helper()
	var src strings.Builder
	src.WriteString("package p\n\nimport \"net/http\"\n\n")
	gen(&src, n, leak)
	filename := fmt.Sprintf("%s_%s_%d.go", strings.ToLower(name), variantName(leak), n)
	f, err := parser.ParseFile(scaleFset, filename, src.String(), parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		tb.Fatal(err)
	}
	files := []*ast.File{f}
	info := newTypesInfo()
	sizes := types.SizesFor("gc", runtime.GOARCH)
	conf := types.Config{Importer: scaleImporter, Sizes: sizes}
	pkg, err := conf.Check("p", scaleFset, files, info)
	if err != nil {
		tb.Fatal(err)
	}
	return testPass(scaleFset, files, pkg, info, sizes, func(d analysis.Diagnostic) { *diags = append(*diags, d) })
}

// scaleUnits is how many units (ifs, responses, functions) one iteration
// of BenchmarkScale analyzes, at every n: scaleUnits/n packages of n
// units each. Every size then works through the same amount of memory,
// and none keeps its packages in the CPU caches from one run to the
// next, as in a real run, which analyzes each package once. (Analyzing
// one small package over and over would keep its syntax and type
// information in the L2 cache and make small n look cheaper per unit
// than any real package is.)
const scaleUnits = 10000

// BenchmarkScale times the analyzer's own work over each shape, variant
// and size: summariesAnalyzer's run, then Analyzer's. The inspector that
// Analyzer requires is built with the pass, outside the timer, as
// inspect.Analyzer builds it before (and, under golangci-lint, for every
// linter); the one summariesAnalyzer builds for itself is timed. ns/pkg is the time to analyze one package of n units, ns/unit
// that time divided by n.
func BenchmarkScale(b *testing.B) {
	for _, s := range scaleShapes {
		for _, leak := range []bool{false, true} {
			for _, n := range scaleSizes {
				b.Run(fmt.Sprintf("%s/%s/n=%d", s.name, variantName(leak), n), func(b *testing.B) {
					var diags []analysis.Diagnostic
					passes := make([]*analysis.Pass, scaleUnits/n)
					for i := range passes {
						passes[i] = scalePass(b, s.name, s.gen, n, leak, &diags)
					}
					for b.Loop() {
						for _, pass := range passes {
							diags = diags[:0]
							if err := testRun(pass); err != nil {
								b.Fatal(err)
							}
						}
					}
					perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
					b.ReportMetric(perOp/float64(len(passes)), "ns/pkg")
					b.ReportMetric(perOp/scaleUnits, "ns/unit")
				})
			}
		}
	}
}

// TestScaleShapes checks the inputs of BenchmarkScale: every generated
// package type-checks, the closed variants are clean and the leaked ones
// report each leaked response.
func TestScaleShapes(t *testing.T) {
	const n = 100
	for _, s := range scaleShapes {
		for _, leak := range []bool{false, true} {
			t.Run(s.name+"/"+variantName(leak), func(t *testing.T) {
				var diags []analysis.Diagnostic
				pass := scalePass(t, s.name, s.gen, n, leak, &diags)
				if err := testRun(pass); err != nil {
					t.Fatal(err)
				}
				want := 0
				if leak {
					want = s.leaks(n)
				}
				if len(diags) != want {
					t.Errorf("%d diagnostics, want %d", len(diags), want)
					for _, d := range diags[:min(len(diags), 5)] {
						t.Logf("%s: %s", scaleFset.Position(d.Pos), d.Message)
					}
				}
			})
		}
	}
}
