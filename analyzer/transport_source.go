package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file finds where the transport check starts: the expressions
// that build a new connection pool.

// A poolSource is an expression that builds a new connection pool.
type poolSource struct {
	cur    inspector.Cursor
	expr   ast.Expr          // the construction
	typ    types.Type        // the type of the pool it builds
	lit    *ast.CompositeLit // the http.Transport literal, if expr is one
	what   string            // how messages name a construction: "new http.Transport"
	helper string            // or the name of the helper function called
	result int               // the result of the call that holds the pool, if a helper's
	at     flow.Place        // where the pool sits in it
	when   flow.Condition    // the helper builds the pool only then, and the argument does not tell
	// noKeepAlive: the pool keeps no idle connections, or may not
	// (DisableKeepAlives set to true or to a value we cannot read,
	// MaxIdleConnsPerHost < 0).
	noKeepAlive bool
	// off: keep-alives are off by a constant (DisableKeepAlives: true,
	// or a helper's transport that sets it so: a poolOff result): a pool
	// only where the code turns them back on (DisableKeepAlives = false).
	off bool
	// sdk: a cloud SDK's service client, with a pool of its own (see
	// nethttp.SDKPool); each of its methods sends requests.
	sdk bool
	// lazy: a holder that builds its pool on first use (see lazyPool):
	// there is a pool only once one of its filling methods is called.
	lazy bool
	// bare: a client without a Transport, which has a pool of its own
	// only once a fallback fills it (see bareClient).
	bare bool
	// closer: the result (its index + 1; 0 if none) of the helper, a
	// cleanup func, whose call releases the pool (flow.ResultFact.Closer).
	closer int
	// passed: the helper builds the pool only when the caller leaves
	// something out (a nil Transport), and the argument is the
	// enclosing function's own parameter: a wrapper, whose summary
	// passes the test up (when), and whose own check stays quiet.
	passed bool
	// and: the helper's other tests (flow.ResultFact.And), which the
	// argument does not tell either and the wrapper passes up too.
	and []flow.Condition
	// dropped: the callee builds the pool, uses it and drops it itself,
	// where the argument passes its test (fact droppedPool): each call
	// leaves one.
	dropped bool
}

// poolAt reports whether the node at cur builds a new connection pool:
//
//	http.Transport{...}      (also under &)
//	var t http.Transport     (its address used)
//	new(http.Transport)
//	t.Clone()                (t an *http.Transport)
//	newClient(...)           (a function whose summary returns a fresh pool)
func poolAt(c *checker, cur inspector.Cursor) (poolSource, bool) {
	switch n := cur.Node().(type) {
	case *ast.CompositeLit:
		return poolLit(c, cur)
	case *ast.ValueSpec:
		return poolDecl(c, cur)
	case *ast.CallExpr:
		if src, ok := poolCall(c, cur, flow.CalleeFunc(c.pass.TypesInfo, n)); ok && !src.dropped {
			return src, true
		} // (a pool the callee drops itself is in none of its results)
	}
	return poolSource{}, false
}

// poolLit is poolAt for a composite literal.
func poolLit(c *checker, cur inspector.Cursor) (poolSource, bool) {
	info := c.pass.TypesInfo
	lit := cur.Node().(*ast.CompositeLit)
	if t := info.TypeOf(lit); nethttp.IsOtherTransport(t) && !flow.IsPointerType(t) {
		return poolSource{cur: cur, expr: lit, typ: t, lit: lit, what: "new " + types.TypeString(t, flow.PkgName), result: -1}, true
	}
	if !nethttp.IsTransportValue(info.TypeOf(lit)) {
		if name, ok := c.pools.lazyPool(info.TypeOf(lit)); ok && !setsPoolField(c, lit) {
			return poolSource{cur: cur, expr: lit, typ: info.TypeOf(lit), what: "new " + name, result: -1, lazy: true}, true
		}
		return poolSource{}, false
	}
	return poolSource{cur: cur, expr: lit, typ: info.TypeOf(lit), lit: lit, what: "new http.Transport", result: -1,
		noKeepAlive: litTurnsOffPooling(c, cur, lit), off: nethttp.LitKeepAlivesOff(info, lit)}, true
}

// poolDecl is poolAt for a declaration of a variable of type
// http.Transport without a value (var t http.Transport): its zero value
// is a pool, which keeps its connections alive. The construction is the
// declaration's type, and the flow starts from there into the variable.
func poolDecl(c *checker, cur inspector.Cursor) (poolSource, bool) {
	spec := cur.Node().(*ast.ValueSpec)
	if spec.Type == nil || len(spec.Values) > 0 || len(spec.Names) != 1 {
		return poolSource{}, false
	}
	t := c.pass.TypesInfo.TypeOf(spec.Type)
	if !nethttp.IsTransportValue(t) {
		return poolSource{}, false
	}
	at := cur.ChildAt(edge.ValueSpec_Type, -1)
	return poolSource{cur: at, expr: spec.Type, typ: t, what: "new http.Transport", result: -1}, true
}

