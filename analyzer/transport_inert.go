package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// Functional options that cannot replace a pool. A constructor that
// applies its options to the holder of the pool it builds is summarized
// as building that pool only when no option is given (when(!pN), see
// optionsMayReplace): an option may give the holder the caller's own
// client. An option that only sets fields that cannot hold a pool (a
// timeout, a user agent, a retry count) cannot; so a call given only such
// options builds the pool all the same:
//
//	func WithTimeout(d time.Duration) Option { return func(s *Service) { s.hc.Timeout = d } }   // result0:inertOption@hc.Timeout
//	NewService(WithTimeout(time.Second))     // a pool of its own, as NewService() builds
//
// The fields such an option sets also tell when it turns on a pool that
// a constructor builds only where a field of its value is set (see
// optionGuard). Each field tells the value it gets where that is known:
// "=0" for a constant zero (false, 0, "", nil), "=1" for another
// constant, "=pN" for the option maker's parameter N, which its call
// decides:
//
//	func WithInsecure(b bool) Option { return func(o *opts) { o.insecure = b } }   // result0:inertOption@insecure=p0
//	NewClient(WithInsecure(false))   // sets nothing: builds what NewClient() builds

// summarizeInertOption records in f that lf returns, as its only result,
// an option that does nothing to the pools its arguments hold but set
// their fields that cannot hold one: on every return, a function literal
// that only does that (or a conversion of one), or a value of the
// package's own type whose methods of the option interface only do that
// (a gRPC-style option: withTimeout{d}, whose apply sets o.timeout). The
// fact's path lists the fields it sets, joined by commas.
func summarizeInertOption(c *checker, lf *flow.Func, f *flow.Fact) {
	results := lf.Sig().Results()
	if results.Len() != 1 || !c.pools.isOption(results.At(0).Type()) && !configOption(c.pass.Pkg, results.At(0).Type()) {
		return
	}
	rets := flow.ReturnsOf(lf.Body())
	if len(rets) == 0 {
		return
	}
	var sets []string
	for _, ret := range rets {
		if len(ret.Results) != 1 {
			return
		}
		fields, ok := c.inertValue(lf.Sig(), results.At(0).Type(), ret.Results[0])
		if !ok {
			return
		}
		for _, field := range fields {
			if !slices.Contains(sets, field) {
				sets = append(sets, field)
			}
		}
	}
	f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindInertOption, Path: strings.Join(sets, ",")})
}

// configOption reports whether t is the type of a func given a pointer to
// a struct of package pkg, which holds no pool: an option that sets the
// fields of the package's config (func(*Config)), which tell whether the
// pool a constructor builds from them keeps its connections (see
// optionsTest). A handler, given an *http.Request, is none.
func configOption(pkg *types.Package, t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for v := range sig.Params().Variables() {
		if p, ok := types.Unalias(v.Type()).(*types.Pointer); ok {
			if named, ok := types.Unalias(p.Elem()).(*types.Named); ok && named.Obj().Pkg() == pkg && flow.IsStructType(named) {
				return true
			}
		}
	}
	return false
}

// structPointer reports whether t is a pointer to a struct.
func structPointer(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && flow.IsStructType(p.Elem())
}

// inertValue reports whether e, an option of type t that the function
// of signature maker returns, only sets fields that cannot hold a pool
// (see summarizeInertOption), and which.
func (c *checker) inertValue(maker *types.Signature, t types.Type, e ast.Expr) (sets []string, ok bool) {
	info := c.pass.TypesInfo
	if lit := funcLitOf(info, e); lit != nil {
		return c.inertOption(maker, lit.Type, lit.Body)
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return nil, false
	}
	vt := info.TypeOf(e)
	if vt == nil || types.IsInterface(vt) {
		return nil, false // an option from elsewhere
	}
	for m := range iface.Methods() {
		if !c.pools.fillsParam(m.Signature()) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(vt, true, m.Pkg(), m.Name())
		impl, ok := obj.(*types.Func)
		if !ok {
			return nil, false
		}
		lf := c.LocalFunc(impl)
		if lf == nil {
			return nil, false // not of this package, or no body
		}
		fields, ok := c.inertOption(nil, lf.Type(), lf.Body())
		if !ok {
			return nil, false
		}
		sets = append(sets, fields...)
	}
	return sets, true
}

// funcLitOf returns the function literal e is, through parens and
// conversions (Option(func(...) {...})), or nil.
func funcLitOf(info *types.Info, e ast.Expr) *ast.FuncLit {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return x
		case *ast.CallExpr:
			if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
				e = x.Args[0]
				continue
			}
		}
		return nil
	}
}

