package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// This file tells, for Follow under TrustCalls, a release that runs
// whenever the function does from one that some branch may skip.

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
	var from ast.Node // the child of cur the climb came from
	for ; cur.Node() != nil && cur != fn; from, cur = cur.Node(), cur.Parent() {
		switch n := cur.Node().(type) {
		case *ast.IfStmt:
			if x, ok := assertedIn(n, from, released); ok {
				released = x // t is x, where x has the method
				continue
			}
			if !testsPresence(n, released) && !ownerFlag(n.Cond, released, false) || n.Init != nil || n.Else != nil {
				return false
			}
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false
		}
	}
	_, body := FuncParts(fn.Node())
	for _, ret := range ReturnsOf(body) {
		if ret.Pos() < pos && !notOwnerReturn(body, ret, released) {
			return false // a path leaves before it
		}
	}
	return true
}

// ownerFlag reports whether cond tests a flag of the holder of released
// (c.owns, for c.hc), or its negation if negated: a holder that says
// whether the pool it holds is its own, and releases it only then.
//
//	func (c *Client) Close() {
//		if c.ownsTransport {
//			c.hc.CloseIdleConnections()
//		}
//	}
//
// The release counts: a holder given the caller's client keeps its
// hands off it, and one that built its pool releases it.
func ownerFlag(cond ast.Expr, released string, negated bool) bool {
	cond = ast.Unparen(cond)
	if u, ok := cond.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return negated && ownerFlag(u.X, released, false)
	}
	sel, ok := cond.(*ast.SelectorExpr) // a selector alone as a condition: a bool field
	if !ok || negated {
		return false
	}
	holder := types.ExprString(sel.X)
	return released != "" && strings.HasPrefix(released, holder+".")
}

// notOwnerReturn reports whether ret, a return of body before the
// release of released, is the one statement of an if statement of body
// that returns when the holder's pool is not its own (see ownerFlag):
//
//	if !c.ownsTransport {
//		return
//	}
//	c.hc.CloseIdleConnections()
func notOwnerReturn(body *ast.BlockStmt, ret *ast.ReturnStmt, released string) bool {
	for _, st := range body.List {
		if ifs, ok := st.(*ast.IfStmt); ok && ifs.Init == nil && ifs.Else == nil && len(ifs.Body.List) == 1 && ifs.Body.List[0] == ret {
			return len(ret.Results) == 0 && ownerFlag(ifs.Cond, released, true)
		}
	}
	return false
}

// assertedIn returns x when ifs, entered through its body (from), tests
// that x has the method the release calls on t, the variable named
// released:
//
//	if t, ok := x.(interface{ CloseIdleConnections() }); ok {
//		t.CloseIdleConnections()
func assertedIn(ifs *ast.IfStmt, from ast.Node, released string) (string, bool) {
	as, ok := ifs.Init.(*ast.AssignStmt)
	if !ok || from != ifs.Body || ifs.Else != nil || len(as.Lhs) != 2 || len(as.Rhs) != 1 || as.Tok != token.DEFINE {
		return "", false
	}
	t, ok1 := as.Lhs[0].(*ast.Ident)
	okv, ok2 := as.Lhs[1].(*ast.Ident)
	cond, ok3 := ast.Unparen(ifs.Cond).(*ast.Ident)
	assert, ok4 := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr)
	if !ok1 || !ok2 || !ok3 || !ok4 || assert.Type == nil || t.Name != released || cond.Name != okv.Name {
		return "", false
	}
	return types.ExprString(assert.X), true
}

// testsPresence reports whether ifs, with no else, only tests that x
// (or what holds it: c.h for c.h.R) is not nil.
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
