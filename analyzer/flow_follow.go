package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds follow, the flow-insensitive half of the value-flow
// layer: every use of a value built in a function, whatever the path,
// through the local variables and holders it is copied into.

// A flow is what a function does with a value it builds, whatever the
// path: the local variables that hold it, the spec's uses, and whether
// it is released, returned or escapes.
type flow struct {
	c          *checker
	s          spec
	fn         inspector.Cursor // the innermost function that builds the value
	vars       []*types.Var     // the local variables that hold it, in the order met
	uses       []ast.Node       // the spec's uses (requests through a pool)
	escapes    bool             // it reaches code not followed
	returned   bool             // it is returned to the caller
	returnedAt place            // where the resource sits in what is returned
	released   bool             // the spec's release is applied to it
	flags      uint8            // what the spec noted, or-ed

	work []flowItem // values still to look at
}

type flowItem struct {
	cur inspector.Cursor // an expression whose value holds the resource
	at  place
}

// follow follows the value built at start, in the function at fn (result
// result of it, if a call with several results), through the expressions
// and local variables that hold it, until it escapes.
func (c *checker) follow(s spec, fn, start inspector.Cursor, result int, at place) *flow {
	fl := &flow{c: c, s: s, fn: fn, work: []flowItem{{start, at}}}
	first := true
	for len(fl.work) > 0 && !fl.escapes {
		it := fl.work[len(fl.work)-1]
		fl.work = fl.work[:len(fl.work)-1]
		r := -1
		if first {
			r, first = result, false
		}
		fl.step(it, r)
	}
	return fl
}

// step applies the use of the value at it to fl.
func (fl *flow) step(it flowItem, result int) {
	u := fl.c.classify(fl.s, stackOf(it.cur, fl.fn), it.at, result)
	fl.flags |= u.flags
	switch u.kind {
	case useRead, useDrop, useReplace:
	case useUse:
		fl.uses = append(fl.uses, u.node)
	case useRelease:
		fl.released = true
	case useReturn:
		fl.returned, fl.returnedAt = true, u.at
	case useStore:
		if v, at := fl.storedIn(u.into, u.at); v != nil {
			fl.trackVar(v, at)
			return
		}
		fl.escapes = true // a field, an element, a global, a captured or named result variable
	default:
		fl.escapes = true
	}
}

// storedIn returns the local variable of the function that lhs stores
// into, and where the resource then sits in it: lhs itself, or x.f for a
// local x of its own (a fresh holder) whose field f the spec lets hold
// the resource. It returns nil for anything else.
func (fl *flow) storedIn(lhs ast.Expr, at place) (*types.Var, place) {
	info := fl.c.pass.TypesInfo
	switch lhs := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if v, ok := info.ObjectOf(lhs).(*types.Var); ok && isLocal(fl.fn, v) {
			return v, at
		}
	case *ast.SelectorExpr:
		field, ok := info.ObjectOf(lhs.Sel).(*types.Var)
		if !ok || !field.IsField() {
			return nil, nil
		}
		x := identOf(lhs.X)
		if x == nil {
			return nil, nil
		}
		v, ok := info.Uses[x].(*types.Var)
		if !ok || !isLocal(fl.fn, v) || fl.s.literal(fl.c, v.Type(), nil, field) != useHold || !fl.freshHolder(v) {
			return nil, nil
		}
		return v, append(place{field.Name()}, at...)
	}
	return nil, nil
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
func (fl *flow) trackVar(v *types.Var, at place) {
	if slices.Contains(fl.vars, v) {
		return // already followed
	}
	fl.vars = append(fl.vars, v)
	for _, use := range fl.c.idx.usesOf(fl.fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			continue // overwritten: another value
		}
		if encl, _ := enclosingFunc(use); encl != fl.fn {
			if u := fl.c.classify(fl.s, stackOf(use, encl), at, -1); u.kind == useRelease {
				fl.released = true
			} else {
				fl.escapes = true
			}
			continue
		}
		fl.work = append(fl.work, flowItem{use, at})
	}
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
