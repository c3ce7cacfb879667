package flow

import (
	"go/token"
	"go/types"
)

// This file holds the search's shortcut: a path past the last mention of
// everything the search follows can only leak, or not, at its exit.

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
