package analyzer

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"

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
	for _, arg := range call.Args {
		if flow.IsPointerTo(c.pass.TypesInfo.TypeOf(arg), "net/http", "Request") {
			return methodOf(c, fn, arg, call)
		}
	}
	return nil // no request
}

// methodOf returns the expression that gives the method of req, a
// request in the function at fn that is used at (or returned by) at, if
// it can be traced (see requestMethod).
func methodOf(c *checker, fn inspector.Cursor, req ast.Expr, at ast.Node) ast.Expr {
	if m := literalMethod(c, req); m != nil {
		return m // c.Do(&http.Request{Method: ...})
	}
	if call, ok := ast.Unparen(req).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && flow.IsMethod(flow.CalleeFunc(c.pass.TypesInfo, call), "net/http", "Request", "WithContext", "Clone") {
			return methodOf(c, fn, sel.X, at) // c.Do(req.WithContext(ctx)): a copy, of the same method
		}
	}
	v := flow.VarOf(c.pass.TypesInfo, req)
	if v == nil {
		return nil // not a variable
	}
	var set *ast.AssignStmt
	for _, use := range c.UsesOf(fn, v) {
		if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel.Name == "Method" && sel.X == use.Node() && use.Parent().ParentEdgeKind() == edge.AssignStmt_Lhs {
			as, _ := use.Parent().Parent().Node().(*ast.AssignStmt)
			if set != nil || as == nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !setBefore(use.Parent().Parent(), at) {
				return nil // its method set more than once, or after, or on some paths
			}
			set = as
		}
	}
	rhs, _, ok := c.LocalOrigin(fn, v)
	switch {
	case !ok:
		return nil // another request
	case set != nil:
		return set.Rhs[0] // req.Method = http.MethodHead
	}
	return literalMethod(c, rhs)
}

// setBefore reports whether the statement at stmt comes before call in
// a statement list that holds call: it runs whenever call does.
func setBefore(stmt inspector.Cursor, call ast.Node) bool {
	list := stmt.Parent().Node()
	switch list.(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return stmt.Node().End() <= call.Pos() && call.Pos() < list.End()
	}
	return false
}

// literalMethod returns the method that e, a request made by
// http.NewRequest, NewRequestWithContext, a literal, or a function whose
// summary says which of its arguments gives the method, is made with;
// nil if it is none of those. For a function that always makes a HEAD
// request, it is the call itself (see isHead).
func literalMethod(c *checker, e ast.Expr) ast.Expr {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		switch fn := flow.CalleeFunc(c.pass.TypesInfo, x); {
		case flow.IsFunc(fn, "net/http", "NewRequest") && len(x.Args) == 3:
			return x.Args[0]
		case flow.IsFunc(fn, "net/http", "NewRequestWithContext") && len(x.Args) == 4:
			return x.Args[1]
		case fn != nil:
			switch r := c.Summary(fn).Result(kindRequestMethod); {
			case r == nil:
			case r.Path == headMethod:
				return x
			case x.Ellipsis == token.NoPos:
				if i, err := strconv.Atoi(strings.TrimPrefix(r.Path, "p")); err == nil && i < len(x.Args) {
					return x.Args[i]
				}
			}
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

// headMethod is the path of a requestMethod fact of a function that
// always makes a HEAD request.
const headMethod = "HEAD"

// summarizeRequestMethod records in f that lf makes the request it
// returns first (where not nil) with the method its parameter N gives
// (requestMethod@pN), or always a HEAD (requestMethod@HEAD): a request
// builder, whose callers' requests are then told apart as if they had
// called http.NewRequest.
//
//	func (c *Client) NewRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
//		req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)   // result0:requestMethod@p1
func summarizeRequestMethod(c *checker, lf *flow.Func, f *flow.Fact) {
	results := lf.Sig().Results()
	if results.Len() == 0 || !flow.IsPointerTo(results.At(0).Type(), "net/http", "Request") {
		return
	}
	tag := ""
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) == 0 {
			return // named results
		}
		if flow.IsNil(c.pass.TypesInfo, ret.Results[0]) {
			continue
		}
		t := methodTag(c, lf, methodOf(c, lf.Cur(), ret.Results[0], ret))
		if t == "" || tag != "" && t != tag {
			return
		}
		tag = t
	}
	if tag != "" {
		f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindRequestMethod, Path: tag})
	}
}

// methodTag names m, the method of a request that lf makes: its
// parameter N (pN), or the constant HEAD (see headConst); "" otherwise.
func methodTag(c *checker, lf *flow.Func, m ast.Expr) string {
	if v := flow.VarOf(c.pass.TypesInfo, m); v != nil {
		if i := flow.ParamIndex(lf.Node(), v); i >= 0 {
			return "p" + strconv.Itoa(i)
		}
	}
	if headConst(c, lf.Cur(), m) {
		return headMethod
	}
	return ""
}

// isHead reports whether call, in the function at fn, sends a request
// whose method is the constant "HEAD" (see headConst): its response has
// no body, and its connection goes back to the pool at once.
func isHead(c *checker, fn inspector.Cursor, call *ast.CallExpr) bool {
	return headConst(c, fn, requestMethod(c, fn, call))
}

// headConst reports whether m, the method of a request in the function
// at fn, is the constant "HEAD": itself, through a local variable given
// it once (method := http.MethodHead), or as the call of a builder of
// HEAD requests that made the request (see literalMethod).
func headConst(c *checker, fn inspector.Cursor, m ast.Expr) bool {
	info := c.pass.TypesInfo
	if built, ok := m.(*ast.CallExpr); ok {
		if r := c.CallSummary(built).Result(kindRequestMethod); r != nil {
			return r.Path == headMethod
		}
	}
	if v := flow.VarOf(info, m); v != nil && v.Parent() != v.Pkg().Scope() {
		if rhs, _, ok := c.LocalOrigin(fn, v); ok && rhs != nil {
			m = rhs
		}
	}
	tv := info.Types[m]
	return tv.Value != nil && tv.Value.ExactString() == `"HEAD"`
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
