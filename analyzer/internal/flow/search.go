package flow

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// This file holds the path search: from the statement that binds a
// resource to a variable, along the control-flow graph of its function,
// to the first point where the resource is still held and not released.
// What a node does to the resource comes from the value-flow layer
// (Classify) under the resource's spec; the control-flow graph and its
// indexes are in graph.go.

// What a path has established about the call's error and the resource.
type errState uint8

const (
	errUnchecked errState = iota // the error has not been looked at
	errNil                       // the path has checked that err == nil
	errInspected                 // a condition looked at err without settling it
)

type pathState struct {
	err      errState
	deref    bool       // the value was used as non-nil on this path
	linked   bool       // the error variable still holds the call's error
	relErr   *types.Var // a callee released the resource if this error is not nil
	drainErr *types.Var // a callee read it to its end if this error is nil
	eofErr   *types.Var // a reader made over it has read it to its end if this error is io.EOF
	relTrue  *types.Var // a callee released it if this bool is true
	relFalse *types.Var // a callee released it if this bool is false
	drained  bool       // it was read to its end on this path: still held, but what it holds is given back
	dead     uint8      // the aliases (bit 0 the variable, bit i its holder i-1) overwritten on this path
	atExit   bool       // a deferred closure on this path releases what the variable holds when the function returns
	exitIf   *types.Var // if not nil, only when this error (a result, or a local variable) is not nil then (see exitGuard)
	mayNil   *types.Var // while exitIf is set: an error set from a call that may return nil (see noteErrSet)
	exitFlag ExitFlag   // if set, only when this flag has its value When at the return (see DeferFlag)
}

// reportable reports whether a resource still held in state st is a
// leak: it is unless the path may be one where the call failed.
func (st pathState) reportable() bool { return st.deref || st.err != errInspected }

// What a node does to the resource, for the search: the strongest use
// wins (a hand-off or a release beats an overwrite, as in v = wrap(v)).
type Event uint8

const (
	EvRead           Event = iota // reads it, or does nothing to it
	EvOverwrite                   // overwrites the variable
	EvReplace                     // replaces the resource in its holder (h.R = ...)
	EvReleaseOnError              // a callee releases it if it returns an error
	EvReleaseIfTrue               // a callee releases it if its bool result is true
	EvReleaseIfFalse              // a callee releases it if its bool result is false
	EvReleaseEither               // a callee releases it if it returns an error, and if its bool result is true
	EvDrain                       // a callee reads it to its end, which releases it if it returns a nil error
	EvRelease                     // releases it
	EvHandoff                     // may hand it to code that releases it: stop following

	evKeep Event = 255 // a variable given back what it holds (h = append(h, x)): not an overwrite of it
)

// eventOf returns what a use of kind k is to the search.
func EventOf(k UseKind) Event {
	switch k {
	case UseRead, UseDrop, UseUse:
		return EvRead
	case UseOverwrite:
		return EvOverwrite
	case UseReplace:
		return EvReplace
	case UseReleaseOnError:
		return EvReleaseOnError
	case UseDrain:
		return EvDrain
	case UseReleaseIfTrue:
		return EvReleaseIfTrue
	case UseReleaseIfFalse:
		return EvReleaseIfFalse
	case UseReleaseEither:
		return EvReleaseEither
	case UseRelease:
		return EvRelease
	}
	return EvHandoff
}

// What a search found: the first exit of a path that leaves the
// resource held, and the first of one that leaves it held after reading
// it to its end (its connection given back, its Close not called);
// whether some path released or handed off the resource.
type Found struct {
	Leak, Drained *LeakExit
	Handled       bool
}

// A LeakExit is where a path leaves a resource held.
type LeakExit struct {
	Pos  token.Pos
	Kind string          // "return", "end", "reassign", "scope", "retry", "replace", or a branch keyword
	Ret  *ast.ReturnStmt // for "return", "end" and "retry"
}

