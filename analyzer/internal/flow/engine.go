// Package flow is httpleakcheck's engine: where a value that holds a
// resource goes inside a function (Classify, Follow), the search along
// a function's control-flow graph for a path that leaves it held
// (Search), the summaries of functions that carry that knowledge to
// their callers in this package and others (Fact, an analysis fact),
// and the conditions under which a summary's effect happens.
//
// It knows no resource, library or test framework: each check describes
// its resource with a Spec, records what functions do with it through a
// Summarizer, and the engine asks the predicates it cannot know (does
// this call return, does it fail a test) through Hooks.
package flow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// Hooks are what the engine asks of the code it cannot see into and
// knows nothing of: the library functions that never return, that fail
// a test, that only read their arguments, or keep one in another.
type Hooks interface {
	// NeverReturns reports whether a call of fn, a function of another
	// package whose summary does not say so, never returns normally
	// (os.Exit, a test's Fatal).
	NeverReturns(fn *types.Func) bool
	// FailsTest reports whether fn marks a test as failed and goes on:
	// a path past such a call needs no release.
	FailsTest(fn *types.Func) bool
	// OnlyReads reports whether fn is known to only read its arguments.
	OnlyReads(fn *types.Func) bool
	// Drains reports whether a call of fn reads its argument arg to its
	// end when it returns a nil error, and does nothing else with it
	// (io.ReadAll).
	Drains(fn *types.Func, arg int) bool
	// EndsAtEOF reports whether fn, a method of a reader made over
	// another (a decoder), returns io.EOF only once that reader has
	// returned it: what the other held is read to its end then.
	EndsAtEOF(fn *types.Func) bool
	// StoresInto reports whether a call of fn keeps its argument arg in
	// what its parameter holder holds (-1: its receiver), and only there,
	// in a way no summary of its body can see.
	StoresInto(fn *types.Func, arg int) (holder int, ok bool)
}

// A Summarizer records in f what the function fn does with its kind of
// resource.
type Summarizer func(fn *Func, f *Fact)

// An Engine holds the engine's state for one pass over a package: the
// summaries of its functions and those imported, its indexes and its
// control-flow graphs, each built on first use.
type Engine struct {
	Pass *analysis.Pass
	Info *types.Info

	// Summarizers fill in the summary of each function, in order. Set
	// them before the first call of Summary.
	Summarizers []Summarizer

	*Summaries
	callEffects
	*Index
	conds
	guards
	opts   Options
	root   inspector.Cursor // once built
	hooks  Hooks
	graphs map[*ast.BlockStmt]*graph // control-flow graphs of function bodies
}

// Options say where an engine gets its syntax and its summaries.
type Options struct {
	// Root is the cursor of the package's syntax, from an inspector the
	// pass already has; if it is zero, the engine builds one on first
	// use (many packages never need one) and drops it with the engine.
	Root inspector.Cursor
	// Facts imports the summary of a function of this package or
	// another, as the pass that computed it exported it; nil: the
	// pass's own ImportObjectFact, for the functions of other packages.
	Facts func(types.Object, analysis.Fact) bool
	// LocalFacts: the summaries of this package's functions come from
	// Facts too, instead of being computed.
	LocalFacts bool
}

// New returns the engine of pass.
func New(pass *analysis.Pass, hooks Hooks, opts Options) *Engine {
	if opts.Facts == nil {
		opts.Facts = pass.ImportObjectFact
	}
	e := &Engine{
		Pass:   pass,
		Info:   pass.TypesInfo,
		opts:   opts,
		root:   opts.Root,
		hooks:  hooks,
		graphs: make(map[*ast.BlockStmt]*graph),
	}
	e.Index = &Index{info: pass.TypesInfo, pkg: pass.Pkg, e: e}
	e.conds.idx = e.Index
	e.guards.idx = e.Index
	e.Summaries = newSummaries(e)
	e.callEffects = callEffects{e.Summaries}
	return e
}

// Root returns the cursor of the package's syntax, built on first use.
func (e *Engine) Root() inspector.Cursor {
	if e.root == (inspector.Cursor{}) {
		e.root = inspector.New(e.Pass.Files).Root()
	}
	return e.root
}

// VarFact returns what the pass that summarized the package of v, a
// package-level variable of another package, exported of it (a dialer
// that turns TCP keep-alive off, say): nothing if it exported nothing.
func (c *Engine) VarFact(v *types.Var) *Fact {
	f := new(Fact)
	if v == nil || v.Pkg() == nil || v.Pkg() == c.Pass.Pkg || !c.opts.Facts(v, f) {
		return &c.nothing
	}
	return f
}
