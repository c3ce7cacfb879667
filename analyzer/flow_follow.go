package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds follow, the flow-insensitive half of the value-flow
// layer: every use of a value built in a function, whatever the path,
// through the local variables and holders it is copied into.

// A flow is what a function does with a value it builds, or gets in a
// parameter, whatever the path: the local variables that hold it, the
// spec's uses, and whether it is released, returned or escapes.
type flow struct {
	c             *checker
	s             spec
	fn            inspector.Cursor // the innermost function that builds the value
	mode          flowMode
	vars          []*types.Var // the variables that hold it, in the order met
	uses          []ast.Node   // the spec's uses (requests through a pool)
	escapes       bool         // it reaches code not followed
	returned      bool         // it is returned to the caller
	returnedIn    int          // in which result
	returnedAt    place        // where the resource sits in it
	returnedTwice bool         // it is returned in two results, or at two places: returnedIn and returnedAt name the last
	released      bool         // the spec's release is applied to it
	replaced      bool         // the resource in it is replaced by another (resp.Body = copy)
	releases      []ast.Node   // where it is released
	flags         uint8        // what the spec noted, or-ed
	unseen        []ast.Node   // with trustCalls: the calls into code it cannot see that got it
	intoParam     bool         // with intoParams: it went into a parameter's field
	intoRecv      bool         // with intoParams: it went into a field of the receiver

	work []flowItem // values still to look at
}

// A flowMode says how follow judges what it cannot see, for the check
// (the default: anything unknown is an escape) or for a summary.
type flowMode uint8

const (
	// intoParams: a value stored into a field of a parameter is followed
	// through that parameter (whose object the caller owns), as in
	//
	//	func newClient(hc *http.Client) *Client {
	//		hc.Transport = newTransport()
	//		return &Client{hc: hc}
	intoParams flowMode = 1 << iota
	// trustCalls: a value passed to code the engine cannot see into (a
	// func value, an interface method) is trusted not to be kept there;
	// a function literal handed to a call or deferred is judged by what
	// it does; a release counts only if no branch guards it.
	trustCalls
)

type flowItem struct {
	cur inspector.Cursor // an expression whose value holds the resource
	at  place
}

// follow follows the value built at start, in the function at fn (result
// result of it, if a call with several results), through the expressions
// and local variables that hold it, until it escapes.
func (c *checker) follow(s spec, fn, start inspector.Cursor, result int, at place, mode flowMode) *flow {
	fl := &flow{c: c, s: s, fn: fn, mode: mode, work: []flowItem{{start, at}}}
	fl.run(result)
	return fl
}

// followVar follows what the function at fn does with the value of the
// variable v (a parameter), which holds the resource at at.
func (c *checker) followVar(s spec, fn inspector.Cursor, v *types.Var, at place, mode flowMode) *flow {
	fl := &flow{c: c, s: s, fn: fn, mode: mode}
	fl.trackVar(v, at, nil)
	fl.run(-1)
	return fl
}

// run looks at the values on the work list until none is left or the
// value escapes. The first is result result of a call.
func (fl *flow) run(result int) {
	for len(fl.work) > 0 && !fl.escapes {
		it := fl.work[len(fl.work)-1]
		fl.work = fl.work[:len(fl.work)-1]
		fl.step(it, fl.fn, result)
		result = -1
	}
}

// step applies the use of the value at it, in the function at fn, to fl.
func (fl *flow) step(it flowItem, fn inspector.Cursor, result int) {
	u := fl.c.classify(fl.s, stackOf(it.cur, fn), it.at, result)
	fl.flags |= u.flags
	if u.usedAt != nil {
		fl.uses = append(fl.uses, u.usedAt)
	}
	switch u.kind {
	case useRead, useDrop:
	case useReplace:
		fl.replaced = true
	case useUse:
		fl.uses = append(fl.uses, u.node)
	case useRelease:
		if fl.mode&trustCalls == 0 || unguarded(fn, ancestor(it.cur, u.depth)) {
			fl.released = true
			fl.releases = append(fl.releases, u.node)
		}
	case useReturn:
		if fn != fl.fn { // returned by a function literal, to the code that runs it
			if fl.mode&trustCalls == 0 {
				fl.escapes = true
			}
			return
		}
		fl.returnedTwice = fl.returnedTwice || fl.returned && (fl.returnedIn != u.result || !slices.Equal(fl.returnedAt, u.at))
		fl.returned, fl.returnedIn, fl.returnedAt = true, u.result, u.at
	case useStore:
		if v, at := fl.storedIn(u.into, u.at); v != nil {
			fl.trackVar(v, at, u.node)
			return
		}
		fl.escapes = true // a field, an element, a global, a captured or named result variable
	default:
		if fl.mode&trustCalls == 0 || !u.call {
			fl.escapes = true
			return
		}
		fl.unseen = append(fl.unseen, u.node)
	}
}

