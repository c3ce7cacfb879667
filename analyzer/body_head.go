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
// Method of the literal that did, when the function neither sets the
// request's Method later nor gives the variable another request.
//
//	req, err := http.NewRequestWithContext(ctx, method, u, nil)
//	resp, err := c.Do(req)
func requestMethod(c *checker, fn inspector.Cursor, call *ast.CallExpr) ast.Expr {
	info := c.pass.TypesInfo
	var req *types.Var
	for _, arg := range call.Args {
		if flow.IsPointerTo(info.TypeOf(arg), "net/http", "Request") {
			req = flow.VarOf(info, arg)
			break
		}
	}
	if req == nil {
		return nil // no request, or not a variable
	}
	for _, use := range c.UsesOf(fn, req) {
		if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel.Name == "Method" && sel.X == use.Node() && use.Parent().ParentEdgeKind() == edge.AssignStmt_Lhs {
			return nil // its method set later
		}
	}
	rhs, _, ok := c.LocalOrigin(fn, req)
	if !ok {
		return nil // another request
	}
	switch x := ast.Unparen(rhs).(type) {
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
// whose method is the constant "HEAD": its response has no body, and its
// connection goes back to the pool at once.
func isHead(c *checker, fn inspector.Cursor, call *ast.CallExpr) bool {
	m := c.pass.TypesInfo.Types[requestMethod(c, fn, call)].Value
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
