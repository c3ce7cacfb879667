package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what the summaries say of options given to a
// constructor: where an option applied to the value it builds puts the
// pool it holds, whether an option may replace the pool the constructor
// builds, and under which options it builds one, or keeps its idle
// connections (optionGuard, optionsTest).

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

// optionGuard returns the condition under which lf builds the pool at
// cur when it builds it only where a field of a local value, to which lf
// applies its options (a variadic parameter of funcs), is set: an option
// turns the pool on (p1.Retry.Max: when an option given sets that field).
// Other tests beside it (&&) only narrow that down, but a test that
// another such field is nil (a default the options may give) is
// returned too: and, where no option given sets it (!p1.Transport).
//
//	c := newClient(hc)
//	for _, opt := range opts { opt(c) }
//	if c.Retry.Max > 0 {
//		c.hc = retryablehttp.NewClient().StandardClient()
//
//	if opt.insecure && opt.Transport == nil {
//		WithTransport(insecureClone())(&opt)
func optionGuard(c *checker, lf *flow.Func, cur inspector.Cursor) (when, and flow.Condition, ok bool) {
	k := optionsParam(lf)
	if k < 0 {
		return flow.Condition{}, flow.Condition{}, false
	}
	for p := cur; p.Node() != lf.Node(); p = p.Parent() {
		switch n := p.Parent().Node().(type) {
		case *ast.FuncLit:
			return flow.Condition{}, flow.Condition{}, false
		case *ast.IfStmt:
			if n.Body != p.Node() || n.Init != nil {
				continue
			}
			if defaultOfOptions(c, lf, k, n) {
				return flow.Condition{Param: k + 1}, flow.Condition{}, true // built where no option given sets it
			}
			conjs := flow.Conjuncts(n.Cond)
			for _, conj := range conjs {
				field, ok := optionField(c, lf, k, setOperand(c.pass.TypesInfo, conj))
				if !ok {
					continue
				}
				when = flow.Condition{Param: k + 1, Field: field, NonZero: true}
				for _, other := range conjs {
					if f, ok := optionField(c, lf, k, nilOperand(c.pass.TypesInfo, other)); ok {
						return when, flow.Condition{Param: k + 1, Field: f}, true
					}
				}
				return when, flow.Condition{}, true
			}
		}
	}
	return flow.Condition{}, flow.Condition{}, false
}

// optionsParam returns the index of lf's variadic parameter of options
// (funcs), or -1.
func optionsParam(lf *flow.Func) int {
	sig := lf.Sig()
	if !sig.Variadic() {
		return -1
	}
	k := sig.Params().Len() - 1
	if _, ok := sig.Params().At(k).Type().(*types.Slice).Elem().Underlying().(*types.Signature); !ok {
		return -1 // not options
	}
	return k
}

// optionsTest returns the condition on lf's options under which value,
// a field of a local value that lf applies them to, or its negation, is
// non-zero (or zero, if !nonZero): where an option given sets the field
// (or none does).
//
//	for _, o := range opts { o(&cfg) }
//	tr := &http.Transport{DisableKeepAlives: cfg.DisableKeepAlives}   // kept where !p0.DisableKeepAlives
//	tr := &http.Transport{DisableKeepAlives: !cfg.keepAlives}         // kept where p0.keepAlives
func optionsTest(c *checker, lf *flow.Func, value ast.Expr, nonZero bool) (flow.Condition, bool) {
	if u, ok := ast.Unparen(value).(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return optionsTest(c, lf, u.X, !nonZero) // !cfg.keepAlives: zero where the field is set
	}
	k := optionsParam(lf)
	if k < 0 {
		return flow.Condition{}, false
	}
	field, ok := optionField(c, lf, k, value)
	if !ok || !zeroBeforeOptions(c, lf, value) {
		return flow.Condition{}, false // (a default of its own: an option may set it back)
	}
	return flow.Condition{Param: k + 1, Field: field, NonZero: nonZero}, true
}

// zeroBeforeOptions reports whether the field that e selects (x.f) of a
// local value is zero where x is declared, before any option is applied
// to it: x is declared without a value, or with a literal that leaves
// the field out, directly or as every return of a function of this
// package (cfg := defaultConfig()). A default of another value (a
// literal with keepAlives: true) is not: an option given may be the one
// that sets it back to zero.
func zeroBeforeOptions(c *checker, lf *flow.Func, e ast.Expr) bool {
	info := c.pass.TypesInfo
	base, fields, _ := flow.FieldChain(info, e)
	v := flow.VarOf(info, base)
	init, _ := flow.DeclaredWith(lf.Cur(), v)
	var inits []ast.Expr
	switch x := ast.Unparen(init).(type) {
	case nil:
		def, ok := lf.Cur().FindByPos(v.Pos(), v.Pos())
		_, declared := def.Parent().Node().(*ast.ValueSpec)
		return ok && declared // var cfg Config
	case *ast.CallExpr:
		callee := c.LocalFunc(flow.CalleeFunc(info, x))
		if callee == nil || callee.Body() == nil {
			return false
		}
		for _, ret := range flow.ReturnsOf(callee.Body()) {
			inits = append(inits, ret.Results...)
		}
	default:
		inits = append(inits, init)
	}
	for _, in := range inits {
		if flow.CompositeOf(in) == nil || flow.LitField(in, fields[0]) != nil {
			return false
		}
	}
	return len(inits) > 0
}

