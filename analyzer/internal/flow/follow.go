package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds Follow, the flow-insensitive half of the value-flow
// layer: every use of a value built in a function, whatever the path,
// through the local variables and holders it is copied into.

// A flow is what a function does with a value it builds, or gets in a
// parameter, whatever the path: the local variables that hold it, the
// spec's uses, and whether it is released, returned or escapes.
type Flow struct {
	c             *Engine
	s             Spec
	Fn            inspector.Cursor // the innermost function that builds the value
	mode          Mode
	Vars          []*types.Var // the variables that hold it, in the order met
	Uses          []ast.Node   // the spec's uses
	Escapes       bool         // it reaches code not followed
	Returned      bool         // it is returned to the caller
	ReturnedIn    int          // in which result
	ReturnedAt    Place        // where the resource sits in it
	ReturnedTwice bool         // it is returned in two results, or at two places: ReturnedIn and ReturnedAt name the last
	Released      bool         // the spec's release is applied to it
	Replaced      bool         // the resource in it is replaced by another (h.R = copy)
	Replacements  []ast.Node   // where
	Releases      []ast.Node   // where it is released
	Flags         uint8        // what the spec noted, or-ed
	Unseen        []ast.Node   // with TrustCalls: the calls into code it cannot see that got it
	Hooks         []ast.Node   // with HandedBack: the calls of func values of unknown origin that got it
	CondReleases  []ast.Node   // with HandedBack: the calls that may release it, as their result says
	IntoParam     bool         // with IntoParams: it went into a parameter's field
	IntoRecv      bool         // with IntoParams: it went into a field of the receiver
	Filled        bool         // a callee filled it (a holder given a resource of its own where it had none)
	Cut           []ast.Node   // with CutParams: the stores into parameters, not followed, and the returns

	work     []flowItem // values still to look at
	tracked  []varAt    // the variables followed, and where each holds it
	captured *capture   // the store into a variable captured from around Fn, a literal (see Lift)
	over     overwrites // the uses after an assignment of another value

	// CloserIn: the result (its index + 1; 0 if none) that Fn returns a
	// method value of the spec's release of it in, a cleanup its caller
	// calls (return c, tr.CloseIdleConnections).
	CloserIn int
}

// A Mode says how Follow judges what it cannot see, for the check
// (the default: anything unknown is an escape) or for a summary.
type Mode uint8

const (
	// IntoParams: a value stored into a field of a parameter is followed
	// through that parameter (whose object the caller owns), as in
	//
	//	func wrap(h *Holder) *Wrapper {
	//		h.R = Open()
	//		return &Wrapper{h: h}
	IntoParams Mode = 1 << iota
	// TrustCalls: a value passed to code the engine cannot see into (a
	// func value, an interface method) is trusted not to be kept there;
	// a function literal handed to a call or deferred is judged by what
	// it does; a release counts only if no branch guards it.
	TrustCalls
	// CutParams: a value stored into a parameter (or a field of one),
	// or given to a parameter variable, is followed no further there,
	// and that is no escape: Cut lists those stores, and the return
	// statements that return it: every way it reaches the caller.
	CutParams
	// HandedBack: a value passed to a func value whose origin is not
	// known (a hook), or to a callee that releases it only when its
	// result says so, is no escape: Hooks and CondReleases list those
	// calls, for a caller that checks that every path from them hands
	// the value back to its own caller.
	HandedBack
)

// maxPlaces bounds how deep a place a variable already followed is
// followed again at.
const maxPlaces = 4

// A varAt is a variable that holds the resource at a place (fields
// joined by dots): a holder may get it again at another field
// (h.Inner.R = h.R), whose uses then count too.
type varAt struct {
	v  *types.Var
	at string
}

type flowItem struct {
	cur inspector.Cursor // an expression whose value holds the resource
	at  Place
}

// Follow follows the value built at start, in the function at fn (result
// result of it, if a call with several results), through the expressions
// and local variables that hold it, until it escapes.
func (c *Engine) Follow(s Spec, fn, start inspector.Cursor, result int, at Place, mode Mode) *Flow {
	fl := &Flow{c: c, s: s, Fn: fn, mode: mode, work: []flowItem{{start, at}}}
	fl.run(result)
	return fl
}

