package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// This file holds the path search: from the statement that binds a
// resource to a variable, along the control-flow graph of its function,
// to the first point where the resource is still held and not released.
// What a node does to the resource comes from the value-flow layer
// (classify) under the resource's spec; the control-flow graph and its
// indexes are in graph.go.

// What a path has established about the call's error and the resource.
type errState uint8

const (
	errUnchecked errState = iota // the error has not been looked at
	errNil                       // the path has checked that err == nil
	errInspected                 // a condition looked at err without settling it
)

type pathState struct {
	err    errState
	deref  bool       // the value was used as non-nil on this path
	linked bool       // the error variable still holds the call's error
	relErr *types.Var // a callee released the resource if this error is not nil
	dead   uint8      // the aliases (bit 0 the variable, bit i its holder i-1) overwritten on this path
}

// reportable reports whether a resource still held in state st is a
// leak: it is unless the path may be one where the call failed.
func (st pathState) reportable() bool { return st.deref || st.err != errInspected }

// What a node does to the resource, for the search: the strongest use
// wins (a hand-off or a release beats an overwrite, as in v = wrap(v)).
type pathEvent uint8

const (
	evRead           pathEvent = iota // reads it, or does nothing to it
	evOverwrite                       // overwrites the variable
	evReplace                         // replaces the resource in its holder (resp.Body = ...)
	evReleaseOnError                  // a callee releases it if it returns an error
	evRelease                         // releases it
	evHandoff                         // may hand it to code that releases it: stop following
)

// eventOf returns what a use of kind k is to the search.
func eventOf(k useKind) pathEvent {
	switch k {
	case useRead, useDrop, useUse:
		return evRead
	case useOverwrite:
		return evOverwrite
	case useReplace:
		return evReplace
	case useReleaseOnError:
		return evReleaseOnError
	case useRelease:
		return evRelease
	}
	return evHandoff
}

// A leakExit is where a path leaves a resource held.
type leakExit struct {
	pos  token.Pos
	kind string          // "return", "end", "reassign", "scope", or a branch keyword
	ret  *ast.ReturnStmt // for "return" and "end"
}

// A pathSearch follows one variable that holds a resource through a
// flowGraph.
type pathSearch struct {
	tracked
	g     *flowGraph
	sig   *ast.FuncType // the enclosing function's signature
	leak  *leakExit     // the first leak found
	done  bool          // some path released or handed off the resource
	scope *types.Scope  // v's scope

	// retry: the variable belongs to the code around an attempt (see
	// isAttempt): returning nil (or the call's own error) hands it
	// over, returning another error leaves it for the next attempt to
	// overwrite.
	retry bool

	// For a summary (see bodyParamEffect): every path is followed to
	// its end, the leaking exits are all kept, and a return of a call
	// that releases the resource on error counts as passing that on.
	all         bool
	leaks       []*leakExit
	passedOnErr bool // some path returns such a call
}

// quietAfter is how many blocks a search enters before it asks
// pathSearch.quiet whether it can stop: most searches end sooner (at the
// defer after the error check), and never pay for the walk of the
// function that quiet's index costs.
const quietAfter = 8

type visitKey struct {
	block int32
	st    pathState
}

type pathItem struct {
	b   *cfg.Block
	i   int // index of the first node to visit
	st  pathState
	via *leakExit // the branch statement that led here, if any
}

// search follows v from the statement that defines it, def, and returns
// the first leaking exit found (nil if none) and whether some path
// released or handed off the resource.
func (t *pathSearch) search(def ast.Node) (*leakExit, bool) {
	start, ok := t.g.loc[def]
	if !ok {
		return nil, true // not in the graph (unreachable code): stay quiet
	}
	return t.searchFrom(pathItem{b: start.b, i: start.i + 1, st: pathState{linked: t.errVar != nil}})
}

// searchEntry follows v, a parameter, from the entry of its function.
func (t *pathSearch) searchEntry() (*leakExit, bool) {
	return t.searchFrom(pathItem{b: t.g.cfg.Blocks[0]})
}

