package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what fills a parameter with a pool of the function's
// own: a client given a Transport it builds, in the function or in a
// callee, or in an option's literal applied to the value it configures.

// fillsParam reports whether lf builds a pool that keeps idle
// connections and stores it into what its parameter v points to (a
// client, a holder), and under which condition on its parameters (see
// flow.Engine.Guard): a fallback for a client given without a Transport.
//
//	func ensureTransport(c *http.Client) {
//		if c.Transport == nil {
//			c.Transport = &http.Transport{}   // fills(p0), when(!p0.Transport)
//		}
//	}
func fillsParam(c *checker, lf *flow.Func, v *types.Var) (flow.Condition, bool) {
	if !nethttp.IsHTTPClient(v.Type()) || !flow.IsPointerType(v.Type()) {
		return flow.Condition{}, false // (a holder of the user's fills through its methods: fillsReceiver)
	}
	if when, ok := fillsWithOwn(c, lf.Cur(), v); ok {
		return when, true
	}
	return fillsThrough(c, lf, v)
}

// fillsWithOwn returns the condition under which the function at fn
// builds a pool and stores it into what its parameter v points to.
func fillsWithOwn(c *checker, fn inspector.Cursor, v *types.Var) (flow.Condition, bool) {
	for cur := range fn.Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.ValueSpec)(nil)) {
		src, ok := poolAt(c, cur)
		cur = src.cur // (a declaration's type, for var t http.Transport)
		if !ok || src.noKeepAlive || src.lazy || src.passed {
			continue
		}
		fl := c.Follow(c.pools.spec, fn, cur, src.result, src.at, flow.IntoParams|flow.TrustCalls)
		if !fl.IntoParam || fl.Escapes || fl.Released || fl.Flags&poolOff != 0 || !slices.Contains(fl.Vars, v) {
			continue
		}
		when, _ := c.Guard(fn, cur)
		return when, true
	}
	return flow.Condition{}, false
}

// fillsThrough is fillsParam for a fallback that lf leaves to a helper:
// lf passes v to a function whose summary fills that parameter under a
// condition of its own, which v's value, the caller's, decides. lf then
// fills v under that condition, in terms of its own parameter.
//
//	func fetch(c *http.Client, u string) error {
//		ensureTransport(c)    // fills(p0), when(!p0.Transport)
//		resp, err := c.Get(u) // fetch: fills(p0), when(!p0.Transport)
func fillsThrough(c *checker, lf *flow.Func, v *types.Var) (flow.Condition, bool) {
	info := c.pass.TypesInfo
	for cur := range lf.Cur().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := flow.CalleeFunc(info, call)
		i := slices.IndexFunc(call.Args, func(arg ast.Expr) bool { return flow.VarOf(info, arg) == v })
		if fn == nil || i < 0 {
			continue
		}
		pf := c.Summary(fn).Param(i, kindPool)
		if pf.Effect&flow.Fills == 0 || pf.Effect&flow.Keeps != 0 || pf.When.Param != i+1 {
			continue // (one that fills whatever the argument: filled, in the flow of v)
		}
		if _, known := c.HoldsAt(call, pf.When); known {
			continue // decided here (a Transport set before the call): not the caller's
		}
		if _, guarded := c.Guard(lf.Cur(), cur); guarded {
			continue // under a test of lf's own: two conditions, which a fact cannot say
		}
		if when := c.PassedCond(lf.Cur(), call, pf.When); when.Param == flow.ParamIndex(lf.Node(), v)+1 {
			return when, true
		}
	}
	return flow.Condition{}, false
}
