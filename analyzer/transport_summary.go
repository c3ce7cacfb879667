package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/edge"
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
	if name, ok := factoryImpl(c, lf); ok {
		f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: flow.KindImpl, Path: name})
	}
	idx := c.pools.poolResult(lf.Sig().Results())
	if idx < 0 {
		idx = c.pools.besideCleanup(lf.Sig().Results())
	}
	if idx < 0 {
		switch {
		case lf.Sig().Results().Len() == 1 && optionFills(c, lf, 0):
			f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindPool}) // each option applied builds one
		case lf.Sig().Results().Len() > 0 && c.pools.builderType(lf.Sig().Results().At(0).Type()) && returnsNew(c, lf, 0):
			// A builder's first step: the fields it leaves zero decide
			// the pool its Build makes.
			f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: flow.KindNew, Zero: zeroFields(c, lf, 0)})
		}
		return // no result can hold a pool
	}
	var out, off *flow.ResultFact
	for cur := range lf.Cur().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.ValueSpec)(nil)) {
		src, ok := poolAt(c, cur)
		cur = src.cur // (a declaration's type, for var t http.Transport)
		if !ok || c.NeverRuns(cur) {
			continue // not a pool, or never built
		}
		var kaOn flow.Condition // the test under which a DisableKeepAlives of a parameter's leaves them on
		if src.noKeepAlive && !src.off {
			if kaOn, ok = keepAliveTest(c, lf, src.lit); !ok {
				continue // one that keeps no idle connections
			}
		}
		if encl, _ := flow.EnclosingFunc(cur); encl.Node() != lf.Node() {
			continue // in a function literal: its returns are its own
		}
		fl := c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, flow.IntoParams|flow.TrustCalls)
		if !fl.Returned || fl.Escapes || fl.Released || fl.IntoRecv || fl.ReturnedIn != idx {
			continue // not handed to the caller (the receiver keeps it)
		}
		var under flow.Condition
		replaced := false
		if len(fl.Replacements) > 0 { // (the returns are read only then)
			under, replaced = replacedBefore(c, fl, cur.Node().Pos(), returnsAfter(lf, cur.Node().Pos(), fl.Uses))
		}
		if replaced && under.Param == 0 {
			continue // given another client before it is used or returned: dropped empty (govultr.NewClient)
		}
		offUnder := false // off by a constant, under a test of the caller's: kaOn is the other way
		if keepAlivesOff(src, fl) {
			if kaOn, offUnder = keepAliveOffUnder(c, lf, fl); !offUnder || src.off {
				// Keep-alives off by a constant: the caller's pool only if
				// it turns them back on (gorequest.New).
				off = &flow.ResultFact{Index: idx, Kind: kindPoolOff, Path: strings.Join(fl.ReturnedAt, ".")}
				continue
			}
		}
		switch {
		case offUnder:
		case fl.Flags&poolOff == poolNoKeepAliveSet && kaOn.Param == 0:
			if kaOn, ok = keepAliveAssigned(c, lf, fl); !ok {
				continue // pooling turned off by a value not known
			}
		case fl.Flags&poolOff != 0:
			continue // not a pool that keeps connections
		}
		if opaqueTest(c, lf, cur) {
			continue // built under a test of the caller's values that no condition can say
		}
		when, outer, ok := c.RecvGuard(lf.Cur(), cur) // a builder's fallback: if b.base == nil; and the test around it
		t := &poolTests{when: when}
		t.add(outer)
		if src.when.Param != 0 {
			t.add(passedCond(c, lf.Cur(), cur.Node().(*ast.CallExpr), src.when)) // if opts == nil { return }; privateNew(opts): both
			ok = true
		}
		for _, w := range src.and { // the helper's other tests, passed on too: return NewClient(b.cfg)
			t.add(passedCond(c, lf.Cur(), cur.Node().(*ast.CallExpr), w))
		}
		if !ok {
			var w, also flow.Condition
			w, also, ok = optionGuard(c, lf, cur)
			t.add(w)
			t.add(also)
		}
		if !ok {
			var w flow.Condition
			w, ok = defaultCond(c, lf, cur, src)
			t.add(w)
			if ok && w.Field != "" {
				only, _ := usedOnlyWhen(c, lf, lf.Sig().Params().At(w.Param-1), w.Field)
				t.add(only)
			}
		}
		if !ok {
			t.add(optionsMayReplace(c, lf, fl))
		}
		if replaced {
			t.add(under.Not()) // kept only where the parameter it is replaced with is nil
		}
		t.add(kaOn)
		if t.many {
			continue // too many tests to say
		}
		closer := fl.CloserIn
		if src.closer != 0 {
			if closer, ok = cleanupReturned(c, src, lf); !ok {
				continue // its cleanup called here, or handed on
			}
		}
		r := flow.ResultFact{Index: idx, Kind: kindPool, Path: strings.Join(fl.ReturnedAt, "."), When: t.when, And: t.and, Lazy: src.lazy && !filled(fl), Closer: closer}
		if out == nil {
			out = &r
		} else {
			out.When, out.And = eitherCond(*out, r)
			out.Lazy = out.Lazy && r.Lazy
		}
		if out.When.Param == 0 && !out.Lazy {
			break // built always: nothing more to learn
		}
	}
	switch {
	case out != nil:
		f.Results = append(f.Results, *out)
	case off != nil:
		f.Results = append(f.Results, *off)
	case returnsNew(c, lf, idx):
		// No pool yet, but a holder of the caller's own, which a pool
		// stored into it stays in (httputil.NewSingleHostReverseProxy).
		f.Results = append(f.Results, flow.ResultFact{Index: idx, Kind: flow.KindNew, Zero: zeroFields(c, lf, idx)})
	}
}