// searchFrom follows v from the node of item it.
func (t *pathSearch) searchFrom(first pathItem) (*leakExit, bool) {
	t.scope = t.v.Parent()
	visited := make(map[visitKey]bool)
	entered := 0 // blocks entered: see quietAfter
	work := []pathItem{first}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		b := it.b
		if it.i == 0 {
			key := visitKey{b.Index, it.st}
			if visited[key] {
				continue
			}
			visited[key] = true
			if len(b.Nodes) > 0 && it.st.dead&1 == 0 && t.outOfScope(b.Nodes[0]) {
				if it.st.dead |= 1; t.allDead(it.st.dead) {
					t.leakAt(it.st, t.scopeExit(it.via))
					continue
				}
				// A holder declared outside the variable's scope still holds it.
			}
			if entered++; !t.all && entered > quietAfter && len(b.Nodes) > 0 && t.quiet(b.Nodes[0].Pos(), it.st) {
				// Nothing from here on mentions the resource: the path
				// leaks if it can reach a return at all.
				if ret := t.g.exits(t.c)[b.Index]; ret != nil {
					t.leakAt(it.st, t.returnExit(ret))
				}
				continue
			}
		}
		st := it.st
		stopped := false
		for i := it.i; i < len(b.Nodes) && !stopped; i++ {
			n := b.Nodes[i]
			if cond, ok := n.(ast.Expr); ok && i == len(b.Nodes)-1 && len(b.Succs) == 2 {
				for _, s := range t.assumeOn(cond, true, st) {
					work = append(work, pathItem{b: b.Succs[0], st: s})
				}
				if !t.guardedRelease(b) {
					for _, s := range t.assumeOn(cond, false, st) {
						work = append(work, pathItem{b: b.Succs[1], st: s})
					}
				}
				stopped = true
				break
			}
			stopped = t.visit(n, &st, it.via)
		}
		if stopped || len(b.Succs) == 0 {
			continue // released, leaked, pruned, or a call that never returns
		}
		via := it.via
		if len(b.Nodes) > 0 || it.i > 0 {
			via = nil
		}
		if br := t.g.branchEnding(b); br != nil {
			via = &leakExit{pos: br.Pos(), kind: br.Tok.String()}
		}
		for k := len(b.Succs) - 1; k >= 0; k-- {
			work = append(work, pathItem{b: b.Succs[k], st: st, via: via})
		}
	}
	return t.leak, t.done
}

// leakAt records a leak at exit if the state makes it one.
func (t *pathSearch) leakAt(st pathState, exit *leakExit) {
	if !st.reportable() {
		return
	}
	if t.leak == nil {
		t.leak = exit
	}
	if t.all {
		t.leaks = append(t.leaks, exit)
	}
}

// outOfScope reports whether node n lies outside v's scope: reaching it
// means the variable is gone (a loop went round, a block ended).
func (t *pathSearch) outOfScope(n ast.Node) bool {
	if t.scope == nil || t.scope == t.c.pass.Pkg.Scope() {
		return false
	}
	return n.Pos() < t.scope.Pos() || n.Pos() >= t.scope.End()
}

// scopeExit describes where a path leaves v's scope.
func (t *pathSearch) scopeExit(via *leakExit) *leakExit {
	if via != nil {
		return via
	}
	return &leakExit{pos: t.scope.End() - 1, kind: "scope"}
}

