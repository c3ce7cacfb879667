package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the conditions that a constructor's options put on the
// pool it builds, read from the fields of the local value it applies
// them to: built only where an option sets a field (optionGuard), or
// keeping its idle connections only where the options leave a field at
// zero, or set it (optionsTest).

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
	k := optionsParam(c, lf)
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
// (funcs, or values of an interface applied by a method given what
// holds the pool: opt.apply(&o)), or -1.
func optionsParam(c *checker, lf *flow.Func) int {
	sig := lf.Sig()
	if !sig.Variadic() {
		return -1
	}
	k := sig.Params().Len() - 1
	switch elem := sig.Params().At(k).Type().(*types.Slice).Elem(); elem.Underlying().(type) {
	case *types.Signature:
		return k
	case *types.Interface:
		if c.pools.isOption(elem) {
			return k
		}
	}
	return -1 // not options
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
	return optionsTestIn(c, lf, value, nil, nonZero)
}

// optionsTestIn is optionsTest for the field path extra inside value (o
// itself, of o.httpClient(), whose summary tests a field of its
// receiver).
func optionsTestIn(c *checker, lf *flow.Func, value ast.Expr, extra []string, nonZero bool) (flow.Condition, bool) {
	if u, ok := ast.Unparen(value).(*ast.UnaryExpr); ok && u.Op == token.NOT && len(extra) == 0 {
		return optionsTest(c, lf, u.X, !nonZero) // !cfg.keepAlives: zero where the field is set
	}
	k := optionsParam(c, lf)
	if k < 0 {
		return flow.Condition{}, false
	}
	field, ok := optionFieldIn(c, lf, k, value, extra)
	if !ok {
		return flow.Condition{}, false
	}
	switch zero, other := defaultBeforeOptions(c, lf, value, extra); {
	case zero:
		return flow.Condition{Param: k + 1, Field: field, NonZero: nonZero}, true
	case other && nonZero:
		// A default of its own (keepAlives: true): non-zero where no
		// option given sets it to zero.
		return flow.Condition{Param: k + 1, Field: field, NonZero: true, Const: zeroConst}, true
	}
	return flow.Condition{}, false // (a default of its own, which an option may set back: not known)
}

// zeroConst is the Const of an option condition on a field that has a
// non-zero default: the pool is built (or kept) where the options given
// leave the field at another value than zero (see optionsBuild).
const zeroConst = "0"

// defaultBeforeOptions tells the value of the field that e selects (x.f)
// of a local value where x is declared, before any option is applied to
// it: zero when x is declared without a value, or with a literal that
// leaves the field out, directly or as every return of a function of
// this package (cfg := defaultConfig()); other when every such literal
// gives the field (one selected from x) a constant other than zero
// (keepAlives: true). Neither when it is not known.
func defaultBeforeOptions(c *checker, lf *flow.Func, e ast.Expr, extra []string) (zero, other bool) {
	info := c.pass.TypesInfo
	base, fields, _ := flow.FieldChain(info, e)
	fields = append(fields, extra...)
	v := flow.VarOf(info, base)
	init, _ := flow.DeclaredWith(lf.Cur(), v)
	var inits []ast.Expr
	switch x := ast.Unparen(init).(type) {
	case nil:
		def, ok := lf.Cur().FindByPos(v.Pos(), v.Pos())
		if !ok {
			return false, false // declared outside lf: a package variable, or one a literal captured
		}
		_, declared := def.Parent().Node().(*ast.ValueSpec)
		return declared, false // var cfg Config
	case *ast.CallExpr:
		callee := c.LocalFunc(flow.CalleeFunc(info, x))
		if callee == nil || callee.Body() == nil {
			return false, false
		}
		for _, ret := range flow.ReturnsOf(callee.Body()) {
			inits = append(inits, ret.Results...)
		}
	default:
		inits = append(inits, init)
	}
	zero, other = len(inits) > 0, len(inits) > 0 && len(fields) == 1
	for _, in := range inits {
		if flow.CompositeOf(in) == nil {
			return false, false
		}
		value := flow.LitField(in, fields[0])
		zero = zero && value == nil
		other = other && value != nil && info.Types[value].Value != nil && !flow.IsZeroValue(info, value)
	}
	return zero, other
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
	return optionsTestIn(c, lf, arg, strings.Split(w.Field, "."), w.NonZero)
}

// optionField returns the fields that e selects (x.f.g: "f.g") from a
// local value that lf applies its options k to.
func optionField(c *checker, lf *flow.Func, k int, e ast.Expr) (string, bool) {
	return optionFieldIn(c, lf, k, e, nil)
}

// optionFieldIn is optionField for the field path extra inside e.
func optionFieldIn(c *checker, lf *flow.Func, k int, e ast.Expr, extra []string) (string, bool) {
	base, fields, ok := flow.FieldChain(c.pass.TypesInfo, e)
	fields = append(fields, extra...)
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
