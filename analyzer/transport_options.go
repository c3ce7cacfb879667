package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what the summaries say of options given to a
// constructor: where an option applied to the value it builds puts the
// pool it holds, and whether an option may replace the pool the
// constructor builds (under which options it builds one, or keeps its
// idle connections: transport_optfields.go).

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
		if call, ok := n.(*ast.CallExpr); ok {
			if i := optionParam(c, lf, call.Fun); i >= 0 {
				return flow.Condition{Param: i + 1}
			}
		}
	}
	return flow.Condition{}
}

// optionEffect says what lf does with the pools that the func values in
// its parameter v hold (the pool an option closure captured): every call
// of them, directly or through a loop over v, is given a value that lf
// returns, or its address (they go into that result), or another
// parameter of lf (into what it holds), and v goes nowhere else.
//
//	func NewClient(server string, opts ...ClientOption) (*Client, error) {
//		client := Client{Server: server}
//		for _, o := range opts {
//			if err := o(&client); err != nil {
//				return nil, err
//			}
//		}
//		return &client, nil
//
//	func (api *API) parseOptions(opts ...Option) error {
//		for _, option := range opts {
//			if err := option(api); err != nil {
func optionEffect(c *checker, lf *flow.Func, v *types.Var) (flow.ParamFact, bool) {
	info := c.pass.TypesInfo
	fn := lf.Cur()
	options := []*types.Var{v}
	var out *flow.ParamFact
	for i := 0; i < len(options); i++ {
		for _, use := range c.UsesOf(fn, options[i]) {
			switch parent := use.Parent().Node().(type) {
			case *ast.RangeStmt: // for _, o := range opts
				if use.Node() == parent.X && parent.Value == nil {
					continue // for i := range opts: opts[i] below
				}
				if o := flow.VarOf(info, parent.Value); o != nil && use.Node() == parent.X {
					options = append(options, o)
					continue
				}
			case *ast.BinaryExpr:
				continue // opt == nil
			case *ast.IndexExpr: // opts[i](c), opts[i].apply(c)
				if call, ok := optionCall(use.Parent()); ok && parent.X == use.Node() {
					pf, ok := appliedTo(c, lf, call, v)
					if !ok || out != nil && *out != pf {
						return flow.ParamFact{}, false
					}
					out = &pf
					continue
				}
			case *ast.SelectorExpr: // opt.apply(&o): an option interface's method
				if call, ok := optionCall(use); ok && parent.X == use.Node() {
					pf, ok := appliedTo(c, lf, call, v)
					if !ok || out != nil && *out != pf {
						return flow.ParamFact{}, false
					}
					out = &pf
					continue
				}
			case *ast.CallExpr:
				if flow.IsBuiltin(info, parent, "len") {
					continue // how many options
				}
				if parent.Fun == use.Node() {
					pf, ok := appliedTo(c, lf, parent, v)
					if !ok || out != nil && *out != pf {
						return flow.ParamFact{}, false // applied to something else, or to two things
					}
					out = &pf
					continue
				}
			}
			return flow.ParamFact{}, false // it goes elsewhere
		}
	}
	if out == nil {
		return flow.ParamFact{}, false // never applied
	}
	return *out, true
}

// optionCall returns the call that applies the option at cur: cur
// called (opt(c)), or its method called (opt.apply(c)).
func optionCall(cur inspector.Cursor) (*ast.CallExpr, bool) {
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.X == cur.Node() {
		cur = cur.Parent()
	}
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	return call, ok && call.Fun == cur.Node()
}