// FollowVar follows what the function at fn does with the value of the
// variable v (a parameter), which holds the resource at at.
func (c *Engine) FollowVar(s Spec, fn inspector.Cursor, v *types.Var, at Place, mode Mode) *Flow {
	fl := &Flow{c: c, s: s, Fn: fn, mode: mode}
	fl.trackVar(v, at, nil)
	fl.run(-1)
	return fl
}

// run looks at the values on the work list until none is left or the
// value escapes. The first is result result of a call.
func (fl *Flow) run(result int) {
	for len(fl.work) > 0 && !fl.Escapes {
		it := fl.work[len(fl.work)-1]
		fl.work = fl.work[:len(fl.work)-1]
		fl.step(it, fl.Fn, result)
		result = -1
		if len(fl.work) == 0 {
			fl.work = fl.over.revive()
		}
	}
	if fl.captured != nil { // stored into a variable of the code around: an escape, unless Lift follows it there
		fl.captured.only, fl.Escapes = !fl.Escapes, true
	}
}

// step applies the use of the value at it, in the function at fn, to fl.
func (fl *Flow) step(it flowItem, fn inspector.Cursor, result int) {
	u := fl.c.Classify(fl.s, StackOf(it.cur, fn), it.at, result)
	fl.Flags |= u.Flags
	fl.Filled = fl.Filled || u.Filled
	if u.UsedAt != nil {
		fl.Uses = append(fl.Uses, u.UsedAt)
	}
	switch u.Kind {
	case UseRead, UseDrop, UseDrain:
	case UseReplace:
		fl.Replaced = true
		fl.Replacements = append(fl.Replacements, it.cur.Node())
	case UseUse:
		fl.Uses = append(fl.Uses, u.Node)
	case UseRelease:
		if fl.mode&TrustCalls == 0 || unguarded(fn, ancestor(it.cur, u.Depth)) {
			fl.Released = true
			fl.Releases = append(fl.Releases, u.Node)
		}
	case UseReturn:
		if fn != fl.Fn { // returned by a function literal, to the code that runs it
			if fl.mode&TrustCalls == 0 {
				fl.Escapes = true
			}
			return
		}
		fl.returned(u.Result, u.At)
		if fl.mode&CutParams != 0 {
			fl.Cut = append(fl.Cut, u.Node)
		}
	case UseStore:
		if vars := switchVars(fl.c.Info, fl.Fn, u.Node); vars != nil {
			for _, v := range vars {
				fl.trackVar(v, u.At, u.Node)
			}
			return
		}
		if v, at := fl.storedIn(u.Into, u.At, u.Holder); v != nil {
			if fl.mode&CutParams != 0 && isParam(fl.Fn.Node(), v) {
				fl.Cut = append(fl.Cut, u.Node)
				return
			}
			fl.trackVar(v, at, u.Node)
			return
		}
		fl.Escapes = !captureStore(fl, u) // a field, an element, a global, a named result variable (a captured one: see Lift)
	case UseReleaseOnError, UseReleaseIfTrue, UseReleaseIfFalse, UseReleaseEither:
		if fl.mode&HandedBack == 0 {
			fl.Escapes = true
			return
		}
		fl.CondReleases = append(fl.CondReleases, u.Node)
	default:
		switch {
		case fl.mode&HandedBack != 0 && u.Hook:
			fl.Hooks = append(fl.Hooks, u.Node)
		case u.Closer && closerReturned(fl, it.cur): // return c, tr.CloseIdleConnections
		case fl.mode&TrustCalls == 0 || !u.Call:
			fl.Escapes = true
		default:
			fl.Unseen = append(fl.Unseen, u.Node)
		}
	}
}

// ancestor returns the n-th ancestor of cur.
func ancestor(cur inspector.Cursor, n int) inspector.Cursor {
	for range n {
		cur = cur.Parent()
	}
	return cur
}