// litTurnsOffPooling is nethttp.LitTurnsOffPooling, but for a
// DisableKeepAlives given a value known to be false where lit is built,
// which turns nothing off: a field a local literal leaves out (a variable
// whose address nothing takes, which no method is called on: options
// applied to &o may set it), a variable set once to false.
//
//	opts := Options{DialTimeout: d} // ShortLived left false
//	tr := &http.Transport{DisableKeepAlives: opts.ShortLived}
func litTurnsOffPooling(c *checker, cur inspector.Cursor, lit *ast.CompositeLit) bool {
	info := c.pass.TypesInfo
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch id := flow.IdentOf(kv.Key); {
		case id == nil || !nethttp.TurnsOffPooling(info, id.Name, kv.Value):
			continue
		case id.Name != "DisableKeepAlives":
			return true
		}
		if c.FalseAt(kv.Value) {
			continue // a variable set once to false
		}
		if base, fields, ok := flow.FieldChain(info, kv.Value); ok && len(fields) > 0 {
			if fn, ok := flow.EnclosingFunc(cur); ok && onlyFieldsOf(c, fn, base) {
				if zero, known := c.ZeroAt(base, fields, lit); known && zero {
					continue // a field left false
				}
			}
		}
		return true
	}
	return false
}

// bareClient reports whether lit is an http.Client literal that names no
// Transport: it shares http.DefaultTransport, unless a fallback helper
// gives it a pool of its own (a parameter fact fills, when it has no
// Transport), which the check then reports as built where lit is.
//
//	c := &http.Client{Timeout: time.Second}
//	ensureTransport(c)   // if c.Transport == nil { c.Transport = &http.Transport{} }
func bareClient(c *checker, cur inspector.Cursor) (poolSource, bool) {
	lit := cur.Node().(*ast.CompositeLit)
	t := c.pass.TypesInfo.TypeOf(lit)
	if !nethttp.IsHTTPClient(t) || setsPoolField(c, lit) {
		return poolSource{}, false
	}
	return poolSource{cur: cur, expr: lit, typ: t, what: "client", result: -1, bare: true}, true
}

// poolCall is poolAt for a call of fn (nil if not a function).
func poolCall(c *checker, cur inspector.Cursor, fn *types.Func) (poolSource, bool) {
	info := c.pass.TypesInfo
	call := cur.Node().(*ast.CallExpr)
	if flow.IsNewOf(info, call, nethttp.IsTransportValue) {
		return poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "new http.Transport", result: -1}, true
	}
	if flow.IsNewOf(info, call, func(t types.Type) bool { _, ok := c.pools.lazyPool(t); return ok }) {
		name, _ := c.pools.lazyPool(info.TypeOf(call))
		return poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "new " + name, result: -1, lazy: true}, true
	}
	if fn == nil {
		if !c.pools.mayReturnPool(call) {
			return poolSource{}, false // a conversion, or no result can hold a pool
		}
		// newClient := func() *http.Client { ... }; newClient(), or a
		// func variable of another package: dep.NewClient(t)
		return sourceFromResult(c, cur, c.CallSummary(call).Result(kindPool), types.ExprString(call.Fun))
	}
	if nethttp.IsClone(fn) {
		src := poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "cloned http.Transport", result: -1}
		if lit := cloneOf(c, call); lit != nil {
			src.noKeepAlive, src.off = nethttp.LitTurnsOffPooling(info, lit), nethttp.LitKeepAlivesOff(info, lit)
		}
		return src, true
	}
	if !c.pools.inSDK {
		if fresh, matched := nethttp.SDKPool(c.Engine, call, fn); matched {
			if !fresh {
				return poolSource{}, false // the client shares a pool, or we cannot tell
			}
			return poolSource{cur: cur, expr: call, typ: fn.Signature().Results().At(0).Type(), helper: fn.Pkg().Name() + "." + fn.Name(), sdk: true}, true
		}
	}
	var r *flow.ResultFact
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) && c.pools.poolResult(fn.Signature().Results()) >= 0 {
		// The value the call runs on first; what every implementation
		// does (a fact of the interface's package) after.
		if impl := c.Concrete(call, fn); impl != nil {
			r = c.Summary(impl).Result(kindPool) // var F Factory = maker{}; F.Make()
		} else if r = factoryPool(c, fn); r == nil {
			r = factoryVarPool(c, call, fn) // pkg.DefaultFactory.Make()
		}
	} else {
		r = c.Summary(fn).Result(kindPool)
	}
	if r == nil {
		r = forwardedPool(c, fn, call)
	}
	if r == nil {
		if r = c.Summary(fn).Result(kindPoolOff); r != nil {
			src, ok := sourceFromResult(c, cur, r, fn.Name())
			src.off = true
			return src, ok
		}
	}
	if r == nil {
		if r = c.Summary(fn).Result(kindPoolDropped); r != nil {
			src, ok := sourceFromResult(c, cur, r, fn.Name())
			src.dropped = true
			return src, ok
		}
	}
	return sourceFromResult(c, cur, r, fn.Name())
}

