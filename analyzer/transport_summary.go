package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what the summaries of functions say for the transport
// check: a result that hands the caller a fresh pool, and what a function
// does with the pool its receiver or parameters hold.

// summarizePool records in f the result of lf that hands the caller a
// fresh connection pool it owns: a Transport, a Client with its own
// Transport, or a struct holding one, with keep-alives on and not
// closed; and, if lf builds it only under a test of a parameter (an
// option), that condition.
func summarizePool(c *checker, lf *flow.Func, f *flow.Fact) {
	idx := c.pools.poolResult(lf.Fn.Signature().Results())
	if idx < 0 {
		return // no result can hold a pool
	}
	var out *flow.ResultFact
	for cur := range lf.Cur().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := poolAt(c, cur)
		if !ok || src.noKeepAlive {
			continue // not a pool, or one that keeps no idle connections
		}
		if encl, _ := flow.EnclosingFunc(cur); encl.Node() != lf.Decl {
			continue // in a function literal: its returns are its own
		}
		fl := c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, flow.IntoParams|flow.TrustCalls)
		if !fl.Returned || fl.Escapes || fl.Released || fl.IntoRecv || fl.Flags&poolNoKeepAlive != 0 {
			continue // not handed to the caller (the receiver keeps it), or not a pool that keeps connections
		}
		when, ok := c.Guard(lf.Cur(), cur)
		if !ok && src.when.Param != 0 {
			when, ok = c.PassedCond(lf.Cur(), cur.Node().(*ast.CallExpr), src.when), true
		}
		if !ok {
			when = optionsMayReplace(c, lf, fl)
		}
		r := flow.ResultFact{Index: idx, Kind: kindPool, Path: strings.Join(fl.ReturnedAt, "."), When: when, Lazy: src.lazy && fl.Flags&poolFilled == 0}
		if out == nil {
			out = &r
		} else {
			if out.When != r.When {
				out.When = flow.Condition{} // built under different conditions: say always
			}
			out.Lazy = out.Lazy && r.Lazy
		}
		if out.When.Param == 0 && !out.Lazy {
			break // built always: nothing more to learn
		}
	}
	if out != nil {
		f.Results = append(f.Results, *out)
	}
}

// summarizePoolParams records in f what lf does with the pool that its
// receiver or a parameter may hold (a Client, a Transport, or a holder
// of one such as an SDK's client): sends requests through it (uses),
// hands it back in a result (returns: a builder's method, a wrapping
// constructor), closes its idle connections, keeps it in something that
// outlives the call, or only reads it. Code it cannot see into (func
// values, interface methods) is trusted not to keep it.
func summarizePoolParams(c *checker, lf *flow.Func, f *flow.Fact) {
	sig := lf.Fn.Signature()
	vars := []*types.Var{sig.Recv()}
	for p := range sig.Params().Variables() {
		vars = append(vars, p)
	}
	for i, v := range vars {
		if v == nil || v.Name() == "" || v.Name() == "_" || !c.pools.holdsPool(v.Type()) {
			continue
		}
		if sig.Variadic() && i == len(vars)-1 {
			continue // a variadic parameter: left unknown
		}
		fl := c.FollowVar(c.pools.spec, lf.Cur(), v, nil, flow.IntoParams|flow.TrustCalls)
		pf := flow.ParamFact{Index: i - 1, Kind: kindPool}
		if len(fl.Uses) > 0 {
			pf.Effect |= flow.Uses
		}
		if fl.Flags&poolFilled != 0 || i == 0 && fillsReceiver(c, lf) {
			pf.Effect |= flow.Fills
		}
		switch {
		case fl.Escapes, fl.IntoParam && !fl.Returned:
			pf.Effect = flow.Keeps // kept, maybe in what another parameter holds
		case fl.Released:
			pf.Effect |= flow.Releases
		case fl.Returned:
			pf.Effect |= flow.Returns
			pf.Result, pf.Path = fl.ReturnedIn, strings.Join(fl.ReturnedAt, ".")
		case pf.Effect == 0:
			pf.Effect = flow.Borrows
		}
		f.Params = append(f.Params, pf)
	}
}

// fillsReceiver reports whether the method lf builds a pool that keeps
// idle connections and keeps it in its receiver, as a holder that builds
// its pool on first use does:
//
//	func (c *Client) init() { c.hc = &http.Client{Transport: &http.Transport{}} }
//	func (c *Client) Do(req *http.Request) (*http.Response, error) {
//		c.once.Do(c.init)
func fillsReceiver(c *checker, lf *flow.Func) bool {
	for cur := range lf.Cur().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := poolAt(c, cur)
		if !ok || src.noKeepAlive || src.lazy {
			continue
		}
		fl := c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, flow.IntoParams|flow.TrustCalls)
		if fl.IntoRecv && !fl.Escapes && !fl.Released && fl.Flags&poolNoKeepAlive == 0 {
			return true
		}
	}
	return false
}

// optionsMayReplace returns the condition "no options given" if the pool
// that fl follows is handed to a func value from a parameter of lf, as
// functional options are: an option may replace the pool with the
// caller's own (a mock in tests), and a replaced pool is never used. It
// returns always otherwise.
//
//	func New(opts ...Option) *Client {
//		c := &Client{hc: &http.Client{Transport: &http.Transport{}}}
//		for _, opt := range opts {
//			opt(c)
//		}
func optionsMayReplace(c *checker, lf *flow.Func, fl *flow.Flow) flow.Condition {
	for _, n := range fl.Unseen {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			continue
		}
		v := flow.VarOf(c.pass.TypesInfo, call.Fun)
		if v == nil {
			continue
		}
		if i := flow.ParamIndex(lf.Decl, v); i >= 0 {
			return flow.Condition{Param: i + 1}
		}
		// A range variable over a parameter: for _, opt := range opts.
		def, ok := lf.Cur().FindByPos(v.Pos(), v.Pos())
		if !ok {
			continue
		}
		if r, ok := def.Parent().Node().(*ast.RangeStmt); ok && r.Value == def.Node() {
			if p := flow.VarOf(c.pass.TypesInfo, r.X); p != nil {
				if i := flow.ParamIndex(lf.Decl, p); i >= 0 {
					return flow.Condition{Param: i + 1}
				}
			}
		}
	}
	return flow.Condition{}
}
