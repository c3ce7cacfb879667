package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// Where a value followed by Follow is stored: the local variables and
// holders of the function that take it, and which of them hold values
// of their own.

// switchVars returns the variables of the clauses of the type switch
// in the function at fn whose guard is the assignment n (switch t :=
// x.(type)), or nil if it is none.
func switchVars(info *types.Info, fn inspector.Cursor, n ast.Node) []*types.Var {
	if as, ok := n.(*ast.AssignStmt); !ok || len(as.Rhs) != 1 {
		return nil
	} else if ta, ok := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr); !ok || ta.Type != nil {
		return nil
	}
	cur, ok := fn.FindNode(n)
	if !ok || cur.ParentEdgeKind() != edge.TypeSwitchStmt_Assign {
		return nil
	}
	var vars []*types.Var
	for _, clause := range cur.Parent().Node().(*ast.TypeSwitchStmt).Body.List {
		if v, ok := info.Implicits[clause].(*types.Var); ok {
			vars = append(vars, v)
		}
	}
	return vars
}

// storedIn returns the local variable of the function that lhs stores
// into, and where the resource then sits in it: lhs itself, or x.f for a
// local x of its own (a fresh holder) whose field f the spec lets hold
// the resource. It returns nil for anything else.
func (fl *Flow) storedIn(lhs ast.Expr, at Place, holder bool) (*types.Var, Place) {
	info := fl.c.Info
	switch lhs := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		v, ok := info.ObjectOf(lhs).(*types.Var)
		switch {
		case !ok:
		case holder:
			// Stored by a callee into what v holds, as into a field of v.
			return fl.intoHolder(v, at)
		case isLocal(fl.Fn, v) || ParamIndex(fl.Fn.Node(), v) >= 0:
			// A local variable, or a parameter given another value (its
			// object is not the caller's any more).
			return v, at
		case ResultIndex(fl.Fn.Node(), v) >= 0:
			// A named result: a naked return returns it.
			fl.nakedReturns(v, at)
			return v, at
		}
		return nil, nil
	case *ast.SelectorExpr:
		// x.f or x.f.g: a field of a local holder of its own, or (into
		// params) of a parameter, the receiver included.
		e, fields, ok := FieldChain(info, lhs)
		x := IdentOf(e)
		if !ok || x == nil {
			return nil, nil
		}
		v, ok := info.Uses[x].(*types.Var)
		if !ok || fl.s.Literal(v.Type(), nil, FieldOf(info, firstSelector(lhs))) != UseHold {
			return nil, nil
		}
		if !holder && isParam(fl.Fn.Node(), v) && inCopy(info, lhs) {
			return v, append(fields, at...) // the function's own copy: a struct parameter or value receiver
		}
		return fl.intoHolder(v, append(fields, at...))
	case *ast.UnaryExpr:
		// &x given to a callee that stores into what it points to: into x.
		if lhs.Op == token.AND && holder {
			return fl.storedIn(lhs.X, at, true)
		}
	case *ast.IndexExpr:
		// x[k] or x.f[k]: an element of a map or slice that a local
		// holder of its own, or (into params) a parameter, holds: it
		// holds the resource somewhere.
		return fl.storedIn(lhs.X, Place{}, true)
	}
	return nil, nil
}

// intoHolder returns v, which gets the value in a field of what it holds
// (the value then holds the resource at at), if v is a local holder of its
// own or (into params) a parameter, the receiver included; nil otherwise.
func (fl *Flow) intoHolder(v *types.Var, at Place) (*types.Var, Place) {
	switch {
	case isLocal(fl.Fn, v) && fl.freshHolder(v):
	case ResultIndex(fl.Fn.Node(), v) >= 0 && IsStructType(v.Type()):
		// A named result of a struct type: a value of the function's
		// own, which a naked return returns.
		fl.nakedReturns(v, at)
	case fl.mode&(IntoParams|CutParams) != 0 && isParam(fl.Fn.Node(), v):
		fl.IntoParam = true
		fl.IntoRecv = fl.IntoRecv || ParamIndex(fl.Fn.Node(), v) < 0
	default:
		return nil, nil
	}
	return v, at
}

// inCopy reports whether the field chain sel (x.f or x.f.g) lies in the
// struct value x itself, never through a pointer: a store into it stays
// in x, and does not reach what x shares with its caller.
//
//	func (c Client) Get() { c.hc = ... }         // in c, the caller's copy untouched
//	func (c Client) Get() { c.state.hc = ... }   // through the pointer c.state: shared
func inCopy(info *types.Info, sel ast.Expr) bool {
	for {
		s, ok := ast.Unparen(sel).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if t := info.TypeOf(s.X); t == nil || !IsStructType(t) {
			return false
		}
		sel = s.X
	}
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
	return ParamIndex(fn, v) >= 0 || IsRecvOf(fn, v)
}