// inertOption reports whether the option of type ft and body body (a
// function literal, or a method of an option's type) does nothing with
// the pools its parameters may hold but set, or read, their fields that
// cannot hold one: every mention of a parameter selects such a field,
// and is assigned with = or only read. It returns the fields it sets
// (fields joined by dots), each with the value it gets where known (see
// valueTag; maker, if not nil, is the signature of the function that
// returns the option).
func (c *checker) inertOption(maker *types.Signature, ft *ast.FuncType, body *ast.BlockStmt) (sets []string, ok bool) {
	info := c.pass.TypesInfo
	params := map[types.Object]bool{}
	for _, field := range ft.Params.List {
		for _, name := range field.Names {
			if obj := info.Defs[name]; obj != nil && (c.pools.holdsPool(obj.Type()) || structPointer(obj.Type())) {
				params[obj] = true
			}
		}
	}
	if len(params) == 0 {
		return nil, false // it takes nothing that holds a pool or a config: not an option
	}
	inert := true
	flow.InspectStack(body, func(stack []ast.Node) bool {
		if id, ok := stack[len(stack)-1].(*ast.Ident); ok && params[info.Uses[id]] {
			set, ok := inertMention(c, maker, stack)
			if !ok {
				inert = false
			} else if set != "" && !slices.Contains(sets, set) {
				sets = append(sets, set)
			}
		}
		return inert
	})
	return sets, inert
}

// inertMention reports whether the parameter at the top of stack is the
// base of a chain of field selections whose value cannot hold a pool,
// assigned with = or ++/-- (it returns the fields then, joined by dots),
// or read (compared, passed on, a method of it called: it holds no
// pool), but not its address taken.
func inertMention(c *checker, maker *types.Signature, stack []ast.Node) (set string, ok bool) {
	info := c.pass.TypesInfo
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	var fields []string
	for i > 0 {
		sel, ok := stack[i-1].(*ast.SelectorExpr)
		if !ok || sel.X != e || flow.FieldOf(info, sel) == nil {
			break
		}
		e, i = sel, i-1
		fields = append(fields, sel.Sel.Name)
	}
	if len(fields) == 0 {
		return "", c.onlyReadsRecv(stack, i) // c.setBaseURL(u): a method that only reads the pool
	}
	if c.pools.holdsPool(info.TypeOf(e)) {
		return "", false // a field that may hold a pool
	}
	switch parent := stack[i-1].(type) {
	case *ast.AssignStmt:
		if !flow.ContainsExpr(parent.Lhs, e) {
			return "", true // read
		}
		set := strings.Join(fields, ".")
		if i := slices.Index(parent.Lhs, ast.Expr(e)); i >= 0 && len(parent.Rhs) == len(parent.Lhs) {
			set += valueTag(c, maker, parent.Rhs[i])
		}
		return set, parent.Tok == token.ASSIGN
	case *ast.IncDecStmt:
		return strings.Join(fields, "."), true
	case *ast.UnaryExpr:
		return "", parent.Op != token.AND
	}
	return "", true // read: compared, passed on, a method of the field; it holds no pool
}

// valueTag tells the value e that an option gives a field, where it is
// known: "=0" for a constant zero (false, 0, "") or nil, "=1" for
// another constant, "=pN" for the parameter N of maker (the function
// that returns the option, whose call decides it), and "" otherwise.
func valueTag(c *checker, maker *types.Signature, e ast.Expr) string {
	info := c.pass.TypesInfo
	if flow.IsZeroValue(info, e) {
		return "=0"
	}
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return "=1" // a constant other than zero
	}
	if v := flow.VarOf(info, e); v != nil && maker != nil {
		for i := range maker.Params().Len() {
			if maker.Params().At(i) == v && !(maker.Variadic() && i == maker.Params().Len()-1) {
				return "=p" + strconv.Itoa(i)
			}
		}
	}
	return ""
}

// onlyReadsRecv reports whether the parameter at stack[i] is the
// receiver of a method called there whose summary says it only reads
// the pool and sets no field that holds one.
func (c *checker) onlyReadsRecv(stack []ast.Node, i int) bool {
	if i < 2 {
		return false
	}
	sel, ok := stack[i-1].(*ast.SelectorExpr)
	if !ok || sel.X != stack[i] {
		return false
	}
	call, ok := stack[i-2].(*ast.CallExpr)
	fn, isFunc := c.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || call.Fun != sel || !isFunc {
		return false
	}
	pf := c.Summary(fn).Param(-1, kindPool)
	return pf.Effect == flow.Borrows && pf.Sets == ""
}

// inertOptions reports whether call gives its variadic parameter (the
// parameter idx) only options that cannot replace a pool: calls of
// functions whose summary says so, or function literals that do
// nothing else. It returns the fields they set.
func (c *checker) inertOptions(call *ast.CallExpr, idx int) (sets []string, ok bool) {
	if len(call.Args) <= idx {
		return nil, false
	}
	args := call.Args[idx:]
	if call.Ellipsis.IsValid() {
		if args, ok = optionsIn(c, args[0]); !ok {
			return nil, false
		}
	}
	for _, arg := range args {
		if lit := funcLitOf(c.pass.TypesInfo, arg); lit != nil {
			fields, ok := c.inertOption(nil, lit.Type, lit.Body)
			if !ok {
				return nil, false
			}
			sets = append(sets, fields...)
			continue
		}
		opt, ok := ast.Unparen(arg).(*ast.CallExpr)
		if !ok {
			return nil, false
		}
		r := c.CallSummary(opt).Result(kindInertOption)
		if r == nil {
			return nil, false
		}
		if r.Path != "" {
			for set := range strings.SplitSeq(r.Path, ",") {
				sets = append(sets, givenValue(c, opt, set))
			}
		}
	}
	return sets, true
}

