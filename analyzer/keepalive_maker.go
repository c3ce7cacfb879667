package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file holds the makers the keepalive check follows: functions that
// return a net.Dialer or a dial func, read from their return statements
// in this package and summarized for others. They are functions of the
// function summarized, given the resolver of the package it is in.

// makerToggle reports whether lf is a maker of a net.Dialer (its one
// result) that turns TCP keep-alive off on a dialer it returns, and the
// test of its parameters under which it does so (zero if none):
//
//	func NewDialer() *net.Dialer { return &net.Dialer{KeepAlive: -1} }
func makerToggle(s *dialResolver, lf *flow.Func) (flow.Condition, bool) {
	res := lf.Sig().Results()
	if res.Len() != 1 || !flow.IsNamed(res.At(0).Type(), "net", "Dialer") {
		return flow.Condition{}, false
	}
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) != 1 {
			continue
		}
		if t := s.dialerToggle(ret.Results[0], 1); t != nil {
			return toggleGuard(s.c, lf, t), true
		}
		if i := keepAliveParam(s.c, lf, ret.Results[0]); i >= 0 {
			return flow.Condition{Param: i + 1, Negative: true}, true // NewDialer(timeout, -1)
		}
	}
	return flow.Condition{}, false
}

// dialMakerToggle reports whether lf is a maker of a dial func (its one
// result) that returns one turning TCP keep-alive off, and the test of
// its parameters under which it does so (zero if none):
//
//	func Dialer(keepAlive bool) DialFunc {
//		d := &net.Dialer{Timeout: 5 * time.Second}
//		if !keepAlive {
//			d.KeepAlive = -1   // off for Dialer(false) only
//		}
//		return d.DialContext
//	}
func dialMakerToggle(s *dialResolver, lf *flow.Func, seen map[*types.Func]bool) (flow.Condition, bool) {
	if !returnsDialFunc(lf) {
		return flow.Condition{}, false
	}
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) != 1 {
			continue
		}
		if toggles, foreign := s.dialSources(ret.Results[0], 1, seen); len(toggles) > 0 {
			return toggleGuard(s.c, lf, toggles[0]), true
		} else if len(foreign) > 0 {
			return flow.Condition{}, true
		}
	}
	return flagToggle(s, lf, true, 0) // the dial func turns it off with a flag of the maker
}

// keepAliveArg reports whether r, a value that the maker call returns, is
// a net.Dialer literal whose KeepAlive is a parameter of the maker, given
// a negative constant by call (and whose KeepAliveConfig, if any, leaves
// probes off):
//
//	func newDialer(keepAlive time.Duration) *net.Dialer { return &net.Dialer{KeepAlive: keepAlive} }
//	newDialer(-1)
func keepAliveArg(c *checker, call *ast.CallExpr, r ast.Expr) bool {
	lf := c.LocalFunc(flow.CalleeFunc(c.pass.TypesInfo, call).Origin())
	if lf == nil {
		return false
	}
	i := keepAliveParam(c, lf, r)
	return i >= 0 && i < len(call.Args) && !call.Ellipsis.IsValid() && negativeValue(c, call.Args[i])
}

// keepAliveParam returns the index of the parameter of lf that r, a
// value lf returns, takes its KeepAlive from: r is a net.Dialer literal
// (or a variable set once to one) whose KeepAlive is that parameter (and whose KeepAliveConfig, if any,
// leaves probes off); -1 if none.
func keepAliveParam(c *checker, lf *flow.Func, r ast.Expr) int {
	info := c.pass.TypesInfo
	lit := nethttp.NetDialerLit(info, c.setOnce(r)) // (d := &net.Dialer{...}; return d)
	if lit == nil {
		return -1
	}
	kvs, configOn := nethttp.DialerLitKeepAlive(info, lit, c.setOnce)
	if configOn || len(kvs) != 1 {
		return -1
	}
	v := flow.VarOf(info, kvs[0].Value)
	if v == nil {
		return -1
	}
	return flow.ParamIndex(lf.Node(), v)
}

// makerResults returns the values that call returns, when it calls a
// function of this package with one result (a maker of dial funcs or
// dialers), read from its return statements:
//
//	func newDialer() *net.Dialer { return &net.Dialer{KeepAlive: -1} }
//	&http.Transport{DialContext: newDialer().DialContext}
func makerResults(c *checker, call *ast.CallExpr) []ast.Expr {
	fn := flow.CalleeFunc(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() != c.pass.Pkg || fn.Signature().Results().Len() != 1 {
		return nil
	}
	lf := c.LocalFunc(fn.Origin())
	if lf == nil {
		return nil // no body
	}
	var results []ast.Expr
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) == 1 {
			results = append(results, ret.Results[0])
		}
	}
	return results
}

// dialForwarder returns the index of the parameter of lf, a dial func,
// that lf returns a dial func dialing through (a wrapper that logs or
// times the dials of the func it is given), or -1:
//
//	func WrapDial(name string, next DialFunc) DialFunc {
//		return func(ctx context.Context, network, addr string) (net.Conn, error) {
//			return next(ctx, network, addr)
//		}
//	}
func dialForwarder(info *types.Info, lf *flow.Func) int {
	if !returnsDialFunc(lf) {
		return -1
	}
	out := -1
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) != 1 {
			return -1
		}
		i := -1
		switch r := ast.Unparen(ret.Results[0]).(type) {
		case *ast.FuncLit:
			ast.Inspect(r.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && i < 0 {
					if v := flow.VarOf(info, call.Fun); v != nil {
						i = flow.ParamIndex(lf.Node(), v)
					}
				}
				return i < 0
			})
		default:
			if v := flow.VarOf(info, r); v != nil {
				i = flow.ParamIndex(lf.Node(), v) // return next, when it needs no wrapping
			}
		}
		if i < 0 || out >= 0 && i != out {
			return -1
		}
		out = i
	}
	return out
}

// returnsDialFunc reports whether lf's one result is a dial func (a func
// that returns a net.Conn or *net.TCPConn and an error).
func returnsDialFunc(lf *flow.Func) bool {
	res := lf.Sig().Results()
	if res.Len() != 1 {
		return false
	}
	sig, ok := res.At(0).Type().Underlying().(*types.Signature)
	return ok && nethttp.IsDialResults(sig.Results())
}