// IsRecvOf reports whether v is the receiver of the function
// declaration fn.
func IsRecvOf(fn ast.Node, v *types.Var) bool {
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
	_, body := FuncParts(fn.Node())
	return !v.IsField() && body != nil && PosIn(v.Pos(), body)
}

// freshHolder reports whether the local variable v, never reassigned,
// holds a value of its own: a struct value (a copy, whatever it was
// copied from), a map or slice made in the function, or a pointer to a
// composite literal built in the function, to a new(T), or to the new
// value a constructor returns (a KindNew result):
//
//	var h Holder    h := *shared    h := &Holder{Name: n}    h := NewHolder()
//	m := map[string]*T{}    s := make([]*T, n)
func (fl *Flow) freshHolder(v *types.Var) bool {
	init, result, ok := fl.c.LocalOrigin(fl.Fn, v)
	switch {
	case !ok:
		return false // reassigned: maybe to a shared value
	case IsContainerType(v.Type()):
		return init != nil && madeHere(fl.c.Info, init)
	case !IsPointerType(v.Type()):
		return IsStructType(v.Type())
	}
	return init != nil && fl.c.IsNew(init, result)
}

// madeHere reports whether e makes a new map or slice: a composite
// literal or a call of make.
func madeHere(info *types.Info, e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		return IsBuiltin(info, x, "make")
	}
	return false
}

// LocalOrigin returns the expression that the local variable v is
// declared with in the function at fn (result: which result of it, if a
// call with several), when the function never assigns v again; init is
// nil when it is not known (a declaration without a value, a range
// variable). ok is false if v is assigned again.
//
//	v := &T{}    v, err := newT()    var v T
func (c *Engine) LocalOrigin(fn inspector.Cursor, v *types.Var) (init ast.Expr, result int, ok bool) {
	for _, use := range c.UsesOf(fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			return nil, 0, false // reassigned
		}
	}
	init, result = DeclaredWith(fn, v)
	return init, result, true
}

// DeclaredWith returns the expression that the variable v is declared
// with in the function at fn (result: which result of it, if a call with
// several): v := x, var v = x, v, err := f(); nil if none or not known.
func DeclaredWith(fn inspector.Cursor, v *types.Var) (init ast.Expr, result int) {
	def, found := fn.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !found {
		return nil, 0
	}
	switch kind, idx := def.ParentEdge(); kind {
	case edge.AssignStmt_Lhs:
		as := def.Parent().Node().(*ast.AssignStmt)
		switch {
		case as.Tok != token.DEFINE:
		case len(as.Lhs) == len(as.Rhs):
			return as.Rhs[idx], 0
		case len(as.Rhs) == 1:
			return as.Rhs[0], idx // v, err := newHolder()
		}
	case edge.ValueSpec_Names:
		spec := def.Parent().Node().(*ast.ValueSpec)
		switch {
		case len(spec.Names) == len(spec.Values):
			return spec.Values[idx], 0
		case len(spec.Values) == 1:
			return spec.Values[0], idx
		}
	}
	return nil, 0
}

// IsNew reports whether e builds a new value of its own, which nothing
// else holds: a composite literal or a pointer to one, new(T), a call of a
// constructor whose result (result of the call's results) is KindNew or
// holds a fresh resource whatever its arguments (a holder the
// constructor built), or a call of a method that returns its receiver
// (or an argument), itself new: New().URL(u), a builder's chain.
func (c *Engine) IsNew(e ast.Expr, result int) bool {
	if CompositeOf(e) != nil {
		return true // a composite literal, or its address
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		if IsBuiltin(c.Info, x, "new") {
			return true
		}
		f := c.Summary(CalleeFunc(c.Info, x))
		if slices.ContainsFunc(f.Results, func(r ResultFact) bool {
			return r.Index == result && (r.Kind == KindNew || r.When.Param == 0 && !r.ViaRoundTripper)
		}) {
			return true
		}
		return returnsNew(c, x, f, result)
	}
	return false // nil, shared or unknown
}

// returnsNew reports whether call, whose callee's summary is f, returns
// as its result only what it is given (its receiver, an argument), each
// new: a fluent method called on a new value.
func returnsNew(c *Engine, call *ast.CallExpr, f *Fact, result int) bool {
	passed := false
	for _, p := range f.Params {
		if p.Effect&Returns == 0 || p.Result != result || p.Path != "" {
			continue // not returned, or returned inside the result
		}
		if arg := holderArg(call, p.Index); arg == nil || !c.IsNew(arg, 0) {
			return false
		}
		passed = true
	}
	return passed
}