// optionsIn returns the options a local slice passed on whole (f(o...))
// is built of, where every write to it is a literal or appends to it:
//
//	o := []Option{WithUserAgent(ua)}
//	if timeout > 0 {
//		o = append(o, WithTimeout(timeout))
//	}
func optionsIn(c *checker, e ast.Expr) ([]ast.Expr, bool) {
	info := c.pass.TypesInfo
	v := flow.VarOf(info, e)
	if v == nil || v.Kind() != types.LocalVar {
		return nil, false // a parameter's, or not a variable
	}
	var elems []ast.Expr
	for _, w := range c.WritesTo(v) {
		switch rhs := ast.Unparen(w.RHS).(type) {
		case nil:
			if !w.Zero {
				return nil, false
			}
		case *ast.CompositeLit:
			elems = append(elems, rhs.Elts...)
		case *ast.CallExpr:
			if !flow.IsBuiltin(info, rhs, "append") || rhs.Ellipsis.IsValid() || flow.VarOf(info, rhs.Args[0]) != v {
				return nil, false
			}
			elems = append(elems, rhs.Args[1:]...)
		default:
			return nil, false
		}
	}
	return elems, true
}

// optionsBuild says whether call builds the pool that its callee builds
// under w, a condition on its options (the variadic parameter), which
// HoldsAt evaluated as holds, known: built when no option is given, and
// the options given cannot replace it (holds); built when an option
// sets the field w names (p1.Retry.Max: an option that turns a feature
// on), and one of the options given sets it, or a field on its path
// (holds), or none of them can (does not hold; nor when it cannot read
// them); built where no option given sets the field w names (a default:
// !p1.Transport), and none of those given sets it. Options passed on
// (opts...) leave it to the caller, unless they are a local slice of
// options that cannot replace it (optionsIn).
func (c *checker) optionsBuild(call *ast.CallExpr, w flow.Condition, holds, known bool) (bool, bool) {
	switch {
	case w.Field != "" && w.Const == zeroConst:
		// Built where the options given leave the field, which has a
		// default of its own, at a value other than zero: where none
		// sets it to zero, nor to a value not known.
		sets, ok := c.inertOptions(call, w.Param-1)
		if call.Ellipsis.IsValid() || !ok && len(call.Args) >= w.Param {
			return false, true // the caller's say, or options it cannot read: not known to build it
		}
		return !slices.ContainsFunc(sets, func(set string) bool {
			set, tag, _ := strings.Cut(set, "=")
			return tag != "1" && (fieldWithin(set, w.Field) || fieldWithin(w.Field, set))
		}), true
	case w.Field == "" && !w.NonZero:
		if !known || !holds { // (o... of a local slice: not known to be empty)
			if _, ok := c.inertOptions(call, w.Param-1); ok {
				return true, true // none given can replace it
			}
		}
		return holds, known
	case w.Field != "" && w.NonZero:
		if call.Ellipsis.IsValid() {
			return false, false // opts... passed on: the caller's say
		}
		if len(call.Args) < w.Param {
			return false, true // no option: nothing turns it on
		}
		sets, ok := c.inertOptions(call, w.Param-1)
		if !ok {
			return false, true // options it cannot read: not known to turn it on
		}
		return setByOne(sets, w.Field), true
	case w.Field != "":
		// Built where no option given sets the field (a default).
		switch sets, ok := c.inertOptions(call, w.Param-1); {
		case call.Ellipsis.IsValid() || !ok && len(call.Args) >= w.Param:
			return false, false // the caller's say, or options it cannot read
		default:
			return !setByOne(sets, w.Field), true
		}
	}
	return holds, known
}

// givenValue resolves the tag of set, a field that the option opt makes
// sets, that names a parameter of its maker (see valueTag): "=0" where
// opt's argument there is a constant zero, no tag otherwise.
func givenValue(c *checker, opt *ast.CallExpr, set string) string {
	field, tag, _ := strings.Cut(set, "=")
	if n, err := strconv.Atoi(strings.TrimPrefix(tag, "p")); err == nil && strings.HasPrefix(tag, "p") {
		if n >= len(opt.Args) || opt.Ellipsis.IsValid() {
			return field
		}
		return field + valueTag(c, nil, opt.Args[n])
	}
	return set
}

// setByOne reports whether one of the fields in sets, set by options to
// a value not known to be zero, is field or lies on its path: an option
// that sets a flag to false turns nothing on, and leaves a default in
// place.
func setByOne(sets []string, field string) bool {
	return slices.ContainsFunc(sets, func(set string) bool {
		set, tag, _ := strings.Cut(set, "=")
		return tag != "0" && (fieldWithin(set, field) || fieldWithin(field, set))
	})
}