// forwardedPool returns what a call of fn hands back through a func it
// is given, when fn returns what the func returns or keeps it in its
// result (flow.Forwards), and the func given builds a fresh pool every
// time: a config made with the transport maker the caller picks.
//
//	func DefaultConfig() *Config { return defaultConfig(cleanhttp.DefaultPooledTransport) }
//	func defaultConfig(mk func() *http.Transport) *Config { return &Config{Transport: mk()} }
func forwardedPool(c *checker, fn *types.Func, call *ast.CallExpr) *flow.ResultFact {
	params := c.Summary(fn).Params
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		// No body to say more; a body's summary is the word (it may
		// keep what it returns too: a cache).
		params = append(flow.ParametricForwards(fn), params...)
	}
	for _, p := range params {
		if p.Effect&flow.Forwards == 0 || p.Index >= len(call.Args) {
			continue
		}
		arg := ast.Unparen(call.Args[p.Index])
		lit, _ := arg.(*ast.FuncLit)
		made := flow.FuncNamed(c.pass.TypesInfo, arg)
		if made == nil && lit == nil {
			made, lit = c.FuncOf(arg)
		}
		var r *flow.ResultFact
		switch {
		case lit != nil:
			r = c.FuncLitSummary(lit).Result(kindPool)
		case made != nil:
			r = c.Summary(made).Result(kindPool)
		}
		if r == nil || r.Index != p.From || r.When.Param != 0 || r.Lazy {
			continue // it builds none, or not always
		}
		path := p.Path
		if path != "" && r.Path != "" {
			path += "."
		}
		return &flow.ResultFact{Index: p.Result, Kind: kindPool, Path: path + r.Path}
	}
	return nil
}

// cloneOf returns the Transport literal that the Transport a Clone call
// copies was built with, when it sits in a variable set once to it
// whose fields the package never sets: the clone copies its
// DisableKeepAlives and MaxIdleConnsPerHost.
//
//	var base = &http.Transport{DisableKeepAlives: true}
//	tr := base.Clone()     // keeps no idle connections either
func cloneOf(c *checker, call *ast.CallExpr) *ast.CompositeLit {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	rhs := c.setOnce(sel.X)
	if rhs == sel.X {
		return nil
	}
	rhs = ast.Unparen(rhs)
	if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
		rhs = ast.Unparen(u.X)
	}
	lit, _ := rhs.(*ast.CompositeLit)
	return lit
}

