package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// This file holds the search's shortcuts: a path past the last mention of
// everything the search follows can only leak, or not, at its exit; and
// a path that skips a release under a condition we cannot evaluate is
// trusted not to need it (guardedRelease).

// quiet reports whether no node at or after pos can mention the tracked
// variables (the error too, while it holds the call's error in state
// st): pos is past their last mention, outside any loop around that
// mention, in a function without goto. The search then need not look at
// what follows (which keeps it linear in functions with many resources).
func (t *pathSearch) quiet(pos token.Pos, st pathState) bool {
	g := t.g
	if g.lastUse == nil {
		g.indexUses(t.c.Info)
	}
	if g.hasGoto || isResultOf(t.v, t.sig) || st.exitIf != nil {
		return false // a naked return mentions a named result without naming it; what it returns decides
	}
	last := g.lastUse[t.v]
	if st.linked && g.lastUse[t.errVar] > last { // err matters while it holds the call's error
		last = g.lastUse[t.errVar]
	}
	for _, h := range t.holders {
		last = max(last, g.lastUse[h.v])
	}
	for _, f := range t.closers {
		last = max(last, g.lastUse[f])
	}
	if pos <= st.lastMention(g, last) {
		return false
	}
	for _, l := range g.loops {
		if l.Pos() <= last && pos < l.End() {
			return false // a back edge may lead to the mention again
		}
	}
	return true
}

// lastMention returns the last mention in g of the variables whose value
// decides, in state st, what a callee did to the resource (an error, a
// bool), or last if later.
func (st pathState) lastMention(g *graph, last token.Pos) token.Pos {
	for _, v := range []*types.Var{st.relErr, st.drainErr, st.relTrue, st.relFalse} {
		if v != nil {
			last = max(last, g.lastUse[v])
		}
	}
	return last
}

// guardedRelease reports whether b ends in the condition of
//
//	if shouldRelease && i < max {
//		... r.Release() ...
//	}
//
// whose body releases the resource and falls through, and whose
// condition says nothing of the variable or its error. The code then
// releases it under a condition we cannot evaluate (flags set earlier,
// counters), so the path that skips the release is trusted not to need
// it: reporting it would rest on an infeasible path more often than on a
// leak.
func guardedRelease(t *tracked, b *cfg.Block) bool {
	then := b.Succs[0]
	ifs, ok := then.Stmt.(*ast.IfStmt)
	if !ok || then.Kind != cfg.KindIfThen || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return false
	}
	switch last := ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return false // the release is on a path that leaves
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok && !t.c.MayReturn(call) {
			return false
		}
	}
	info := t.c.Info
	others := 0 // the conjuncts that are not a test that the call succeeded
	for _, conj := range Conjuncts(ifs.Cond) {
		if succeeded(t.c.Info, conj, t.v, t.errVar) {
			continue // err == nil && i < max: false only where there is no response, or a counter says so
		}
		if Mentions(info, conj, t.v) || t.errVar != nil && Mentions(info, conj, t.errVar) {
			return false // a condition on the variable: follow both branches
		}
		others++
	}
	if others == 0 {
		return false
	}
	r := t.scan(ifs.Body, 0)
	return r.ev == EvRelease || r.ev == EvHandoff
}
