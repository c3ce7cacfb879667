package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file holds the keep-alive toggles that a flag decides: a helper
// given a connection and a flag of its caller's, and a maker of a dial
// func whose closure uses the flag it captures.

// flagToggle returns the condition under which lf turns TCP keep-alive
// off with a flag parameter of its own: SetKeepAlive(on), or a helper
// given the connection and that flag (tune(conn, on), whose summary says
// it turns it off when its flag is false), turns it off when on is false
// (when it is true for !on). lits says whether the calls of the func
// literals lf holds count too: those of the dial func a maker returns.
//
//	func tune(c net.Conn, keepAlive bool) {
//		c.(*net.TCPConn).SetKeepAlive(keepAlive)
//
//	func TunedDial(keepAlive bool) DialFunc {
//		return func(ctx context.Context, network, addr string) (net.Conn, error) {
//			...
//			tune(c, keepAlive)   // off for TunedDial(false)
func flagToggle(s *dialResolver, lf *flow.Func, lits bool, depth int) (flow.Condition, bool) {
	var w flow.Condition
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok && !lits {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && w.Param == 0 {
			w = flagOf(s, lf, call, depth)
		}
		return w.Param == 0
	})
	return w, w.Param != 0
}

// flagOf returns the condition on lf's parameters under which call, in
// lf's body, turns TCP keep-alive off: SetKeepAlive(on), or a helper's
// call that passes on a flag deciding it, where on is a parameter of lf
// or its negation; the zero Condition if call does not.
func flagOf(s *dialResolver, lf *flow.Func, call *ast.CallExpr, depth int) flow.Condition {
	var w flow.Condition // the callee's: when its argument is false (or zero)
	switch {
	case nethttp.IsSetKeepAlive(s.info, call):
		w = flow.Condition{Param: 1}
	case depth > kaMaxDepth || call.Ellipsis.IsValid() || !slices.ContainsFunc(call.Args, func(e ast.Expr) bool { return nethttp.IsConnOrDialer(s.info.TypeOf(e)) }):
		return flow.Condition{}
	default:
		fn := flow.CalleeFunc(s.info, call)
		if fn == nil {
			return flow.Condition{}
		}
		if hf := s.c.LocalFunc(fn.Origin()); hf != nil && fn.Pkg() == s.c.pass.Pkg {
			w, _ = flagToggle(s, hf, false, depth+1)
		} else {
			if pfs := connParams(s, fn.Origin(), call); len(pfs) > 0 {
				w = pfs[0].When
			}
		}
		if w.Param <= 0 || w.Field != "" || w.Const != "" || w.Negative {
			return flow.Condition{}
		}
	}
	arg, negated := flow.CondArg(s.info, call, w), false
	for {
		u, ok := ast.Unparen(arg).(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			break
		}
		arg, negated = u.X, !negated
	}
	if v := flow.VarOf(s.info, arg); v != nil {
		if i := flow.ParamIndex(lf.Node(), v); i >= 0 {
			return flow.Condition{Param: i + 1, NonZero: w.NonZero != negated}
		}
	}
	return flow.Condition{}
}

// connParams returns what the summary of fn, a helper of another
// package that call calls, says of the parameters that call gives a
// connection or a dialer and that fn uses (turns keep-alive off on,
// under their When), in the order of the arguments.
func connParams(s *dialResolver, fn *types.Func, call *ast.CallExpr) []flow.ParamFact {
	var out []flow.ParamFact
	for i, arg := range call.Args {
		if pf := s.c.Summary(fn).Param(i, kindDialConn); nethttp.IsConnOrDialer(s.info.TypeOf(arg)) && pf.Effect&flow.Uses != 0 {
			out = append(out, pf)
		}
	}
	return out
}