// eitherCond returns the tests (when, and) under which a pool is built
// where a builds one under its tests and b under its own: always, unless
// flow.Condition.Or can join them, also where one path tests that a
// parameter is nil and the other that it is not (a and b), then b:
//
//	if hc != nil {
//		c = resty.NewWithClient(hc) // when(p0),and(!p0.Transport)
//	} else {
//		c = resty.New() // when(!p0)
//	}                   // both: when(!p0.Transport)
func eitherCond(a, b flow.ResultFact) (when flow.Condition, and []flow.Condition) {
	if len(a.And) > 0 {
		a, b = b, a
	}
	if len(b.And) > 0 && len(a.And) == 0 && a.When.Param != 0 && b.When == a.When.Not() {
		b.When, b.And = b.And[0], b.And[1:] // not a, or a and b: not a, or b
	}
	if when, ok := a.When.Or(b.When); ok && slices.Equal(a.And, b.And) {
		return when, a.And
	}
	return flow.Condition{}, nil
}

// maxPoolTests bounds the tests a pool's summary says (flow.ResultFact:
// When, and the others in And): options that may give a client, or a
// transport, or turn keep-alives off, are three.
const maxPoolTests = 4

// poolTests gathers the tests of the caller's values under which a
// function builds the pool it returns.
type poolTests struct {
	when flow.Condition
	and  []flow.Condition
	many bool // more than maxPoolTests: too many to say
}

// add adds w (if any) to the tests that must hold.
func (t *poolTests) add(w flow.Condition) {
	switch {
	case w.Param == 0 || w == t.when || slices.Contains(t.and, w):
	case t.when.Param == 0:
		t.when = w
	case len(t.and)+1 < maxPoolTests:
		t.and = append(t.and, w)
	default:
		t.many = true
	}
}

// factoryImpl returns the one type of its package (see flow.KindImpl)
// that lf returns as its first result, an interface one of whose methods
// can hand back a pool: the accessor of a factory.
//
//	func defaultFactory() Factory { return cloner{} }
func factoryImpl(c *checker, lf *flow.Func) (string, bool) {
	results := lf.Sig().Results()
	if results.Len() == 0 {
		return "", false
	}
	t := results.At(0).Type()
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || flow.IsErrorType(t) {
		return "", false // (func f() error: the commonest interface result, on every package's path)
	}
	for m := range iface.Methods() {
		if c.pools.poolResult(m.Signature().Results()) >= 0 {
			return flow.ImplResult(c.pass.TypesInfo, lf, 0)
		}
	}
	return "", false
}

// returnsNew reports whether lf returns, as its result idx, a new value
// of its own (a pointer to a struct it builds, flow.Engine.IsNew, or to
// a struct variable of its own; or a struct it builds, returned by
// value: a builder's first step, Builder{baseURL: u}) that it keeps
// nowhere else, on every return that does not return nil:
//
//	func NewSingleHostReverseProxy(target *url.URL) *ReverseProxy {
//		...
//		return &ReverseProxy{Director: director}
//
//	func NewClient(token string) *Client {
//		client := Client{token: token}
//		...
//		return &client
func returnsNew(c *checker, lf *flow.Func, idx int) bool {
	results := lf.Sig().Results()
	if t := results.At(idx).Type(); !flow.IsPointerType(t) && !flow.IsStructType(t) {
		return false
	}
	info := c.pass.TypesInfo
	found := false
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) != results.Len() {
			return false // a naked return, or return f(): not followed
		}
		e := ret.Results[idx]
		v := flow.VarOf(info, e)
		switch {
		case flow.IsNil(info, e):
			continue
		case c.IsNew(e, 0):
			found = true
			continue
		case v == nil:
			if v = addrOfLocal(info, lf, e); v == nil {
				return false
			}
			if _, _, ok := c.LocalOrigin(lf.Cur(), v); !ok {
				return false // given another value: maybe a copy of one kept elsewhere
			}
		default:
			init, result, ok := c.LocalOrigin(lf.Cur(), v)
			if !ok || init == nil || !c.IsNew(init, result) {
				return false
			}
		}
		if fl := c.FollowVar(c.pools.spec, lf.Cur(), v, nil, flow.TrustCalls); fl.Escapes || fl.ReturnedTwice {
			return false // kept elsewhere too
		}
		found = true
	}
	return found
}