// A Target is a variable that holds a resource, for the path search.
type Target struct {
	Spec   Spec
	V      *types.Var // the variable
	At     Place      // where the resource sits in V
	ErrVar *types.Var // the error that came with the resource, if bound
	// ErrField: the field of V that holds that error, for a struct
	// received whole (r.err of result{resp, err}): where it is not nil,
	// the sender's call failed, and there is no resource.
	ErrField  string
	WithError bool // the resource may come with a non-nil error: an error check does not prune
	// OnlyWithError: with WithError, the resource comes only along
	// with a non-nil error: a path on which the error is nil has none.
	OnlyWithError bool
	Drained       bool // the resource comes read to its end: what it holds is given back, its release still owed
	// Retry: the variable belongs to the code around an attempt of a
	// retry (a function literal that the code calls again): returning
	// nil (or the call's own error) hands it over, returning another
	// error leaves it for the next attempt to overwrite.
	Retry bool
	// ReleasedOnReturn: a release deferred before the search's start
	// covers every return; only a path that goes out of the variable's
	// scope (a loop going round) or overwrites it leaves it held.
	ReleasedOnReturn bool
}

// Search follows the variable of t from the statement def that binds
// it, in the function declaration or literal fn, along its control-flow
// graph, and says what it found: the first path's exit that leaves the
// resource held, and whether some path released or handed it off.
// Local variables of fn that the resource is copied into on the way are
// followed too. When def is a range over a channel (for resp := range
// ch), the search starts at its body, and a path that comes round to the
// next receive with the resource held leaks it.
func (c *Engine) Search(t Target, fn ast.Node, def ast.Node) Found {
	sig, body := FuncParts(fn)
	s := &pathSearch{
		tracked:      tracked{c: c, s: t.Spec, aliases: aliases{v: t.V, at: t.At, errVar: t.ErrVar}, local: body, withError: t.WithError, onlyWithError: t.OnlyWithError, errField: t.ErrField},
		g:            c.graph(body),
		sig:          sig,
		retry:        t.Retry,
		drainedFirst: t.Drained,
		onReturn:     t.ReleasedOnReturn,
	}
	leak, handled := startSearch(s, def)
	return Found{Leak: leak, Drained: s.drained, Handled: handled}
}

// SearchParam follows the parameter of t (the error not bound) from the
// entry of the function declaration or literal fn, along every path to
// its end.
// It returns every exit that leaves the resource held (not read to its
// end), whether some path released or handed it off, whether some path
// returns a call that releases it on error (passing that on), and
// whether some path leaves it read to its end.
func (c *Engine) SearchParam(t Target, fn ast.Node) (leaks []*LeakExit, done, passedOnErr, drained bool) {
	sig, body := FuncParts(fn)
	s := &pathSearch{
		tracked: tracked{c: c, s: t.Spec, aliases: aliases{v: t.V, at: t.At}},
		g:       c.graph(body),
		sig:     sig,
		all:     true,
	}
	s.searchEntry()
	return s.leaks, s.done, s.passedOnErr, s.drained != nil
}

// A pathSearch follows one variable that holds a resource through a
// graph.
type pathSearch struct {
	tracked
	g       *graph
	sig     *ast.FuncType  // the enclosing function's signature
	leak    *LeakExit      // the first leak found
	drained *LeakExit      // the first leak found after the resource was read to its end
	done    bool           // some path released or handed off the resource
	scope   *types.Scope   // v's scope
	rng     *ast.RangeStmt // the range over a channel v is the variable of, if the search is of one (see Search)

	retry        bool // see Target.Retry
	drainedFirst bool // see Target.Drained
	onReturn     bool // see Target.ReleasedOnReturn

	// For a summary (see SearchParam): every path is followed to
	// its end, the leaking exits are all kept, and a return of a call
	// that releases the resource on error counts as passing that on.
	all         bool
	leaks       []*LeakExit
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
	via *LeakExit // the branch statement that led here, if any
}

// searchEntry follows v, a parameter, from the entry of its function.
func (t *pathSearch) searchEntry() (*LeakExit, bool) {
	return t.searchFrom(pathItem{b: t.g.cfg.Blocks[0]})
}

