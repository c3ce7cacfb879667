package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the close idiom the body check looks for first, and
// the suggested fix that writes it.

func isErrCheck(info *types.Info, cond ast.Expr, err types.Object) bool {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ || err == nil {
		return false
	}
	x := flow.IdentOf(bin.X)
	return x != nil && x.Name == err.Name() && flow.IsNil(info, bin.Y) && info.Uses[x] == err
}

// errCheckAfter returns s if it is "if err != nil { ... }", without an
// init statement or an else branch, for the error variable errID that
// the statement just before s assigned; nil otherwise.
//
// As the two statements follow one another in one list, and the if has
// no init statement, err in its condition names that variable (and nil
// the predeclared nil: an error variable named nil would be perverse):
// comparing names is enough, and cheaper than looking objects up in big
// maps, for a test that runs for nearly every response.
func errCheckAfter(s ast.Stmt, errID *ast.Ident) *ast.IfStmt {
	ifs, ok := s.(*ast.IfStmt)
	if !ok || errID == nil || ifs.Init != nil || ifs.Else != nil {
		return nil
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || !flow.SameName(cond.X, errID.Name) || !flow.SameName(cond.Y, "nil") {
		return nil
	}
	return ifs
}

// closedAfterCheck reports whether the statement that binds the response
// to v, and the call's error to errID, is followed by the idiom
//
//	if err != nil {
//		return err
//	}
//	defer v.Body.Close()
//
// The search along the control-flow graph would find nothing there: it
// does not enter the if (the call failed, there is no response), and
// every other path runs the defer. Most responses are handled so. (The
// defer, like the if, names the variable that the first statement
// assigned.)
func closedAfterCheck(c *checker, next []ast.Stmt, v *types.Var, errID *ast.Ident) bool {
	if len(next) < 2 || !nethttp.IsResponse(v.Type()) || errCheckAfter(next[0], errID) == nil {
		return false
	}
	d, ok := next[1].(*ast.DeferStmt)
	if !ok || len(d.Call.Args) != 0 {
		return false
	}
	closeFn, ok := ast.Unparen(d.Call.Fun).(*ast.SelectorExpr)
	if !ok || closeFn.Sel.Name != "Close" {
		return false
	}
	body, ok := ast.Unparen(closeFn.X).(*ast.SelectorExpr)
	return ok && body.Sel.Name == "Body" && flow.SameName(body.X, v.Name())
}

// deferCloseFix offers to insert "defer v.Body.Close()" after the
// "if err != nil { ... }" that directly follows the call's statement; or,
// when the response may come with an error (withError), a nil-guarded
// defer before that check, which closes it on the error path too:
//
//	resp, err := c.send(req)
//	if resp != nil {
//		defer resp.Body.Close()
//	}
//	if err != nil {
func deferCloseFix(c *checker, stmt ast.Node, next []ast.Stmt, v *types.Var, errID *ast.Ident, withError bool) []analysis.SuggestedFix {
	if len(next) == 0 {
		return nil
	}
	ifs := errCheckAfter(next[0], errID)
	if ifs == nil {
		return nil
	}
	indent := strings.Repeat("\t", c.pass.Fset.Position(stmt.Pos()).Column-1)
	closer := "defer " + v.Name() + ".Body.Close()"
	if withError {
		text := "if " + v.Name() + " != nil {\n" + indent + "\t" + closer + "\n" + indent + "}\n" + indent
		return []analysis.SuggestedFix{{
			Message:   "Close the body with a nil-guarded " + closer + " before the error check (the response may come with an error)",
			TextEdits: []analysis.TextEdit{{Pos: ifs.Pos(), End: ifs.Pos(), NewText: []byte(text)}},
		}}
	}
	return []analysis.SuggestedFix{{
		Message:   "Close the body with " + closer + " after the error check",
		TextEdits: []analysis.TextEdit{{Pos: ifs.End(), End: ifs.End(), NewText: []byte("\n" + indent + closer)}},
	}}
}

// isBlankAssign reports whether the right-hand side at rhs is assigned
// to the blank identifier.
func isBlankAssign(rhs inspector.Cursor) bool {
	as := rhs.Parent().Node().(*ast.AssignStmt)
	i := rhs.ParentEdgeIndex()
	if len(as.Lhs) != len(as.Rhs) {
		return false
	}
	id, ok := as.Lhs[i].(*ast.Ident)
	return ok && id.Name == "_"
}

// usedByClosureLater reports whether a function literal nested in the
// function at fn uses v and may run after it returns: one started by a
// go statement, handed to a call, or stored. A deferred close would pull
// the body from under it.
//
//	go func() { io.Copy(pw, resp.Body) }()
func usedByClosureLater(c *checker, fn inspector.Cursor, v *types.Var) bool {
	if !hasFuncLit(fn) {
		return false // the common case, answered without indexing the function's uses
	}
	for _, use := range c.UsesOf(fn, v) {
		for cur := use.Parent(); cur != fn && cur.Node() != nil; cur = cur.Parent() {
			if _, ok := cur.Node().(*ast.FuncLit); !ok {
				continue
			}
			lit := flow.OuterParens(cur)
			switch {
			case lit.ParentEdgeKind() == edge.AssignStmt_Rhs && isBlankAssign(lit):
				// _ = func() { ... }: never runs
			case lit.ParentEdgeKind() != edge.CallExpr_Fun, lit.Parent().ParentEdgeKind() == edge.GoStmt_Call:
				return true
			}
		}
	}
	return false
}

// hasFuncLit reports whether the function at fn holds a function literal.
// (The inspector skips the subtrees that hold none.)
func hasFuncLit(fn inspector.Cursor) bool {
	found := false
	fn.Preorder((*ast.FuncLit)(nil))(func(inspector.Cursor) bool {
		found = true
		return false
	})
	return found
}
