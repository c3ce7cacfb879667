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
// a test, or that only read their arguments.
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
	*Index
	conds
	root   inspector.Cursor
	hooks  Hooks
	graphs map[*ast.BlockStmt]*graph // control-flow graphs of function bodies
}

// New returns the engine of pass, whose syntax root is at root.
func New(pass *analysis.Pass, root inspector.Cursor, hooks Hooks) *Engine {
	e := &Engine{
		Pass:   pass,
		Info:   pass.TypesInfo,
		root:   root,
		hooks:  hooks,
		graphs: make(map[*ast.BlockStmt]*graph),
	}
	e.Index = &Index{info: pass.TypesInfo, pkg: pass.Pkg, root: root}
	e.conds.idx = e.Index
	e.Summaries = newSummaries(e)
	return e
}

// Root returns the cursor of the package's syntax.
func (e *Engine) Root() inspector.Cursor { return e.root }