// ancestor returns the n-th ancestor of cur.
func ancestor(cur inspector.Cursor, n int) inspector.Cursor {
	for range n {
		cur = cur.Parent()
	}
	return cur
}

// unguarded reports whether the release at cur runs whenever the function
// at fn does: no branch, loop or function literal lies between them, and
// no return comes before it. A branch on whether what it releases is
// there at all does not count:
//
//	if c.hc != nil {
//		c.hc.CloseIdleConnections()
//	}
func unguarded(fn, cur inspector.Cursor) bool {
	pos := cur.Node().Pos()
	released := ""
	if call, ok := cur.Node().(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			released = types.ExprString(sel.X)
		}
	}
	for ; cur.Node() != nil && cur != fn; cur = cur.Parent() {
		switch n := cur.Node().(type) {
		case *ast.IfStmt:
			if !testsPresence(n, released) {
				return false
			}
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false
		}
	}
	_, body := funcParts(fn.Node())
	for _, ret := range returnsOf(body) {
		if ret.Pos() < pos {
			return false // a path leaves before it
		}
	}
	return true
}

// testsPresence reports whether ifs, with no else, only tests that x
// (or what holds it: c.hc for c.hc.Transport) is not nil.
func testsPresence(ifs *ast.IfStmt, x string) bool {
	b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ || ifs.Init != nil || ifs.Else != nil || x == "" {
		return false
	}
	tested, other := b.X, b.Y
	if id, ok := ast.Unparen(tested).(*ast.Ident); ok && id.Name == "nil" {
		tested, other = other, tested
	}
	if id, ok := ast.Unparen(other).(*ast.Ident); !ok || id.Name != "nil" {
		return false
	}
	t := types.ExprString(tested)
	return x == t || strings.HasPrefix(x, t+".")
}

// storedIn returns the local variable of the function that lhs stores
// into, and where the resource then sits in it: lhs itself, or x.f for a
// local x of its own (a fresh holder) whose field f the spec lets hold
// the resource. It returns nil for anything else.
func (fl *flow) storedIn(lhs ast.Expr, at place) (*types.Var, place) {
	info := fl.c.pass.TypesInfo
	switch lhs := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		// A local variable, or a parameter given another value (its
		// object is not the caller's any more).
		if v, ok := info.ObjectOf(lhs).(*types.Var); ok && (isLocal(fl.fn, v) || paramIndex(fl.fn.Node(), v) >= 0) {
			return v, at
		}
		return nil, nil
	case *ast.SelectorExpr:
		// x.f or x.f.g: a field of a local holder of its own, or (into
		// params) of a parameter, the receiver included.
		var fields []string
		var e ast.Expr = lhs
		for {
			sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
			if !ok {
				break
			}
			if fieldOf(info, sel) == nil {
				return nil, nil
			}
			fields = append([]string{sel.Sel.Name}, fields...)
			e = sel.X
		}
		x := identOf(e)
		if x == nil {
			return nil, nil
		}
		v, ok := info.Uses[x].(*types.Var)
		if !ok || fl.s.literal(fl.c, v.Type(), nil, fieldOf(info, firstSelector(lhs))) != useHold {
			return nil, nil
		}
		switch {
		case isLocal(fl.fn, v) && fl.freshHolder(v):
		case fl.mode&intoParams != 0 && isParam(fl.fn.Node(), v):
			fl.intoParam = true
			fl.intoRecv = fl.intoRecv || paramIndex(fl.fn.Node(), v) < 0
		default:
			return nil, nil
		}
		return v, append(place(fields), at...)
	}
	return nil, nil
}

// firstSelector returns the innermost selector of a chain x.f.g: x.f.
func firstSelector(e ast.Expr) *ast.SelectorExpr {
	sel, _ := ast.Unparen(e).(*ast.SelectorExpr)
	for sel != nil {
		inner, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
		if !ok {
			break
		}
		sel = inner
	}
	return sel
}

// isParam reports whether v is a parameter or the receiver of the
// function declaration or literal fn.
func isParam(fn ast.Node, v *types.Var) bool {
	if paramIndex(fn, v) >= 0 {
		return true
	}
	fd, ok := fn.(*ast.FuncDecl)
	if !ok || fd.Recv == nil {
		return false
	}
	for _, f := range fd.Recv.List {
		for _, name := range f.Names {
			if name.Pos() == v.Pos() {
				return true
			}
		}
	}
	return false
}

