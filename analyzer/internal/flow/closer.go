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
