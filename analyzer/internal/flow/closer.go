package flow

import (
	"go/ast"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// closerReturned reports whether the value at cur is the receiver of a
// method value of its release that fl's function returns as it is, and
// notes which result in fl.CloserIn:
//
//	return c, tr.CloseIdleConnections
func closerReturned(fl *Flow, cur inspector.Cursor) bool {
	sel := OuterParens(cur.Parent())
	if _, ok := sel.Node().(*ast.SelectorExpr); !ok || sel.ParentEdgeKind() != edge.ReturnStmt_Results || fl.CloserIn != 0 {
		return false
	}
	if encl, _ := EnclosingFunc(sel); encl != fl.Fn {
		return false
	}
	fl.CloserIn = sel.ParentEdgeIndex() + 1
	return true
}

// closerLiteral reports whether the function literal at lit, which
// releases the value, is returned as it is by fl's function (a cleanup),
// and notes which result in fl.CloserIn:
//
//	return c, func() { tr.CloseIdleConnections() }
func closerLiteral(fl *Flow, lit inspector.Cursor) bool {
	cur, ok := returnedLiteral(fl, lit)
	if !ok || fl.CloserIn != 0 {
		return false
	}
	fl.CloserIn = cur.ParentEdgeIndex() + 1
	return true
}

// returnedLiteral returns the result expression of fl's function that
// is the function literal at lit, nested directly in it, as it is or
// converted (to a func type with methods).
func returnedLiteral(fl *Flow, lit inspector.Cursor) (inspector.Cursor, bool) {
	if encl, _ := EnclosingFunc(lit.Parent()); encl != fl.Fn {
		return inspector.Cursor{}, false // nested deeper
	}
	cur := converted(fl.c.Info, lit)
	return cur, cur.ParentEdgeKind() == edge.ReturnStmt_Results
}