// searchFrom follows v from the node of item it.
func (t *pathSearch) searchFrom(first pathItem) (*LeakExit, bool) {
	t.scope = t.v.Parent()
	visited := make(map[visitKey]bool)
	entered := 0 // blocks entered: see quietAfter
	work := []pathItem{first}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		b := it.b
		if b.Kind == cfg.KindRangeLoop && b.Stmt == t.rng && t.rng != nil && it.st.dead&1 == 0 {
			if it.st.dead |= 1; t.allDead(it.st.dead) { // the next round gives v another value
				t.leakAt(it.st, cmp.Or(it.via, &LeakExit{Pos: t.rng.Body.Rbrace, Kind: "scope"}))
				continue
			}
		}
		if it.i == 0 {
			key := visitKey{b.Index, it.st}
			if visited[key] {
				continue
			}
			visited[key] = true
			if len(b.Nodes) > 0 && it.st.dead&1 == 0 && outOfScope(t.scope, t.c.Pass.Pkg.Scope(), b.Nodes[0]) {
				if it.st.atExit {
					t.done = true // the deferred closure still holds this variable
					continue
				}
				if it.st.dead |= 1; t.allDead(it.st.dead) {
					t.leakAt(it.st, scopeExit(t.scope, it.via))
					continue
				}
				// A holder declared outside the variable's scope still holds it.
			}
			if it.st.linked && !t.withError && t.g.failedCase(t.c.Info, b, t.errVar) {
				continue // case net.Error: of a switch on err.(type): the call failed, no resource
			}
			if entered++; !t.all && entered > quietAfter && len(b.Nodes) > 0 && commSend(b) == nil && t.quiet(b.Nodes[0].Pos(), it.st) {
				// Nothing from here on mentions the resource: the path
				// leaks if it can reach a return at all.
				if ret := t.g.exits(t.c)[b.Index]; ret != nil && !it.st.releasedAtExit(t, ret) && !t.onReturn {
					t.leakAt(it.st, returnExit(t.g.body, ret))
				}
				continue
			}
		}
		st := it.st
		stopped := false
		if send := commSend(b); send != nil && it.i == 0 {
			stopped = t.visit(send, &st, it.via) // select { case ch <- resp: ...: sent on this path only
		}
		for i := it.i; i < len(b.Nodes) && !stopped; i++ {
			n := b.Nodes[i]
			if t.g.commSends[n] {
				continue // evaluated before the select branches: taken where its case begins
			}
			if cond, ok := n.(ast.Expr); ok && i == len(b.Nodes)-1 && len(b.Succs) == 2 {
				for _, s := range t.assumeOn(cond, true, st) {
					work = append(work, pathItem{b: b.Succs[0], st: s})
				}
				if !guardedRelease(&t.tracked, b) {
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
			via = &LeakExit{Pos: br.Pos(), Kind: br.Tok.String()}
		}
		for k := len(b.Succs) - 1; k >= 0; k-- {
			work = append(work, pathItem{b: b.Succs[k], st: st, via: via})
		}
	}
	return t.leak, t.done
}

// leakAt records a leak at exit if the state makes it one.
func (t *pathSearch) leakAt(st pathState, exit *LeakExit) {
	if !st.reportable() {
		return
	}
	if st.drained {
		if t.drained == nil {
			t.drained = exit
		}
		return
	}
	if t.leak == nil {
		t.leak = exit
	}
	if t.all {
		t.leaks = append(t.leaks, exit)
	}
}

// outOfScope reports whether node n lies outside scope, a variable's
// (nil or the package's: none): reaching it means the variable is gone
// (a loop went round, a block ended).
func outOfScope(scope, pkg *types.Scope, n ast.Node) bool {
	if scope == nil || scope == pkg {
		return false
	}
	return n.Pos() < scope.Pos() || n.Pos() >= scope.End()
}

// scopeExit describes where a path leaves scope, the tracked variable's.
func scopeExit(scope *types.Scope, via *LeakExit) *LeakExit {
	if via != nil {
		return via
	}
	return &LeakExit{Pos: scope.End() - 1, Kind: "scope"}
}

// visit interprets node n for the resource in state *st and reports
// whether the path stops there.
func (t *pathSearch) visit(n ast.Node, st *pathState, via *LeakExit) bool {
	if failsTest(t.c, n) {
		return true // the test has failed on this path: a leak here does not matter
	}
	if st.dead&1 == 0 && releasesAtExit(&t.tracked, n, 0, true) {
		st.deferred(t, n.(*ast.DeferStmt))
		return false
	}
	if st.exitIf != nil {
		noteErrSet(t.c, n, st)
	}
	st.eofErr = eofErrAfter(&t.tracked, n, st.eofErr)
	r := t.scan(n, st.dead)
	if r.ev == EvRelease && leaksInLiteral(t, n) {
		r.ev = EvRead // func() { if ... { return }; defer resp.Body.Close() }(): it comes back held on some path
	}
	if r.into != 0 && heldTillExit(t, n, r.into) {
		t.done = true // the holder is released when the function returns
		return true
	}
	ev, deref, unlink, call := r.ev, r.deref, r.unlink, r.call
	switch ev {
	case EvRelease, EvHandoff:
		t.done = true
		return true
	case EvReplace:
		if st.drained {
			t.done = true // read to its end first: what it held is given back, the copy needs nothing
			return true
		}
		if setsFieldOf(t.c.Info, n, t.v) && !t.allDead(st.dead|1) {
			st.dead |= 1 // body := resp.Body; resp.Body = nil: the copy still holds it
			return false
		}
		t.leakAt(*st, &LeakExit{Pos: n.Pos(), Kind: "replace"})
		return true
	case EvReleaseIfTrue:
		st.relTrue = boolResultOf(t.c.Info, n, call) // released on the path where this bool is true
	case EvReleaseIfFalse:
		st.relFalse = boolResultOf(t.c.Info, n, call) // released on the path where this bool is false
	case EvDrain:
		if call != nil && !returnsError(t.c.Info, call) {
			st.drained = true // a helper that has read it to its end when it returns
		} else {
			st.drainErr = errResultOf(t.c.Info, n, call) // read to its end on the path where this error is nil
		}
	case EvReleaseOnError, EvReleaseEither:
		if _, ok := n.(*ast.ReturnStmt); ok && t.all {
			t.passedOnErr = true // released if what it returns says so
			t.done = true
			return true
		}
		st.relErr = errResultOf(t.c.Info, n, call) // released on the path where this error is not nil
		if ev == EvReleaseEither {
			st.relTrue = boolResultOf(t.c.Info, n, call) // and where this bool is true: if done, err := check(resp); done {...}
		}
	}
	if deref {
		st.deref = true
	}
	if unlink {
		st.linked = false
	}
	if r.over&1 != 0 && st.atExit && declares(t.c.Info, n, t.v) {
		t.done = true // a new variable: the deferred closure closes the one it captured
		return true
	}
	if r.over != 0 {
		if st.dead |= r.over; t.allDead(st.dead) {
			if via == nil {
				via = &LeakExit{Pos: n.Pos(), Kind: "reassign"}
			}
			t.leakAt(*st, via)
			return true
		}
		// Another alias still holds it.
	}
	if ret, ok := n.(*ast.ReturnStmt); ok {
		if st.releasedAtExit(t, ret) || t.onReturn {
			t.done = true // released by the deferred closure, or the deferred release
			return true
		}
		if t.retry {
			if k := len(ret.Results) - 1; k < 0 || IsNil(t.c.Info, ret.Results[k]) || t.errVar != nil && SameName(ret.Results[k], t.errVar.Name()) {
				t.done = true // handed to the code around
				return true
			}
			t.leakAt(*st, &LeakExit{Pos: ret.Pos(), Kind: "retry", Ret: ret})
			return true
		}
		if len(ret.Results) == 0 && isResultOf(t.v, t.sig) && ret.Return != t.g.body.End()-1 {
			t.done = true // a naked return hands the named result to the caller
			return true
		}
		t.leakAt(*st, returnExit(t.g.body, ret))
		return true
	}
	return false
}

// assumeOn returns the states in which cond evaluates to truth, starting
// from st (see tracked.assume), and notes a hand-off in the condition.
func (t *pathSearch) assumeOn(cond ast.Expr, truth bool, st pathState) []pathState {
	states, handedOff := t.assume(t.g.caseTest(cond, t.c.Info), truth, st)
	t.done = t.done || handedOff
	return states
}

// returnExit describes a leak at ret, explicit or at the end of body.
func returnExit(body *ast.BlockStmt, ret *ast.ReturnStmt) *LeakExit {
	if ret.Return == body.End()-1 {
		return &LeakExit{Pos: ret.Pos(), Kind: "end", Ret: ret}
	}
	return &LeakExit{Pos: ret.Pos(), Kind: "return", Ret: ret}
}

// isResultOf reports whether v is a named result declared in sig.
func isResultOf(v *types.Var, sig *ast.FuncType) bool {
	return sig != nil && sig.Results != nil && sig.Results.Pos() <= v.Pos() && v.Pos() < sig.Results.End()
}

// returnsError reports whether call returns an error as its last result.
func returnsError(info *types.Info, call *ast.CallExpr) bool {
	switch t := info.TypeOf(call).(type) {
	case *types.Tuple:
		return t.Len() > 0 && IsErrorType(t.At(t.Len()-1).Type())
	case nil:
		return false
	default:
		return IsErrorType(t)
	}
}
