package flow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A value built in a function literal that the function around it runs
// on the spot reaches that function's own code in two ways: as the
// literal's result, where the literal is called where it is written,
//
//	c := func() *Client { return &Client{...} }()
//
// and through a local variable of the function around it, which the
// literal (called, or handed to a call that runs it, as sync.Once.Do
// does) stores it in:
//
//	var c *Client
//	once.Do(func() { c = &Client{...} })
//	c.Send(...)
//
// Lift follows it on from there.

// A capture is the store of a value, followed in a function literal,
// into a local variable of a function around the literal.
type capture struct {
	v     *types.Var
	at    Place
	store ast.Node
	only  bool // the flow escaped by that store alone
}

// captureStore notes the store u of fl's value into a variable captured
// from a function around fl's literal; it reports false, and notes
// nothing, if u stores it anywhere else or a second variable gets it.
func captureStore(fl *Flow, u Use) bool {
	id, ok := ast.Unparen(u.Into).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := fl.c.Info.Uses[id].(*types.Var)
	if !ok || v.Kind() == types.PackageVar || v.Kind() == types.FieldVar || PosIn(v.Pos(), fl.Fn.Node()) {
		return false // a package variable, or one of the literal's own
	}
	if fl.captured != nil && fl.captured.v != v {
		return false
	}
	fl.captured = &capture{v: v, at: u.At, store: u.Node}
	return true
}

// Lift returns the flow of fl's value in the function around fl.Fn, a
// function literal that runs on the spot and hands the value to that
// function's code (see above); fl itself if it does not, or if the
// value escapes the literal another way. Each level out is followed in
// turn.
func Lift(fl *Flow) *Flow {
	for {
		lit := fl.Fn
		if _, ok := lit.Node().(*ast.FuncLit); !ok {
			return fl
		}
		outer, ok := EnclosingFunc(lit.Parent())
		if !ok {
			return fl
		}
		cur := OuterParens(lit)
		returned := fl.captured == nil && fl.Returned && !fl.Escapes && !fl.ReturnedTwice
		var next *Flow
		if call, ok := onceValueCall(fl.c, outer, cur); returned && ok {
			next = fl.c.Follow(fl.s, outer, call, fl.ReturnedIn, fl.ReturnedAt, fl.mode)
		} else if returned && calledInPlace(cur) {
			next = fl.c.Follow(fl.s, outer, cur.Parent(), fl.ReturnedIn, fl.ReturnedAt, fl.mode)
		} else if fl.captured != nil && fl.captured.only && !fl.Returned && isLocal(outer, fl.captured.v) && runsInPlace(fl.c.Info, lit) && !inDeferOrGo(cur.Parent()) {
			next = &Flow{c: fl.c, s: fl.s, Fn: outer, mode: fl.mode}
			next.trackVar(fl.captured.v, fl.captured.at, fl.captured.store)
			next.run(-1)
		} else {
			return fl
		}
		// What the literal did with it before it handed it out.
		next.Vars = append(fl.Vars, next.Vars...)
		next.Uses = append(fl.Uses, next.Uses...)
		next.Flags |= fl.Flags
		next.Released = next.Released || fl.Released
		next.Releases = append(fl.Releases, next.Releases...)
		fl = next
	}
}

// onceValueCall returns the one call of the func that sync.OnceValue
// (or OnceValues) makes of the literal at lit, kept in a local variable
// of the function at outer that is not used otherwise:
//
//	get := sync.OnceValue(func() *Client { return &Client{...} })
//	get().Send(...)
//
// It reports false if there is none, or more than one.
func onceValueCall(c *Engine, outer, lit inspector.Cursor) (inspector.Cursor, bool) {
	call, ok := lit.Parent().Node().(*ast.CallExpr)
	if lit.ParentEdgeKind() != edge.CallExpr_Args || !ok || !IsFunc(CalleeFunc(c.Info, call), "sync", "OnceValue", "OnceValues") {
		return inspector.Cursor{}, false
	}
	as, ok := OuterParens(lit.Parent()).Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return inspector.Cursor{}, false
	}
	v := VarOf(c.Info, as.Lhs[0])
	if v == nil || !isLocal(outer, v) {
		return inspector.Cursor{}, false
	}
	var found inspector.Cursor
	n := 0
	for _, use := range c.UsesOf(outer, v) {
		if use.Node() == as.Lhs[0] {
			continue
		}
		if n++; n > 1 || OuterParens(use).ParentEdgeKind() != edge.CallExpr_Fun {
			return inspector.Cursor{}, false
		}
		found = OuterParens(use).Parent()
	}
	return found, n == 1
}

// calledInPlace reports whether the function literal at lit (outside its
// parentheses) is called where it is written, and not by a go or defer
// statement.
func calledInPlace(lit inspector.Cursor) bool {
	if lit.ParentEdgeKind() != edge.CallExpr_Fun {
		return false
	}
	return !inDeferOrGo(lit.Parent())
}

// inDeferOrGo reports whether the call at call is that of a defer or a
// go statement.
func inDeferOrGo(call inspector.Cursor) bool {
	switch call.ParentEdgeKind() {
	case edge.GoStmt_Call, edge.DeferStmt_Call:
		return true
	}
	return false
}
