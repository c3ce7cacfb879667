package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the helpers that install the dialer or dial func they
// are given on a Transport: one they build and return, or one they are
// given. The keepalive check judges their calls as it judges the
// install they make, with the caller's dialer on the caller's Transport.
//
//	func TransportFor(d *net.Dialer) *http.Transport {
//		return &http.Transport{DialContext: d.DialContext}   // param0:noKeepAliveConn:returns(0)
//	}
//	func InstallDialer(t *http.Transport, d *net.Dialer) {
//		t.DialContext = d.DialContext                        // param1:noKeepAliveConn:into(p0)
//	}

// dialerInstall returns the parameter of lf whose dialer (its Dial or
// DialContext method value) or dial func lf installs on a Transport it
// returns (into < 0), or on the Transport in parameter into; ok is false
// if none.
func dialerInstall(info *types.Info, lf *flow.Func) (param, into int, ok bool) {
	from := func(e ast.Expr) int { // the parameter e dials through
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Dial" || sel.Sel.Name == "DialContext") {
			e = sel.X
		}
		if v := flow.VarOf(info, e); v != nil {
			return flow.ParamIndex(lf.Node(), v)
		}
		return -1
	}
	results := lf.Sig().Results()
	returnsTransport := results.Len() == 1 && flow.IsNamed(results.At(0).Type(), "net/http", "Transport")
	param, into = -1, -1
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if !returnsTransport || len(n.Results) != 1 {
				break
			}
			e := ast.Unparen(n.Results[0])
			if u, ok := e.(*ast.UnaryExpr); ok {
				e = ast.Unparen(u.X)
			}
			if lit, ok := e.(*ast.CompositeLit); ok {
				for _, elt := range lit.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok && nethttp.IsDialField(flow.IdentOf(kv.Key)) && from(kv.Value) >= 0 {
						param = from(kv.Value)
					}
				}
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
				if !ok || i >= len(n.Rhs) || !nethttp.IsDialField(sel.Sel) || !nethttp.IsTransportField(flow.FieldOf(info, sel), nethttp.DialFields...) {
					continue
				}
				if v := flow.VarOf(info, sel.X); v != nil && flow.ParamIndex(lf.Node(), v) >= 0 && from(n.Rhs[i]) >= 0 {
					param, into = from(n.Rhs[i]), flow.ParamIndex(lf.Node(), v)
				}
			}
		}
		return param < 0
	})
	return param, into, param >= 0
}

// paramInstalls appends to installs the call at cur of fn, a helper that
// installs the dialer or dial func it is given (dialerInstall, by its
// summary) on the Transport it returns, when its summary says that one
// pools for the call's arguments, or on the Transport it is given.
func paramInstalls(c *checker, cur inspector.Cursor, fn *types.Func, installs []dialInstall) []dialInstall {
	call := cur.Node().(*ast.CallExpr)
	if fn == nil || call.Ellipsis.IsValid() || len(call.Args) == 0 || !mayTakeDialer(fn.Origin().Signature().Params()) {
		return installs // (the callee's parameter types: no lookup for most calls)
	}
	info := c.pass.TypesInfo
	sum := c.Summary(fn.Origin())
	for _, p := range sum.Params {
		if p.Kind != kindDialConn || p.Effect&(flow.Into|flow.Returns) == 0 || p.Index < 0 || p.Index >= len(call.Args) {
			continue
		}
		arg := call.Args[p.Index]
		in := dialInstall{at: call, dial: arg, transport: call, dialer: flow.IsNamed(info.TypeOf(arg), "net", "Dialer")}
		switch {
		case p.Effect&flow.Into != 0 && p.Holder >= 0 && p.Holder < len(call.Args):
			in.base = call.Args[p.Holder] // InstallDialer(t, d)
		case p.Effect&flow.Returns != 0 && flow.IsNamed(flow.ResultType(info, call, 0), "net/http", "Transport"):
			if r := sum.Result(kindPool); r == nil || !poolsAt(c, call, r) {
				continue // keeps no idle connection for these arguments, maybe
			}
			in.base = call // TransportFor(d): the Transport it returns
			if kind, i := flow.OuterParens(cur).ParentEdge(); kind == edge.AssignStmt_Rhs {
				if as := flow.OuterParens(cur).Parent().Node().(*ast.AssignStmt); len(as.Lhs) == len(as.Rhs) && flow.IdentOf(as.Lhs[i]) != nil {
					in.base = as.Lhs[i] // t := TransportFor(d); t.DisableKeepAlives = true
				}
			}
		default:
			continue
		}
		installs = append(installs, in)
	}
	return installs
}

// poolsAt reports whether the pool that r, a callee's result, says it
// builds is built for the arguments of call: always, or under tests the
// arguments are known to pass.
func poolsAt(c *checker, call *ast.CallExpr, r *flow.ResultFact) bool {
	if r.Path != "" || r.Lazy {
		return false
	}
	for _, w := range append([]flow.Condition{r.When}, r.And...) {
		if holds, known := c.HoldsAt(call, w); !holds || !known {
			return false
		}
	}
	return true
}

// mayTakeDialer reports whether a parameter of params may carry a dialer
// or a dial func: a net.Dialer, a func, an interface (or a type
// parameter's constraint) with a Dial or DialContext method.
func mayTakeDialer(params *types.Tuple) bool {
	for p := range params.Variables() {
		switch u := p.Type().Underlying().(type) {
		case *types.Signature:
			return true
		case *types.Interface:
			for m := range u.Methods() {
				if m.Name() == "Dial" || m.Name() == "DialContext" {
					return true
				}
			}
		default:
			if flow.IsNamed(p.Type(), "net", "Dialer") {
				return true
			}
		}
	}
	return false
}