// trackVar adds the uses of the local variable v, which holds the
// resource at at, to the work list of fl. A use in a function literal
// may run after the function returns: it counts as an escape, unless it
// releases the resource.
func (fl *Flow) trackVar(v *types.Var, at Place, store ast.Node) {
	key := varAt{v, strings.Join(at, ".")}
	fl.over.stored(v, store)
	if slices.Contains(fl.tracked, key) {
		return // already followed, holding it there
	}
	if slices.Contains(fl.Vars, v) && (len(at) > maxPlaces || pointsBackTo(fl.c.Info, store, v) || slices.ContainsFunc(fl.tracked, func(k varAt) bool {
		return k.v == v && (k.at == "" || strings.HasPrefix(key.at, k.at+".")) // x.next = x: no end of places
	})) {
		return
	}
	fl.tracked = append(fl.tracked, key)
	if !slices.Contains(fl.Vars, v) {
		fl.Vars = append(fl.Vars, v)
	}
	uses := fl.c.UsesOf(fl.Fn, v)
	overs := overwritesOf(fl.Fn, v, uses, store)
	for _, use := range uses {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			continue // overwritten: another value
		}
		if store != nil && PosIn(use.Node().Pos(), store) {
			continue // the store that put it there: v.f = value
		}
		encl, _ := EnclosingFunc(use)
		if ov, ok := hide(overs, use); ok && encl == fl.Fn {
			fl.over.hidden = append(fl.over.hidden, hiddenUse{flowItem{use, at}, ov})
			continue
		}
		if encl == fl.Fn {
			fl.work = append(fl.work, flowItem{use, at})
			continue
		}
		kind := fl.c.Classify(fl.s, StackOf(use, encl), at, -1).Kind
		switch {
		case kind == UseRead:
			// A function literal that reads only what holds nothing of
			// it: func() { c.random.Float64() }.
		case handedBack(fl.c, fl.s, fl.Fn, encl):
			// A function literal that captures it, given to a callee
			// that hands it back in a result: followed as that value.
			fl.work = append(fl.work, flowItem{encl, Place{}})
		case fl.mode&TrustCalls != 0 && runsInPlace(fl.c.Info, encl), waitedFor(fl.c.Info, fl.Fn, encl):
			fl.step(flowItem{use, at}, encl, -1) // judged by what it does there
		case kind == UseRelease && closerLiteral(fl, encl), fl.returnsLiteral(encl):
			// A function literal that captures it, returned: the result
			// holds it (a wrapper made of a func).
		case kind == UseRelease:
			fl.Released = true
			fl.Releases = append(fl.Releases, use.Node())
		default:
			if lit, ok := storedLiteral(fl.c.Info, fl.Fn, use); ok {
				// A function literal that captures it, stored: the
				// literal holds it, somewhere.
				fl.work = append(fl.work, flowItem{lit, Place{}})
				continue
			}
			fl.Escapes = true
		}
	}
}

// pointsBackTo reports whether store assigns v's field a literal that
// holds v itself: a service wired to its client (x.svc = &Svc{c: x}),
// which holds nothing of v's that v does not.
func pointsBackTo(info *types.Info, store ast.Node, v *types.Var) bool {
	as, ok := store.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return false
	}
	rhs := ast.Unparen(as.Rhs[0])
	if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
		rhs = ast.Unparen(u.X)
	}
	lit, ok := rhs.(*ast.CompositeLit)
	return ok && slices.ContainsFunc(lit.Elts, func(e ast.Expr) bool {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			e = kv.Value
		}
		return VarOf(info, e) == v
	})
}

// storedLiteral returns the function literal, nested directly in the
// function at fn, that holds use, if its value is stored by an
// assignment or a declaration (and so followed as any value is):
//
//	wrap := func() *Res { return r }
//	h.Makers["r"] = func() *Res { return wrap() }
func storedLiteral(info *types.Info, fn, use inspector.Cursor) (inspector.Cursor, bool) {
	for lit := use.Parent(); lit.Node() != nil && lit != fn; lit = lit.Parent() {
		if _, ok := lit.Node().(*ast.FuncLit); !ok {
			continue
		}
		if encl, _ := EnclosingFunc(lit.Parent()); encl != fn {
			continue // nested deeper: the outer literal holds it
		}
		value := converted(info, lit) // f := HandlerFunc(func(...) {...})
		switch value.ParentEdgeKind() {
		case edge.AssignStmt_Rhs, edge.ValueSpec_Values:
			return value, true
		}
		return inspector.Cursor{}, false
	}
	return inspector.Cursor{}, false
}