// visit interprets node n for the resource in state *st and reports
// whether the path stops there.
func (t *pathSearch) visit(n ast.Node, st *pathState, via *leakExit) bool {
	if es, ok := n.(*ast.ExprStmt); ok {
		if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && isTestFailure(calleeFunc(t.c.pass.TypesInfo, call)) {
			return true // the test has failed on this path: a leak here does not matter
		}
	}
	r := t.scan(n, st.dead)
	ev, deref, unlink, call := r.ev, r.deref, r.unlink, r.call
	switch ev {
	case evRelease, evHandoff:
		t.done = true
		return true
	case evReplace:
		t.leakAt(*st, &leakExit{pos: n.Pos(), kind: "replace"})
		return true
	case evReleaseOnError:
		if _, ok := n.(*ast.ReturnStmt); ok && t.all {
			t.passedOnErr = true // released if what it returns says so
			t.done = true
			return true
		}
		st.relErr = t.errOf(n, call) // released on the path where this error is not nil
	}
	if deref {
		st.deref = true
	}
	if unlink {
		st.linked = false
	}
	if r.over != 0 {
		if st.dead |= r.over; t.allDead(st.dead) {
			if via == nil {
				via = &leakExit{pos: n.Pos(), kind: "reassign"}
			}
			t.leakAt(*st, via)
			return true
		}
		// Another alias still holds it.
	}
	if ret, ok := n.(*ast.ReturnStmt); ok {
		if t.retry {
			if k := len(ret.Results) - 1; k < 0 || isNil(t.c.pass.TypesInfo, ret.Results[k]) || t.errVar != nil && sameName(ret.Results[k], t.errVar.Name()) {
				t.done = true // handed to the code around
				return true
			}
			t.leakAt(*st, &leakExit{pos: ret.Pos(), kind: "retry", ret: ret})
			return true
		}
		if len(ret.Results) == 0 && isResultOf(t.v, t.sig) && ret.Return != t.g.body.End()-1 {
			t.done = true // a naked return hands the named result to the caller
			return true
		}
		t.leakAt(*st, t.returnExit(ret))
		return true
	}
	return false
}

// assumeOn returns the states in which cond evaluates to truth, starting
// from st (see tracked.assume), and notes a hand-off in the condition.
func (t *pathSearch) assumeOn(cond ast.Expr, truth bool, st pathState) []pathState {
	states, handedOff := t.assume(cond, truth, st)
	t.done = t.done || handedOff
	return states
}

// returnExit describes a leak at ret, explicit or at the end of the body.
func (t *pathSearch) returnExit(ret *ast.ReturnStmt) *leakExit {
	if ret.Return == t.g.body.End()-1 {
		return &leakExit{pos: ret.Pos(), kind: "end", ret: ret}
	}
	return &leakExit{pos: ret.Pos(), kind: "return", ret: ret}
}

// errOf returns the variable that the statement n assigns the error
// result of call to, if any.
//
//	err := checkStatus(resp)    if err := checkStatus(resp); err != nil {
func (t *pathSearch) errOf(n ast.Node, call *ast.CallExpr) *types.Var {
	if call == nil {
		return nil
	}
	var lhs, rhs []ast.Expr
	switch n := n.(type) {
	case *ast.AssignStmt:
		lhs, rhs = n.Lhs, n.Rhs
	case *ast.ValueSpec:
		lhs, rhs = specLHS(n), n.Values
	default:
		return nil
	}
	info := t.c.pass.TypesInfo
	_, errLHS := pickLHS(lhs, rhs, call, resultTypes(info, call, calleeFunc(info, call)), -1)
	if errLHS == nil && len(lhs) == len(rhs) {
		for i, r := range rhs { // err = checkStatus(resp): a single error result
			if ast.Unparen(r) == call && isErrorType(info.TypeOf(call)) {
				errLHS = lhs[i]
			}
		}
	}
	v, _ := info.ObjectOf(identOf(errLHS)).(*types.Var)
	return v
}

// quiet reports whether no node at or after pos can mention the tracked
// variables (the error too, while it holds the call's error in state
// st): pos is past their last mention, outside any loop around that
// mention, in a function without goto. The search then need not look at
// what follows (which keeps it linear in functions with many resources).
func (t *pathSearch) quiet(pos token.Pos, st pathState) bool {
	g := t.g
	if g.lastUse == nil {
		g.indexUses(t.c.pass.TypesInfo)
	}
	if g.hasGoto || isResultOf(t.v, t.sig) {
		return false // a naked return mentions a named result without naming it
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
	if st.relErr != nil {
		last = max(last, g.lastUse[st.relErr])
	}
	if pos <= last {
		return false
	}
	for _, l := range g.loops {
		if l.Pos() <= last && pos < l.End() {
			return false // a back edge may lead to the mention again
		}
	}
	return true
}

// isResultOf reports whether v is a named result declared in sig.
func isResultOf(v *types.Var, sig *ast.FuncType) bool {
	return sig != nil && sig.Results != nil && sig.Results.Pos() <= v.Pos() && v.Pos() < sig.Results.End()
}
