package flow

import (
	"go/ast"

	"golang.org/x/tools/go/cfg"
)

// This file holds where a search starts: the statement that binds the
// variable, the body of a range over a channel or of a select's case
// that receives it; and how a function literal run on the spot that
// releases it on some paths only leaves it.

// startSearch follows v from the statement that defines it, def, and returns
// the first leaking exit found (nil if none) and whether some path
// released or handed off the resource.
func startSearch(t *pathSearch, def ast.Node) (*LeakExit, bool) {
	if rng, ok := def.(*ast.RangeStmt); ok {
		if t.rng = rng; rangeBody(t.g.cfg, rng) == nil {
			return nil, true
		}
		return t.searchFrom(pathItem{b: rangeBody(t.g.cfg, rng)})
	}
	start, ok := t.g.loc[def]
	if !ok {
		return nil, true // not in the graph (unreachable code): stay quiet
	}
	st := pathState{linked: t.errVar != nil, drained: t.drainedFirst}
	if d := t.g.deferredClosures().before(def, func(d ast.Node) bool { return releasesAtExit(&t.tracked, d, 0, false) }); d != nil {
		st.deferred(t, d)
	}
	if body := selectCaseBody(t.g.cfg, def); body != nil {
		// case resp := <-ch: the graph runs every case's receive before
		// the select picks one; this one's value is there in its body
		// only, which starts with the variable (skipped).
		return t.searchFrom(pathItem{b: body, i: 1, st: st})
	}
	return t.searchFrom(pathItem{b: start.b, i: start.i + 1, st: st})
}

// leaksInLiteral reports whether n is a call of a function literal run
// on the spot that releases t's variable on some path only: one of its
// returns leaves it held, and the code around goes on with it.
func leaksInLiteral(t *pathSearch, n ast.Node) bool {
	es, ok := n.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit)
	if !ok {
		return false
	}
	leaks, _, _, _ := t.c.SearchParam(Target{Spec: t.s, V: t.v, At: t.at}, lit)
	return len(leaks) > 0
}

// selectCaseBody returns the block of the body of the select's case
// whose receive is comm, or nil if comm is none.
func selectCaseBody(g *cfg.CFG, comm ast.Node) *cfg.Block {
	if _, ok := comm.(*ast.AssignStmt); !ok {
		return nil
	}
	for _, b := range g.Blocks {
		if cc, ok := b.Stmt.(*ast.CommClause); ok && b.Kind == cfg.KindSelectCaseBody && cc.Comm == comm {
			return b
		}
	}
	return nil
}

// rangeBody returns the block of g that starts the body of rng (nil if
// it has none: an empty body).
func rangeBody(g *cfg.CFG, rng *ast.RangeStmt) *cfg.Block {
	for _, b := range g.Blocks {
		if b.Kind == cfg.KindRangeBody && b.Stmt == rng {
			return b
		}
	}
	return nil
}