// appliedTo says where the call of an option of lf (its parameter v)
// puts what the option holds: into a result of lf that one of its
// arguments flows to, or into what a parameter of lf given as an
// argument holds; an argument may be a field of one (o.apply(&c.cfg)).
func appliedTo(c *checker, lf *flow.Func, call *ast.CallExpr, v *types.Var) (flow.ParamFact, bool) {
	info := c.pass.TypesInfo
	for _, arg := range call.Args {
		if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
			arg = u.X
		}
		base, fields, ok := flow.FieldChain(info, arg)
		a := flow.VarOf(info, base)
		if !ok || a == nil || a == v {
			continue
		}
		path := strings.Join(fields, ".")
		if i := flow.ParamIndex(lf.Node(), a); i >= 0 {
			return flow.ParamFact{Kind: kindPool, Effect: flow.Into, Holder: i, Path: path}, true
		}
		if recv := lf.Sig().Recv(); recv != nil && a == recv {
			return flow.ParamFact{Kind: kindPool, Effect: flow.Into, Holder: -1, Path: path}, true
		}
		if fl := c.FollowVar(c.pools.spec, lf.Cur(), a, nil, flow.IntoParams|flow.TrustCalls); fl.Returned && !fl.ReturnedTwice {
			path = strings.Join(append(slices.Clip(fl.ReturnedAt), fields...), ".")
			return flow.ParamFact{Kind: kindPool, Effect: flow.Returns, Result: fl.ReturnedIn, Path: path}, true
		}
	}
	return flow.ParamFact{}, false
}

// optionFills reports whether every value lf returns as its result idx,
// of an option type, is a function literal that builds a pool of its own
// and puts it in the value it is applied to, on every run: each option
// made so builds one pool more when the constructor applies it.
//
//	func WithTLSConfig(cfg *tls.Config) ClientOption {
//		return func(c *Client) error {
//			c.Client = &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
func optionFills(c *checker, lf *flow.Func, idx int) bool {
	results := lf.Sig().Results()
	if _, ok := results.At(idx).Type().Underlying().(*types.Signature); !ok || !c.pools.isOption(results.At(idx).Type()) {
		return false
	}
	rets := flow.ReturnsOf(lf.Body())
	for _, ret := range rets {
		if len(ret.Results) != results.Len() {
			return false
		}
		lit := funcLitOf(c.pass.TypesInfo, ret.Results[idx])
		if lit == nil || len(lit.Type.Params.List) == 0 || len(lit.Type.Params.List[0].Names) == 0 {
			return false
		}
		cur, ok := lf.Cur().FindNode(lit)
		v, _ := c.pass.TypesInfo.Defs[lit.Type.Params.List[0].Names[0]].(*types.Var)
		if !ok || v == nil {
			return false
		}
		if when, ok := fillsWithOwn(c, cur, v); !ok || when.Param != 0 {
			return false
		}
	}
	return len(rets) > 0
}

// isOption reports whether t is the type of a func value that could put a
// pool it captured into what it is given (or a slice of them, as a
// variadic parameter holds): an option of a constructor; or of an
// interface with a method that could (an option that is a value of its
// own, applied by its method).
//
//	type ClientOption func(*Client) error
//	type Option interface{ apply(*options) }
func (p *pools) isOption(t types.Type) bool {
	switch u := optionElem(t).Underlying().(type) {
	case *types.Signature:
		return p.fillsParam(u)
	case *types.Interface:
		for m := range u.Methods() {
			if p.fillsParam(m.Signature()) {
				return true
			}
		}
	}
	return false
}

// optionElem returns the element type of t if it is a slice (a variadic
// parameter of options), t otherwise.
func optionElem(t types.Type) types.Type {
	if s, ok := t.Underlying().(*types.Slice); ok {
		return s.Elem()
	}
	return t
}

// fillsParam reports whether a func of type sig is given a pointer to
// something that can hold a pool.
func (p *pools) fillsParam(sig *types.Signature) bool {
	return p.filledParam(sig) >= 0
}

// filledParam returns the index of the first parameter of a func of type
// sig that is a pointer to something that can hold a pool, or -1.
func (p *pools) filledParam(sig *types.Signature) int {
	params := sig.Params()
	for i := range params.Len() {
		if t := params.At(i).Type(); flow.IsPointerType(t) && p.holdsPool(t) {
			return i
		}
	}
	return -1
}