// isLocal reports whether v is declared in the body of the function at
// fn (not a parameter or named result, not captured from outside).
func isLocal(fn inspector.Cursor, v *types.Var) bool {
	_, body := funcParts(fn.Node())
	return !v.IsField() && body != nil && posIn(v.Pos(), body)
}

// trackVar adds the uses of the local variable v, which holds the
// resource at at, to the work list of fl. A use in a function literal
// may run after the function returns: it counts as an escape, unless it
// releases the resource.
func (fl *flow) trackVar(v *types.Var, at place, store ast.Node) {
	if slices.Contains(fl.vars, v) {
		return // already followed
	}
	fl.vars = append(fl.vars, v)
	for _, use := range fl.c.idx.usesOf(fl.fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			continue // overwritten: another value
		}
		if store != nil && posIn(use.Node().Pos(), store) {
			continue // the store that put it there: v.f = value
		}
		encl, _ := enclosingFunc(use)
		switch {
		case encl == fl.fn:
			fl.work = append(fl.work, flowItem{use, at})
		case fl.mode&trustCalls != 0 && fl.runsInPlace(encl):
			fl.step(flowItem{use, at}, encl, -1) // judged by what it does there
		case fl.returnsLiteral(encl):
			// A function literal that captures it, returned: the result
			// holds it (a round tripper made of a func, as promhttp's
			// InstrumentRoundTripper* return).
		case fl.c.classify(fl.s, stackOf(use, encl), at, -1).kind == useRelease:
			fl.released = true
			fl.releases = append(fl.releases, use.Node())
		default:
			fl.escapes = true
		}
	}
}

// returnsLiteral reports whether the function literal at lit, nested in
// the function of fl, is returned by it, as it is or converted (to a
// func type with methods): then fl is returned, at no known field.
//
//	return RoundTripperFunc(func(r *http.Request) (*http.Response, error) { return next.RoundTrip(r) })
func (fl *flow) returnsLiteral(lit inspector.Cursor) bool {
	if encl, _ := enclosingFunc(lit.Parent()); encl != fl.fn {
		return false // nested deeper
	}
	cur := outerParens(lit)
	for cur.ParentEdgeKind() == edge.CallExpr_Args {
		call := cur.Parent().Node().(*ast.CallExpr)
		if tv, ok := fl.c.pass.TypesInfo.Types[call.Fun]; !ok || !tv.IsType() || len(call.Args) != 1 {
			return false // not a conversion
		}
		cur = outerParens(cur.Parent())
	}
	if cur.ParentEdgeKind() != edge.ReturnStmt_Results {
		return false
	}
	fl.returned, fl.returnedIn, fl.returnedAt = true, cur.ParentEdgeIndex(), place{}
	return true
}

// runsInPlace reports whether the function literal at lit runs before
// the function around it returns, as far as it can tell: it is called,
// deferred, or handed to a call (sync.Once.Do, sort.Slice), not started
// by a go statement nor stored.
func (fl *flow) runsInPlace(lit inspector.Cursor) bool {
	cur := outerParens(lit)
	switch cur.ParentEdgeKind() {
	case edge.CallExpr_Fun:
		return cur.Parent().ParentEdgeKind() != edge.GoStmt_Call
	case edge.CallExpr_Args:
		tv, ok := fl.c.pass.TypesInfo.Types[cur.Parent().Node().(*ast.CallExpr).Fun]
		return ok && !tv.IsType() // handed to a call, not converted
	}
	return false
}

// freshHolder reports whether the local variable v, never reassigned,
// holds a value of its own: a struct value (a copy, whatever it was
// copied from), or a pointer to a composite literal built in the
// function:
//
//	var c http.Client    c := *shared    c := &http.Client{Timeout: d}
func (fl *flow) freshHolder(v *types.Var) bool {
	fn := fl.fn
	for _, use := range fl.c.idx.usesOf(fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			return false // reassigned: maybe to a shared value
		}
	}
	if !isPointerType(v.Type()) {
		return isStructType(v.Type())
	}
	def, ok := fn.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		return false
	}
	var init ast.Expr
	switch kind, idx := def.ParentEdge(); kind {
	case edge.AssignStmt_Lhs:
		if as := def.Parent().Node().(*ast.AssignStmt); len(as.Lhs) == len(as.Rhs) {
			init = as.Rhs[idx]
		}
	case edge.ValueSpec_Names:
		if spec := def.Parent().Node().(*ast.ValueSpec); len(spec.Names) == len(spec.Values) {
			init = spec.Values[idx]
		}
	}
	if u, ok := ast.Unparen(init).(*ast.UnaryExpr); ok && u.Op == token.AND {
		_, ok := ast.Unparen(u.X).(*ast.CompositeLit)
		return ok
	}
	return false // nil, shared or unknown
}
