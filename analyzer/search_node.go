package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// This file says what one node of a path does to a tracked variable:
// the uses in it (scan), what a condition tells of the resource and of
// the call's error (assume).

// A tracked is a variable that holds a resource, as the path search
// follows it.
type tracked struct {
	c      *checker
	s      spec
	v      *types.Var // the variable
	at     place      // where the resource sits in v
	errVar *types.Var // the call's error result, if bound
	stack  []ast.Node // scratch stack for use scans
}

// scan classifies the uses of v in n: the strongest event, whether v was
// used as non-nil, and whether the error variable was overwritten.
func (t *tracked) scan(n ast.Node) (ev pathEvent, deref, unlink bool) {
	info := t.c.pass.TypesInfo
	t.stack = t.stack[:0]
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			t.stack = t.stack[:len(t.stack)-1]
			return true
		}
		t.stack = append(t.stack, x)
		id, ok := x.(*ast.Ident)
		if !ok || id.Name != t.v.Name() && (t.errVar == nil || id.Name != t.errVar.Name()) {
			return true // not a mention of either (a cheap test before the lookup)
		}
		switch obj := info.ObjectOf(id); {
		case obj == nil:
		case obj == t.v:
			u := t.c.classify(t.s, t.stack, t.at, -1)
			if e := eventOf(u.kind); e > ev {
				ev = e
			}
			deref = deref || u.deref
		case obj == t.errVar && t.errVar != nil:
			if len(t.stack) < 2 {
				break // n is err itself (a condition "if err", in broken code)
			}
			if as, ok := t.stack[len(t.stack)-2].(*ast.AssignStmt); ok && containsExpr(as.Lhs, id) {
				unlink = true
			}
		}
		return true
	})
	return ev, deref, unlink
}

// assume returns the states in which cond evaluates to truth, starting
// from st; none if that cannot happen while the resource is held (the
// path is pruned: the call failed, so there is nothing to release). It
// also reports whether the condition hands the resource off, or says
// there is nothing to release.
func (t *tracked) assume(cond ast.Expr, truth bool, st pathState) ([]pathState, bool) {
	switch e := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return t.assume(e.X, !truth, st)
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			// a && b is true when both are; a || b is false when both are.
			var out []pathState
			handedOff := false
			thenY := func(states []pathState, h bool) { // each of states, then e.Y
				handedOff = handedOff || h
				for _, s := range states {
					more, h := t.assume(e.Y, truth, s)
					handedOff = handedOff || h
					out = append(out, more...)
				}
			}
			if (e.Op == token.LAND) == truth {
				thenY(t.assume(e.X, truth, st))
				return out, handedOff
			}
			out, handedOff = t.assume(e.X, truth, st)
			thenY(t.assume(e.X, !truth, st))
			return out, handedOff
		case token.EQL, token.NEQ:
			if states, handedOff, ok := t.compare(e, truth, st); ok {
				return states, handedOff
			}
		}
	}
	// Any other condition: follow its uses.
	ev, deref, _ := t.scan(cond)
	if ev == evRelease || ev == evHandoff {
		return nil, true
	}
	if deref {
		st.deref = true
	}
	if st.linked && st.err == errUnchecked && t.errVar != nil && mentions(t.c.pass.TypesInfo, cond, t.errVar) {
		st.err = errInspected
	}
	return []pathState{st}, false
}

// compare is assume for a comparison e of the resource with a status
// that leaves nothing to release, of the variable or its holder with
// nil, or of the call's error with nil; ok is false for any other.
func (t *tracked) compare(e *ast.BinaryExpr, truth bool, st pathState) (states []pathState, handedOff, ok bool) {
	info := t.c.pass.TypesInfo
	if t.s.nothingToRelease(t.c, e, t.v) {
		if (e.Op == token.EQL) == truth {
			return nil, true, true // nothing for the caller to release
		}
		st.deref = true
		return []pathState{st}, false, true
	}
	operand := e.X
	if isNil(info, e.X) {
		operand = e.Y
	} else if !isNil(info, e.Y) {
		return nil, false, false
	}
	nonNil := (e.Op == token.NEQ) == truth
	if t.holdsToward(operand) {
		if !nonNil {
			return nil, false, true // nil: nothing to release
		}
		st.deref = true
		return []pathState{st}, false, true
	}
	if x := identOf(operand); x != nil && t.errVar != nil && st.linked && info.ObjectOf(x) == t.errVar {
		if nonNil {
			return nil, false, true // the call failed: no resource
		}
		st.err = errNil
		return []pathState{st}, false, true
	}
	return nil, false, false
}

// holdsToward reports whether e is v, or v.f1...fk with f1...fk the
// first fields of the place of the resource: if e is nil, there is no
// resource.
//
//	resp == nil    resp.Body == nil    (the resource at place{"Body"})
func (t *tracked) holdsToward(e ast.Expr) bool {
	var fields []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			fields = append(fields, x.Sel.Name)
			e = x.X
			continue
		case *ast.Ident:
			if x.Name != t.v.Name() || len(fields) > len(t.at) {
				return false // the cheap tests first
			}
			for i, f := range fields {
				if t.at[len(fields)-1-i] != f {
					return false
				}
			}
			return t.c.pass.TypesInfo.ObjectOf(x) == t.v
		}
		return false
	}
}

// guardedRelease reports whether b ends in the condition of
//
//	if shouldClose && i < max {
//		... resp.Body.Close() ...
//	}
//
// whose body releases the resource and falls through, and whose
// condition says nothing of the variable or its error. The code then
// releases it under a condition we cannot evaluate (flags set earlier,
// counters), so the path that skips the release is trusted not to need
// it: reporting it would rest on an infeasible path more often than on a
// leak.
func (t *tracked) guardedRelease(b *cfg.Block) bool {
	then := b.Succs[0]
	ifs, ok := then.Stmt.(*ast.IfStmt)
	if !ok || then.Kind != cfg.KindIfThen || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return false
	}
	switch last := ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return false // the release is on a path that leaves
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok && !t.c.mayReturn(call) {
			return false
		}
	}
	info := t.c.pass.TypesInfo
	if mentions(info, ifs.Cond, t.v) || t.errVar != nil && mentions(info, ifs.Cond, t.errVar) {
		return false // a condition on the variable: follow both branches
	}
	ev, _, _ := t.scan(ifs.Body)
	return ev == evRelease || ev == evHandoff
}