// mayReturnPool reports whether a result of call, not a conversion, can
// hold a pool.
func (p *pools) mayReturnPool(call *ast.CallExpr) bool {
	tv, ok := p.c.pass.TypesInfo.Types[call.Fun]
	if !ok || tv.IsType() || tv.Type == nil {
		return false
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	return ok && p.poolResult(sig.Results()) >= 0
}

// factoryPool returns what the method fn of an interface hands back
// when every type that implements the interface (one at least) builds a
// fresh pool in its method, always and at the same place: a factory
// behind an interface. For an unexported interface of this package,
// those are the package's types; for an exported one of another package,
// its facts say what that package's types agree on (exportInterfaceFacts),
// and no type of this package may implement it otherwise. It returns nil
// otherwise.
//
//	type factory interface{ Make() http.RoundTripper }
//	func (cloner) Make() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }
//	tr := defaultFactory().Make()      // a new pool
//	tr := s.Factory.Make()             // s.Factory dep.Factory, whose every implementation in dep clones
func factoryPool(c *checker, fn *types.Func) *flow.ResultFact {
	named, ok := types.Unalias(fn.Signature().Recv().Type()).(*types.Named)
	if !ok {
		return nil
	}
	iface, ok := named.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	if named.Obj().Pkg() != c.pass.Pkg {
		r := c.Summary(fn).Result(kindPool) // what the interface's package agrees on
		if r == nil {
			return nil
		}
		if impls, ok := c.Implementations(iface, fn); !ok || len(impls) > 0 && implsBuild(c, impls) == nil {
			return nil // a type of this package implements it otherwise
		}
		return r
	}
	if named.Obj().Exported() {
		return nil // its implementations may be anywhere
	}
	impls, ok := c.Implementations(iface, fn)
	if !ok {
		return nil
	}
	return implsBuild(c, impls)
}

// implsBuild returns what impls, methods of the types that implement an
// interface (one at least), hand back when each builds a fresh pool,
// always and at the same place; nil otherwise.
func implsBuild(c *checker, impls []*types.Func) *flow.ResultFact {
	var out *flow.ResultFact
	for _, impl := range impls {
		r := c.Summary(impl).Result(kindPool)
		if r == nil || r.When.Param != 0 || r.Lazy || out != nil && (r.Index != out.Index || r.Path != out.Path) {
			return nil // one builds none, or under a condition, or elsewhere
		}
		out = r
	}
	return out
}

// sourceFromResult returns the pool that the call at cur builds, whose
// callee (named name) has a summary that says r of its result (nil:
// nothing).
func sourceFromResult(c *checker, cur inspector.Cursor, r *flow.ResultFact, name string) (poolSource, bool) {
	if r == nil {
		return poolSource{}, false
	}
	info := c.pass.TypesInfo
	call := cur.Node().(*ast.CallExpr)
	sig, ok := info.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok || r.Index >= sig.Results().Len() {
		return poolSource{}, false
	}
	var typ types.Type // (none for a pool the callee drops itself)
	if r.Index >= 0 {
		typ = sig.Results().At(r.Index).Type()
	}
	holds, known := c.HoldsAt(call, r.When)
	if sig.Variadic() && r.When.Param == sig.Params().Len() {
		holds, known = c.optionsBuild(call, r.When, holds, known)
	}
	passed := false
	if !known && !r.When.NonZero {
		fn, _ := flow.EnclosingFunc(cur)
		passed = passedCond(c, fn, call, r.When).Param != 0
	}
	if known && !holds || !known && !r.When.NonZero && !passed {
		// The helper builds no pool for this argument; or builds one
		// only when the caller leaves something out (a nil Transport) and
		// the argument, not a literal, is taken to set it.
		return poolSource{}, false
	}
	var and []flow.Condition // the other tests, passed on as the first may be
	for _, w := range r.And {
		holds, known := c.HoldsAt(call, w)
		if sig.Variadic() && w.Param == sig.Params().Len() {
			holds, known = c.optionsBuild(call, w, holds, known)
		}
		if !known && !w.NonZero {
			fn, _ := flow.EnclosingFunc(cur)
			if passedCond(c, fn, call, w).Param == 0 {
				return poolSource{}, false // nor where it leaves the other out
			}
			passed, and = true, append(and, w)
		}
		if known && !holds {
			return poolSource{}, false
		}
	}
	var at flow.Place
	if r.Path != "" {
		at = strings.Split(r.Path, ".")
	}
	src := poolSource{cur: cur, expr: call, typ: typ, helper: name, result: r.Index, at: at, lazy: r.Lazy,
		noKeepAlive: nethttp.ChainTurnsOffPooling(info, call), passed: passed, closer: r.Closer}
	if !known {
		src.when = r.When
	}
	src.and = and
	return src, true
}

// passedCond is PassedCondRecv, or passedOptions where that finds none:
// w in terms of the parameters (or the receiver) of the function at fn.
func passedCond(c *checker, fn inspector.Cursor, call *ast.CallExpr, w flow.Condition) flow.Condition {
	if cond := c.PassedCondRecv(fn, call, w); cond.Param != 0 {
		return cond
	}
	if decl, ok := fn.Node().(*ast.FuncDecl); ok {
		if f, ok := c.pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
			if lf := c.LocalFunc(f); lf != nil {
				cond, _ := passedOptions(c, lf, call, w)
				return cond
			}
		}
	}
	return flow.Condition{}
}

// keepAlivesOff reports whether the pool of src, as fl follows it, has
// its keep-alives off by a constant (DisableKeepAlives: true in its
// literal, or set to true after) and not turned back on: a Transport
// that keeps no idle connections unless whoever gets it sets
// DisableKeepAlives back to false.
func keepAlivesOff(src poolSource, fl *flow.Flow) bool {
	switch {
	case fl.Flags&poolKeepAliveOn != 0:
		return false // turned back on
	case fl.Flags&poolOff != 0 && fl.Flags&poolKeepAliveOff == 0:
		return false // off by a value not known
	}
	return src.off || fl.Flags&poolKeepAliveOff != 0
}