// isConversion reports whether call converts its argument to a type.
func isConversion(info *types.Info, call *ast.CallExpr) bool {
	tv, ok := info.Types[call.Fun]
	return ok && tv.IsType()
}

// converted returns the outermost expression that holds the value at cur
// as it is: through parentheses and conversions.
func converted(info *types.Info, cur inspector.Cursor) inspector.Cursor {
	cur = OuterParens(cur)
	for cur.ParentEdgeKind() == edge.CallExpr_Args {
		call := cur.Parent().Node().(*ast.CallExpr)
		if len(call.Args) != 1 || !isConversion(info, call) {
			break
		}
		cur = OuterParens(cur.Parent())
	}
	return cur
}

// nakedReturns notes that the naked returns of the function of fl
// return the resource, which sits at at in v, its named result.
func (fl *Flow) nakedReturns(v *types.Var, at Place) {
	_, body := FuncParts(fl.Fn.Node())
	i := ResultIndex(fl.Fn.Node(), v)
	for _, ret := range ReturnsOf(body) {
		if len(ret.Results) == 0 {
			fl.returned(i, at)
			if fl.mode&CutParams != 0 {
				fl.Cut = append(fl.Cut, ret)
			}
		}
	}
}

// returned notes that the function of fl returns the resource as its
// result i, at at in it. Returned in the same result at two places, it
// is somewhere in the fields they share (an SDK client whose every
// service holds the request handler it was given).
func (fl *Flow) returned(i int, at Place) {
	fl.ReturnedTwice = fl.ReturnedTwice || fl.Returned && (fl.ReturnedIn != i || !slices.Equal(fl.ReturnedAt, at))
	if fl.Returned && fl.ReturnedIn == i {
		n := 0
		for n < len(at) && n < len(fl.ReturnedAt) && at[n] == fl.ReturnedAt[n] {
			n++
		}
		at = at[:n]
	}
	fl.Returned, fl.ReturnedIn, fl.ReturnedAt = true, i, at
}

// returnsLiteral reports whether the function literal at lit, nested in
// the function of fl, is returned by it, as it is or converted (to a
// func type with methods): then fl is returned, at no known field.
//
//	return HandlerFunc(func(x *Req) error { return next.Do(x) })
func (fl *Flow) returnsLiteral(lit inspector.Cursor) bool {
	cur, ok := returnedLiteral(fl, lit)
	if !ok {
		return false
	}
	fl.Returned, fl.ReturnedIn, fl.ReturnedAt = true, cur.ParentEdgeIndex(), Place{}
	if fl.mode&CutParams != 0 {
		fl.Cut = append(fl.Cut, cur.Parent().Node())
	}
	return true
}

// handedBack reports whether the function literal at lit, nested
// directly in the function at fn, is an argument of a call whose callee
// returns it in a result, as the summaries for s say (a wrapper that
// makes an option of a func):
//
//	return newFuncOption(func(o *options) { o.hc = hc })
func handedBack(e *Engine, s Spec, fn, lit inspector.Cursor) bool {
	if encl, _ := EnclosingFunc(lit.Parent()); encl != fn {
		return false // nested deeper
	}
	cur := OuterParens(lit)
	if cur.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	st := e.ParamEffect(s, cur.Parent().Node().(*ast.CallExpr), cur.ParentEdgeIndex(), Place{})
	return st.Climb && st.Call
}

// runsInPlace reports whether the function literal at lit runs before
// the function around it returns, as far as it can tell: it is called,
// deferred, or handed to a call (sync.Once.Do, sort.Slice), not started
// by a go statement nor stored.
func runsInPlace(info *types.Info, lit inspector.Cursor) bool {
	cur := OuterParens(lit)
	switch cur.ParentEdgeKind() {
	case edge.CallExpr_Fun:
		return cur.Parent().ParentEdgeKind() != edge.GoStmt_Call
	case edge.CallExpr_Args:
		return !isConversion(info, cur.Parent().Node().(*ast.CallExpr)) // handed to a call, not converted
	}
	return false
}