// passedOptions returns w, a condition on a field of a parameter of the
// function that call calls, in terms of lf's options, when the argument
// is such a field of a local value that lf applies them to, or a literal
// that gives the field one:
//
//	NewTransport(TransportConfig{DisableKeepAlives: cfg.DisableKeepAlives})
func passedOptions(c *checker, lf *flow.Func, call *ast.CallExpr, w flow.Condition) (flow.Condition, bool) {
	arg := flow.CondArg(c.pass.TypesInfo, call, w)
	if arg == nil || w.Field == "" || w.Const != "" {
		return flow.Condition{}, false
	}
	if value := flow.LitField(arg, w.Field); value != nil {
		return optionsTest(c, lf, value, w.NonZero)
	}
	if cond, ok := optionsTest(c, lf, arg, w.NonZero); ok {
		cond.Field += "." + w.Field
		return cond, true
	}
	return flow.Condition{}, false
}

// optionField returns the fields that e selects (x.f.g: "f.g") from a
// local value that lf applies its options k to.
func optionField(c *checker, lf *flow.Func, k int, e ast.Expr) (string, bool) {
	base, fields, ok := flow.FieldChain(c.pass.TypesInfo, e)
	v := flow.VarOf(c.pass.TypesInfo, base)
	if e == nil || !ok || len(fields) == 0 || v == nil || flow.ParamIndex(lf.Node(), v) >= 0 || !appliesOptions(c, lf, k, v) {
		return "", false
	}
	return strings.Join(fields, "."), true
}

// nilOperand returns x for a test x == nil; nil otherwise.
func nilOperand(info *types.Info, cond ast.Expr) ast.Expr {
	if b, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && b.Op == token.EQL && flow.IsNil(info, b.Y) {
		return b.X
	}
	return nil
}

// defaultOfOptions reports whether ifs builds a default where a field of
// a local value that lf applies its options k to is nil, tested as it is
// or through a local copy that only ifs assigns:
//
//	for _, o := range opts { o(&s) }
//	hc := s.hc
//	if hc == nil {
//		hc = &http.Client{Transport: &http.Transport{...}}
func defaultOfOptions(c *checker, lf *flow.Func, k int, ifs *ast.IfStmt) bool {
	info := c.pass.TypesInfo
	b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL || !flow.IsNil(info, b.Y) {
		return false
	}
	base, fields, ok := flow.FieldChain(info, b.X)
	v := flow.VarOf(info, base)
	if ok && len(fields) == 0 && v != nil && flow.ParamIndex(lf.Node(), v) < 0 {
		for _, use := range c.UsesOf(lf.Cur(), v) {
			if use.ParentEdgeKind() == edge.AssignStmt_Lhs && !flow.PosIn(use.Node().Pos(), ifs.Body) {
				return false // assigned elsewhere: not the copy it was declared as
			}
		}
		init, result := flow.DeclaredWith(lf.Cur(), v)
		if init == nil || result != 0 {
			return false
		}
		base, fields, ok = flow.FieldChain(info, init) // hc := s.hc
		v = flow.VarOf(info, base)
	}
	return ok && len(fields) > 0 && v != nil && flow.ParamIndex(lf.Node(), v) < 0 && appliesOptions(c, lf, k, v)
}

// setOperand returns what cond tests to be set: x for x, x != 0, x != nil,
// x != "", x > 0; nil otherwise.
func setOperand(info *types.Info, cond ast.Expr) ast.Expr {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		if flow.IsBool(info.TypeOf(cond)) {
			return cond
		}
		return nil
	}
	zero := func(e ast.Expr) bool {
		if flow.IsNil(info, e) {
			return true
		}
		tv, ok := info.Types[e]
		return ok && tv.Value != nil && (tv.Value.ExactString() == "0" || tv.Value.ExactString() == `""`)
	}
	switch {
	case (b.Op == token.NEQ || b.Op == token.GTR) && zero(b.Y):
		return b.X
	case (b.Op == token.NEQ || b.Op == token.LSS) && zero(b.X):
		return b.Y
	}
	return nil
}

// appliesOptions reports whether lf calls its options (parameter k, or a
// range variable over it) on v or &v.
func appliesOptions(c *checker, lf *flow.Func, k int, v *types.Var) bool {
	info := c.pass.TypesInfo
	for cur := range lf.Cur().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if optionParam(c, lf, call.Fun) != k {
			continue
		}
		for _, arg := range call.Args {
			if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
				arg = u.X
			}
			if flow.VarOf(info, arg) == v {
				return true
			}
		}
	}
	return false
}

// optionParam returns the index of lf's parameter that fun calls an
// option of: the parameter itself (opt(c)), indexed (opts[i](c)), or a
// range variable over it (for _, opt := range opts); or a method of one
// (opt.apply(&o)); -1 if none.
func optionParam(c *checker, lf *flow.Func, fun ast.Expr) int {
	info := c.pass.TypesInfo
	if sel, ok := ast.Unparen(fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			fun = sel.X
		}
	}
	if ix, ok := ast.Unparen(fun).(*ast.IndexExpr); ok {
		fun = ix.X
	}
	v := flow.VarOf(info, fun)
	if v == nil {
		return -1
	}
	if i := flow.ParamIndex(lf.Node(), v); i >= 0 {
		return i
	}
	def, ok := lf.Cur().FindByPos(v.Pos(), v.Pos())
	if !ok {
		return -1
	}
	if r, ok := def.Parent().Node().(*ast.RangeStmt); ok && r.Value == def.Node() {
		if p := flow.VarOf(info, r.X); p != nil {
			return flow.ParamIndex(lf.Node(), p)
		}
	}
	return -1
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