// addrOfLocal returns v when e takes the address of v, a struct variable
// declared in the body of lf: a value of lf's own, each time it runs.
func addrOfLocal(info *types.Info, lf *flow.Func, e ast.Expr) *types.Var {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return nil
	}
	v := flow.VarOf(info, u.X)
	if v == nil || !flow.IsStructType(v.Type()) || !flow.PosIn(v.Pos(), lf.Body()) {
		return nil
	}
	return v
}

// summarizePoolParams records in f what lf does with the pool that its
// receiver or a parameter may hold (a Client, a Transport, or a holder
// of one such as an SDK's client): sends requests through it (uses),
// hands it back in a result (returns: a builder's method, a wrapping
// constructor), closes its idle connections, keeps it in something that
// outlives the call, or only reads it. Code it cannot see into (func
// values, interface methods) is trusted not to keep it.
func summarizePoolParams(c *checker, lf *flow.Func, f *flow.Fact) {
	sig := lf.Sig()
	vars := []*types.Var{sig.Recv()}
	for p := range sig.Params().Variables() {
		vars = append(vars, p)
	}
	for i, v := range vars {
		if v == nil || v.Name() == "" || v.Name() == "_" {
			continue
		}
		if c.pools.isOption(v.Type()) {
			if pf, ok := optionEffect(c, lf, v); ok {
				pf.Index = i - 1
				f.Params = append(f.Params, pf)
				continue
			}
			if _, ok := optionElem(v.Type()).Underlying().(*types.Interface); ok && !forwardedWhole(c, lf, v) {
				continue // option values not applied here: left unknown (their types are many)
			}
		} else if !c.pools.holdsPool(v.Type()) && (i > 0 || !c.pools.builderType(v.Type())) || sig.Variadic() && i == len(vars)-1 {
			continue // it cannot carry a pool (nor is it a builder's receiver, whose fields decide one); or a variadic parameter, left unknown
		}
		fl := c.FollowVar(c.pools.spec, lf.Cur(), v, nil, flow.IntoParams|flow.TrustCalls)
		pf := flow.ParamFact{Index: i - 1, Kind: kindPool}
		if len(fl.Uses) > 0 && !closesRequests(c, lf.Cur(), fl) {
			pf.Effect |= flow.Uses // (a request that asks for its connection to be closed leaves none idle)
		}
		if filled(fl) || i == 0 && fillsReceiver(c, lf) {
			pf.Effect |= flow.Fills
		} else if i > 0 && !fl.Returned && !fl.Escapes && !fl.IntoParam {
			// (A client it hands back, or keeps, goes with the pool: the
			// result's summary, or the hand-off, says what comes of it.)
			if when, ok := fillsParam(c, lf, v); ok {
				pf.Effect |= flow.Fills
				pf.When = when
			}
		}
		if pf.Effect&flow.Fills == 0 && replacedBeforeUse(c, fl, token.NoPos) {
			pf.Effect &^= flow.Uses // it sends only through a copy given another pool first
		}
		holder, others := holderParam(lf, fl, v)
		into := others == 1
		switch {
		case fl.Escapes:
			pf.Effect = flow.Keeps
		case fl.IntoParam && !fl.Returned && into:
			pf.Effect |= flow.Into // a setter: stored into what another parameter holds
			pf.Holder = holder
		case fl.IntoParam && !fl.Returned && others > 1:
			pf.Effect = flow.Keeps // kept in what other parameters hold
		case fl.Released, fl.Flags&poolKeepAliveOff != 0 && fl.Flags&poolKeepAliveOn == 0:
			// Closed, or its keep-alives turned off for good: it keeps no
			// idle connection (func noKeepAlive(t *http.Transport) { t.DisableKeepAlives = true }).
			pf.Effect |= flow.Releases
		case fl.Returned && copiedAndReplaced(c, lf, fl, v):
			pf.Effect |= flow.Borrows // a copy returned with the pool replaced: func (c Call) WithClient(hc) Call
		case fl.Returned:
			pf.Effect |= flow.Returns
			pf.Result, pf.Path = fl.ReturnedIn, strings.Join(fl.ReturnedAt, ".")
			if fl.IntoParam && into && !fl.ReturnedTwice && flow.IsPointerType(holderVar(lf, holder).Type()) {
				// A fluent setter (b.hc = hc; return b): what it
				// returns, the holder holds too, for a caller that
				// drops the result.
				pf.Effect |= flow.Into
				pf.Holder = holder
			}
		case pf.Effect == 0:
			pf.Effect = flow.Borrows
		}
		if pf.Effect&flow.Fills == 0 {
			pf.Sets, pf.SetsWhen = setsField(c, lf, v) // (a method that fills it sets a pool of its own)
		}
		if i > 0 && !fl.Escapes {
			pf.Default, pf.DefaultWhen, _ = overridden(c, lf, v)
		}
		if i == 0 {
			pf.Writes = recvWrites(c, lf, v)
		}
		f.Params = append(f.Params, pf)
	}
}

