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
	if encl, _ := EnclosingFunc(lit.Parent()); encl != fl.Fn || fl.CloserIn != 0 {
		return false // nested deeper
	}
	cur := converted(fl.c.Info, lit)
	if cur.ParentEdgeKind() != edge.ReturnStmt_Results {
		return false
	}
	fl.CloserIn = cur.ParentEdgeIndex() + 1
	return true
}
