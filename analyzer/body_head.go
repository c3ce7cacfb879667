package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check's rule for HEAD requests: their
// responses have no body, and their connections go back to the pool at
// once, so nothing is owed.

// requestMethod returns the expression that gives the method of the
// request that call, in the function at fn, sends (its *http.Request
// argument), if it can be traced: the method argument of the
// http.NewRequest or NewRequestWithContext call that made it, or the
// Method of the literal that did (or that call sends), when the
// function does not give the variable another request; or the value
// that the function sets the request's Method to, once, before call and
// not under a test that call is not under.
//
//	req, err := http.NewRequestWithContext(ctx, method, u, nil)
//	resp, err := c.Do(req)
func requestMethod(c *checker, fn inspector.Cursor, call *ast.CallExpr) ast.Expr {
	info := c.pass.TypesInfo
	var req *types.Var
	for _, arg := range call.Args {
		if flow.IsPointerTo(info.TypeOf(arg), "net/http", "Request") {
			if m := literalMethod(info, arg); m != nil {
				return m // c.Do(&http.Request{Method: ...})
			}
			req = flow.VarOf(info, arg)
			break
		}
	}
	if req == nil {
		return nil // no request, or not a variable
	}
	var set *ast.AssignStmt
	for _, use := range c.UsesOf(fn, req) {
		if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel.Name == "Method" && sel.X == use.Node() && use.Parent().ParentEdgeKind() == edge.AssignStmt_Lhs {
			as, _ := use.Parent().Parent().Node().(*ast.AssignStmt)
			if set != nil || as == nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !setBefore(use.Parent().Parent(), call) {
				return nil // its method set more than once, or after, or on some paths
			}
			set = as
		}
	}
	rhs, _, ok := c.LocalOrigin(fn, req)
	switch {
	case !ok:
		return nil // another request
	case set != nil:
		return set.Rhs[0] // req.Method = http.MethodHead
	}
	return literalMethod(info, rhs)
}

// setBefore reports whether the statement at stmt comes before call in
// a statement list that holds call: it runs whenever call does.
func setBefore(stmt inspector.Cursor, call *ast.CallExpr) bool {
	list := stmt.Parent().Node()
	switch list.(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return stmt.Node().End() <= call.Pos() && call.Pos() < list.End()
	}
	return false
}

// literalMethod returns the method that e, a request made by
// http.NewRequest, NewRequestWithContext or a literal, is made with;
// nil if it is none of those.
func literalMethod(info *types.Info, e ast.Expr) ast.Expr {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		switch fn := flow.CalleeFunc(info, x); {
		case flow.IsFunc(fn, "net/http", "NewRequest") && len(x.Args) == 3:
			return x.Args[0]
		case flow.IsFunc(fn, "net/http", "NewRequestWithContext") && len(x.Args) == 4:
			return x.Args[1]
		}
	case *ast.UnaryExpr:
		if lit, ok := ast.Unparen(x.X).(*ast.CompositeLit); ok && x.Op == token.AND {
			for _, elt := range lit.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok && flow.SameName(kv.Key, "Method") {
					return kv.Value
				}
			}
		}
	}
	return nil
}

// isHead reports whether call, in the function at fn, sends a request
// whose method is the constant "HEAD" (or a local variable given it
// once): its response has no body, and its connection goes back to the
// pool at once.
func isHead(c *checker, fn inspector.Cursor, call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	e := requestMethod(c, fn, call)
	if v := flow.VarOf(info, e); v != nil && v.Parent() != v.Pkg().Scope() {
		if rhs, _, ok := c.LocalOrigin(fn, v); ok && rhs != nil {
			e = rhs // method := http.MethodHead
		}
	}
	m := info.Types[e].Value
	return m != nil && m.ExactString() == `"HEAD"`
}

// headCond returns the condition under which the response of call, in
// lf, is not a HEAD's: its request's method is lf's parameter, or a field
// of one, which must differ from "HEAD". It is always otherwise.
//
//	func (c *Client) send(ctx context.Context, method, u string) (*http.Response, error) {
//		req, err := http.NewRequestWithContext(ctx, method, u, nil)
//		...
//		return c.hc.Do(req)    // fresh when method != "HEAD"
func headCond(c *checker, lf *flow.Func, call *ast.CallExpr) flow.Condition {
	v := flow.VarOf(c.pass.TypesInfo, requestMethod(c, lf.Cur(), call))
	if v == nil {
		return flow.Condition{}
	}
	i := flow.ParamIndex(lf.Node(), v)
	if i < 0 {
		return flow.Condition{}
	}
	return flow.Condition{Param: i + 1, NonZero: true, Const: `"HEAD"`}
}