// fieldPath returns the fields that e selects from v (v.a.b: "a.b"),
// and whether e is such a selection (or v itself: "").
func fieldPath(info *types.Info, e ast.Expr, v *types.Var) (string, bool) {
	var fields []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if s, ok := info.Selections[x]; !ok || s.Kind() != types.FieldVal {
				return "", false
			}
			fields = append(fields, x.Sel.Name)
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.Ident:
			if info.Uses[x] != v {
				return "", false
			}
			slices.Reverse(fields)
			return strings.Join(fields, "."), true
		}
		return "", false
	}
}

// fieldsOf returns the fields of v that n mentions ("" for v itself).
func fieldsOf(info *types.Info, n ast.Node, v *types.Var) []string {
	var out []string
	ast.Inspect(n, func(x ast.Node) bool {
		e, ok := x.(ast.Expr)
		if !ok {
			return true
		}
		if path, ok := fieldPath(info, e, v); ok {
			out = append(out, path)
			return false
		}
		return true
	})
	return out
}

// fillsReceiver reports whether the method lf builds a pool that keeps
// idle connections and keeps it in its receiver, as a holder that builds
// its pool on first use does:
//
//	func (c *Client) init() { c.hc = &http.Client{Transport: &http.Transport{}} }
//	func (c *Client) Do(req *http.Request) (*http.Response, error) {
//		c.once.Do(c.init)
func fillsReceiver(c *checker, lf *flow.Func) bool {
	for cur := range lf.Cur().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.ValueSpec)(nil)) {
		src, ok := poolAt(c, cur)
		cur = src.cur // (a declaration's type, for var t http.Transport)
		if !ok || src.noKeepAlive || src.lazy || src.passed {
			continue
		}
		fl := c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, flow.IntoParams|flow.TrustCalls)
		if fl.IntoRecv && !fl.Escapes && !fl.Released && fl.Flags&poolOff == 0 {
			return true
		}
	}
	return false
}

// holderParam returns the index of the parameter (-1: the receiver) of
// lf, other than v, that the flow fl of v went into, if it went into one
// and only one, and how many it went into (none: v went only into what
// v itself holds, s.Client.Transport = s.Transport, which keeps nothing).
func holderParam(lf *flow.Func, fl *flow.Flow, v *types.Var) (int, int) {
	holder, n := 0, 0
	for _, w := range fl.Vars {
		if w == v {
			continue
		}
		if i := flow.ParamIndex(lf.Node(), w); i >= 0 {
			holder, n = i, n+1
		} else if recv := lf.Sig().Recv(); recv != nil && w == recv {
			holder, n = -1, n+1
		}
	}
	return holder, n
}

// holderVar returns lf's parameter i (-1: its receiver).
func holderVar(lf *flow.Func, i int) *types.Var {
	if i < 0 {
		return lf.Sig().Recv()
	}
	return lf.Sig().Params().At(i)
}

// forwardedWhole reports whether lf moves its parameter v, a slice of
// options, only as a whole: handed on to calls (f(x, opts...), append),
// stored (r.Opts = opts, Client{Options: opts}) or given another value;
// never ranged over, indexed or called here. The callees' summaries and the stores
// then say what lf does with it (clients that keep their options and
// apply them to each request).
func forwardedWhole(c *checker, lf *flow.Func, v *types.Var) bool {
	for _, use := range c.UsesOf(lf.Cur(), v) {
		switch kind, _ := use.ParentEdge(); kind {
		case edge.AssignStmt_Lhs, edge.AssignStmt_Rhs, edge.KeyValueExpr_Value:
			continue
		case edge.CallExpr_Args:
			call := use.Parent().Node().(*ast.CallExpr)
			if call.Ellipsis.IsValid() && call.Args[len(call.Args)-1] == use.Node() {
				continue
			}
		}
		return false
	}
	return true
}
