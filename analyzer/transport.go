package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the transport check: an http.Transport (or a Client
// with its own new Transport, or a value from a helper that builds one)
// made by a function that runs repeatedly, used, and dropped. Each call
// leaves a pool whose idle keep-alive connections stay open forever:
// nobody uses that pool again, and IdleConnTimeout is 0 in a literal.
//
//	func DoRequest(URL string) (xx, error) {
//		transport := http.Transport{Dial: dialTimeout}
//		client := http.Client{Transport: &transport}
//		resp, err := client.Post(URL, ...)
//
// The engine follows each construction through the local variables and
// holders it is stored in (follow, under poolSpec); this file then asks
// whether the function runs repeatedly (transport_repeat.go). Anything
// the engine cannot follow counts as handing the pool on, and silences
// the check. The suggested fix is in transport_fix.go.

// poolSpec is the transport check's resource: a connection pool that
// keeps idle connections.
type poolSpec struct{}

func (poolSpec) kind() resourceKind { return kindPool }

// What poolSpec notes of a pool, in flow.flags.
const (
	poolMutated     uint8 = 1 << iota // its fields are set or read after it is built, or a protocol registered: sharing it would be unsafe
	poolNoKeepAlive                   // DisableKeepAlives is set to true (or a value we cannot read), or MaxIdleConnsPerHost < 0
	poolWrapped                       // it went into a round tripper that has no CloseIdleConnections: a client's CloseIdleConnections does not reach it
	poolFilled                        // a method that builds the pool of a holder on first use was called on it
)

// selector says what x.sel does to the pool in x:
//
//	client.Do(req)                  a request
//	defer tr.CloseIdleConnections() a release
//	tr.DisableKeepAlives = true     pooling off
//	client.Transport                handed out: escapes
//	api.hc.Do(req)                  a field of a holder that holds it: climb on
//	api.get(path)                   what the method's summary says of its receiver
func (poolSpec) selector(c *checker, stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p place) step {
	info := c.pass.TypesInfo
	call, called := calledAt(stack, i)
	switch selection.Kind() {
	case types.MethodVal:
		fn := selection.Obj().(*types.Func)
		if called && !c.inSDK && isSDKClientPkg(fn.Pkg()) {
			return stop(useUse) // a service client's method: a request
		}
		if !called {
			if !runByOnce(info, stack, i) {
				break // a method value keeps the receiver
			}
			call = stack[i-1].(*ast.CallExpr) // once.Do(c.init): run in place
		}
		switch {
		case fn.Name() == "CloseIdleConnections", isMethod(fn, http3Pkg, "Transport", "Close"):
			return stop(useRelease)
		case isRequestMethod(fn):
			return stop(useUse)
		case isMethod(fn, "net/http", "Transport", "Clone", "CancelRequest"):
			return stop(useRead) // neither keeps nor shares the pool
		case isMethod(fn, "net/http", "Transport", "RegisterProtocol"):
			return step{kind: useRead, flags: poolMutated}
		case fn.Pkg() != nil && fn.Pkg().Path() == "net/http":
			return stop(useEscape)
		}
		pf := c.summary(fn).param(-1, kindPool)
		st := c.effectAt(poolSpec{}, call, pf)
		if isRestyCloseConnection(info, call, fn) || optionTurnsOffPooling(info, call) {
			st.flags |= poolNoKeepAlive
		}
		if pf.Effect&effFills != 0 {
			st.flags |= poolFilled
		}
		return st
	case types.FieldVal:
		var as *ast.AssignStmt
		k := -1
		if i >= 1 {
			as, _ = stack[i-1].(*ast.AssignStmt)
		}
		if as != nil {
			k = slices.Index(as.Lhs, ast.Expr(sel))
		}
		recv := info.TypeOf(sel.X)
		switch {
		case !c.inSDK && k < 0 && isSDKClientPkg(selection.Obj().Pkg()):
			return step{climb: true, at: p} // svc.Files.List().Do(): on to a method
		case isNamed(recv, "net/http", "Transport"):
			st := step{kind: useRead, flags: poolMutated}
			if k >= 0 && len(as.Lhs) == len(as.Rhs) && turnsOffPooling(info, sel.Sel.Name, as.Rhs[k]) {
				st.flags |= poolNoKeepAlive
			}
			return st
		case isHTTPClient(recv):
			if sel.Sel.Name != "Transport" || k >= 0 {
				return stop(useRead) // Timeout, Jar, ...: they do not touch the pool; setting Transport replaces it
			}
			if len(p) > 0 && p[0] == "Transport" {
				return step{climb: true, at: p[1:]} // the pool itself
			}
			return step{climb: true}
		case len(p) > 0 && p[0] != sel.Sel.Name, !c.holdsPool(selection.Obj().Type()):
			return stop(useRead) // another field of the holder
		case len(p) > 0:
			return step{climb: true, at: p[1:]}
		default:
			return step{climb: true}
		}
	}
	return stop(useEscape) // a method value, client.Transport
}

// runByOnce reports whether the method value at stack[i] is handed to
// sync.Once's Do, which runs it before returning.
func runByOnce(info *types.Info, stack []ast.Node, i int) bool {
	if i < 1 {
		return false
	}
	call, ok := stack[i-1].(*ast.CallExpr)
	return ok && len(call.Args) == 1 && call.Args[0] == stack[i] && isMethod(calleeFunc(info, call), "sync", "Once", "Do")
}

// literal lets a Client hold a pool in its Transport field, and any
// other struct hold it in any field (then only returning the struct is
// followed: its fields and methods are not).
func (poolSpec) literal(c *checker, t types.Type, kv *ast.KeyValueExpr, field *types.Var) useKind {
	if isHTTPClient(t) {
		if field != nil && field.Name() == "Transport" {
			return useHold
		}
		return useEscape
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if isStructType(t) {
		return useHold
	}
	return useEscape
}

func (poolSpec) canCarry(types.Type) bool { return true }

func (poolSpec) nothingToRelease(*checker, *ast.BinaryExpr, *types.Var) bool { return false }

// holderFlags notes a round tripper that wraps the pool and does not
// pass CloseIdleConnections on: http.Client.CloseIdleConnections calls
// its transport's only if it has one, so the pool behind such a wrapper
// (a logging round tripper, otelhttp's, oauth2's) is not closed.
func (poolSpec) holderFlags(c *checker, t types.Type) uint8 {
	if t == nil || isPoolType(t) || !hasMethod(t, "RoundTrip") || hasMethod(t, "CloseIdleConnections") {
		return 0
	}
	return poolWrapped
}

// hasMethod reports whether values of type t (or pointers to them) have
// a method named name.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// holdsPool reports whether a value of type t can be or hold a
// connection pool (see canHoldPool), remembered per pass.
func (c *checker) holdsPool(t types.Type) bool {
	held, ok := c.poolTypes[t]
	if !ok {
		held = canHoldPool(t, holdsPoolDepth)
		c.poolTypes[t] = held
	}
	return held
}

// poolResult returns the index of the only result in results that can
// hold a connection pool, or -1.
func (c *checker) poolResult(results *types.Tuple) int {
	idx := -1
	for i := range results.Len() {
		if c.holdsPool(results.At(i).Type()) {
			if idx >= 0 {
				return -1 // two candidates: we cannot tell which one
			}
			idx = i
		}
	}
	return idx
}

// A poolSource is an expression that builds a new connection pool.
type poolSource struct {
	cur    inspector.Cursor
	expr   ast.Expr          // the construction
	typ    types.Type        // the type of the pool it builds
	lit    *ast.CompositeLit // the http.Transport literal, if expr is one
	what   string            // how messages name a construction: "new http.Transport"
	helper string            // or the name of the helper function called
	result int               // the result of the call that holds the pool, if a helper's
	at     place             // where the pool sits in it
	when   condition         // the helper builds the pool only then, and the argument does not tell
	// noKeepAlive: the pool keeps no idle connections, or may not
	// (DisableKeepAlives set to true or to a value we cannot read,
	// MaxIdleConnsPerHost < 0).
	noKeepAlive bool
	// sdk: a cloud SDK's service client, with a pool of its own (see
	// sdkPool); each of its methods sends requests.
	sdk bool
	// lazy: a holder that builds its pool on first use (see lazyPool):
	// there is a pool only once one of its filling methods is called.
	lazy bool
}

// poolAt reports whether the node at cur builds a new connection pool:
//
//	http.Transport{...}      (also under &)
//	new(http.Transport)
//	t.Clone()                (t an *http.Transport)
//	newClient(...)           (a function whose summary returns a fresh pool)
func poolAt(c *checker, cur inspector.Cursor) (poolSource, bool) {
	switch n := cur.Node().(type) {
	case *ast.CompositeLit:
		return poolLit(c, cur)
	case *ast.CallExpr:
		return poolCall(c, cur, calleeFunc(c.pass.TypesInfo, n))
	}
	return poolSource{}, false
}

// poolLit is poolAt for a composite literal.
func poolLit(c *checker, cur inspector.Cursor) (poolSource, bool) {
	info := c.pass.TypesInfo
	lit := cur.Node().(*ast.CompositeLit)
	if t := info.TypeOf(lit); isOtherTransport(t) && !isPointerType(t) {
		return poolSource{cur: cur, expr: lit, typ: t, lit: lit, what: "new " + types.TypeString(t, pkgName), result: -1}, true
	}
	if !isTransportValue(info.TypeOf(lit)) {
		if name, ok := c.lazyPool(info.TypeOf(lit)); ok && !setsPoolField(c, lit) {
			return poolSource{cur: cur, expr: lit, typ: info.TypeOf(lit), what: "new " + name, result: -1, lazy: true}, true
		}
		return poolSource{}, false
	}
	return poolSource{cur: cur, expr: lit, typ: info.TypeOf(lit), lit: lit, what: "new http.Transport", result: -1,
		noKeepAlive: litTurnsOffPooling(info, lit)}, true
}

// poolCall is poolAt for a call of fn (nil if not a function).
func poolCall(c *checker, cur inspector.Cursor, fn *types.Func) (poolSource, bool) {
	info := c.pass.TypesInfo
	call := cur.Node().(*ast.CallExpr)
	if isNewOf(info, call, isTransportValue) {
		return poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "new http.Transport", result: -1}, true
	}
	if isNewOf(info, call, func(t types.Type) bool { _, ok := c.lazyPool(t); return ok }) {
		name, _ := c.lazyPool(info.TypeOf(call))
		return poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "new " + name, result: -1, lazy: true}, true
	}
	if fn == nil {
		return poolSource{}, false
	}
	if isClone(fn) {
		return poolSource{cur: cur, expr: call, typ: info.TypeOf(call), what: "cloned http.Transport", result: -1}, true
	}
	if !c.inSDK {
		if fresh, matched := sdkPool(c, call, fn); matched {
			if !fresh {
				return poolSource{}, false // the client shares a pool, or we cannot tell
			}
			return poolSource{cur: cur, expr: call, typ: fn.Signature().Results().At(0).Type(), helper: fn.Pkg().Name() + "." + fn.Name(), sdk: true}, true
		}
	}
	r := c.summary(fn).result(kindPool)
	if r == nil {
		return poolSource{}, false
	}
	holds, known := c.holdsAt(call, r.When)
	if known && !holds || !known && !r.When.NonZero {
		// The helper builds no pool for this argument; or builds one
		// only when the caller leaves something out (a nil Transport) and
		// the argument, not a literal, is taken to set it.
		return poolSource{}, false
	}
	var at place
	if r.Path != "" {
		at = strings.Split(r.Path, ".")
	}
	src := poolSource{cur: cur, expr: call, typ: fn.Signature().Results().At(r.Index).Type(), helper: fn.Name(), result: r.Index, at: at, lazy: r.Lazy,
		noKeepAlive: chainTurnsOffPooling(info, call)}
	if !known {
		src.when = r.When
	}
	return src, true
}

// checkTransport reports connection pools built by a function that runs
// repeatedly, used there, and dropped.
func checkTransport(c *checker, pools []poolSource) {
	t := &poolCheck{c: c, repeated: make(map[ast.Node]string), fix: &hoister{c: c, hoisted: make(map[string]bool)}}
	for _, src := range pools {
		fn, ok := enclosingFunc(src.cur)
		if !ok {
			continue // package-level variable: built once
		}
		fl := c.follow(poolSpec{}, fn, src.cur, src.result, src.at, 0)
		switch {
		case fl.escapes || fl.returned:
			continue // handed on: whoever holds it owns it
		case closesPool(c, fl) || fl.flags&poolNoKeepAlive != 0:
			continue // its idle connections are closed, or never kept
		case len(fl.uses) == 0, src.lazy && fl.flags&poolFilled == 0:
			continue // never used (or never built): it holds no connections
		case closesRequests(c, fn):
			continue // req.Close = true: each connection is closed after its request
		case servesEndlessLoop(c, src.cur, fl):
			continue // a worker: the pool lives as long as its loop, as long as the process
		case isTestFile(c.pass.Fset, src.expr.Pos()) && allExpectedToFail(c, fl):
			continue // a test whose requests through it are all expected to fail
		}
		why := t.repeatedAt(src.cur, fl.vars)
		if why == "" {
			continue // runs once (main, init, a test) or we cannot tell
		}
		t.report(src, fl, why)
	}
}

// A poolCheck holds the memos of one pass of the transport check.
type poolCheck struct {
	c        *checker
	repeated map[ast.Node]string                // why a function runs repeatedly ("" if not); see repeatedFunc
	callers  map[*types.Func][]inspector.Cursor // calls of this package's functions, built on demand
	fix      *hoister
}

// closesPool reports whether some CloseIdleConnections call of fl
// reaches the pool: one on the transport itself or on a holder of the
// user's, or one on an http.Client whose pool is not behind a wrapper
// that drops the call.
func closesPool(c *checker, fl *flow) bool {
	for _, r := range fl.releases {
		if !closesThroughClient(c, r) || fl.flags&poolWrapped == 0 {
			return true
		}
	}
	return false
}

// closesThroughClient reports whether n is x.CloseIdleConnections() on
// an http.Client x.
func closesThroughClient(c *checker, n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && isHTTPClient(c.pass.TypesInfo.TypeOf(sel.X))
}

// report emits the diagnostic for the pool built at src.
func (t *poolCheck) report(src poolSource, fl *flow, why string) {
	subject, closer := src.what, "call CloseIdleConnections on it when done"
	if src.helper != "" {
		subject = "connection pool"
	}
	if len(fl.vars) > 0 {
		v := fl.vars[0] // the first variable it is stored in
		switch {
		case isHTTPClient(v.Type()) && !isHTTPClient(src.typ):
			subject += " of client " + v.Name() // a transport, inside a client
		case src.helper == "" && !isPoolType(v.Type()):
			subject += " held by " + v.Name() // inside a struct of the user's
		default:
			subject += " " + v.Name()
		}
		switch {
		case hasMethod(v.Type(), "CloseIdleConnections"):
			closer = "defer " + v.Name() + ".CloseIdleConnections()"
		case isPoolType(v.Type()):
			closer = "keep the *http.Transport to call CloseIdleConnections on when done (" + v.Name() + ", an interface, has no such method)"
		}
		if fl.flags&poolWrapped != 0 && isHTTPClient(v.Type()) {
			closer = "close the transport itself (" + v.Name() + ".CloseIdleConnections() does not reach it: the wrapper around it has no CloseIdleConnections)"
		}
	}
	if src.helper != "" {
		subject += " from " + src.helper + "()"
	}
	each := "call"
	switch {
	case why == "in a loop":
		each = "iteration"
	case strings.HasPrefix(why, "on every request"):
		each = "request"
	}
	d := analysis.Diagnostic{
		Pos:      src.expr.Pos(),
		End:      src.expr.End(),
		Category: nameTransport,
		Message: fmt.Sprintf("%s is built %s and dropped after use, so each %s leaves a new pool of idle keep-alive connections open; "+
			"reuse one long-lived client/transport, or set DisableKeepAlives: true for short connections, or %s", subject, why, each, closer),
	}
	if src.sdk {
		d.Message = fmt.Sprintf("%s is built %s and dropped after use, so each %s leaves a new pool of idle keep-alive connections open "+
			"(the SDK gives each client a pool of its own); build the client once, at startup or in a sync.Once, and reuse it", subject, why, each)
	}
	for _, r := range fl.uses {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), End: r.End(), Message: "request sent through the per-call pool"})
	}
	for _, r := range fl.releases {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), End: r.End(),
			Message: "this CloseIdleConnections does not reach the pool: the client's transport wraps it and has no CloseIdleConnections"})
	}
	if fix, ok := t.fix.hoistFix(src, fl); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	t.c.report(d)
}

// servesEndlessLoop reports whether a request through the pool built at
// cur is sent from a worker loop that does not build it: a loop that
// runs until the process (or its context) ends, whose pool is as
// long-lived as a shared one. A worker loop ranges over a channel, or
// is endless and waits for work (see waitsForWork); an endless loop that
// only retries does not count.
//
//	c := &http.Client{Transport: &http.Transport{...}}
//	for {
//		select {
//		case <-ticker.C:
//			resp, err := c.Get(url)
func servesEndlessLoop(c *checker, cur inspector.Cursor, fl *flow) bool {
	info := c.pass.TypesInfo
	for _, r := range fl.uses {
		rc, ok := fl.fn.FindNode(r)
		if !ok {
			continue
		}
		for loop := range rc.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil)) {
			if _, ok := loop.Node().(*ast.FuncLit); ok || loop.Contains(cur) {
				break // out of the function, or a loop that builds the pool too
			}
			switch l := loop.Node().(type) {
			case *ast.ForStmt:
				if l.Cond == nil && waitsForWork(info, loop) {
					return true
				}
			case *ast.RangeStmt:
				if _, ok := info.TypeOf(l.X).Underlying().(*types.Chan); ok {
					return true
				}
			}
		}
	}
	return false
}

// allExpectedToFail reports whether every request through the pool of fl
// is a call whose error the code right after examines as a failure the
// test expects (see examinesFailure).
func allExpectedToFail(c *checker, fl *flow) bool {
	info := c.pass.TypesInfo
	for _, r := range fl.uses {
		call, ok := r.(*ast.CallExpr)
		if !ok {
			return false
		}
		cur, ok := fl.fn.FindNode(call)
		if !ok {
			return false
		}
		stmt := outerParens(cur).Parent()
		var errLHS ast.Expr
		switch p := stmt.Node().(type) {
		case *ast.AssignStmt:
			_, errLHS = pickLHS(p.Lhs, p.Rhs, call, resultTypes(info, call, calleeFunc(info, call)), 0)
		case *ast.ValueSpec:
			_, errLHS = pickLHS(specLHS(p), p.Values, call, resultTypes(info, call, calleeFunc(info, call)), 0)
		}
		if errLHS == nil || !examinesFailure(c, stmt, errLHS) {
			return false
		}
	}
	return true
}

// waitsForWork reports whether the loop at cur receives from a channel
// of work: a ticker, a queue; not a one-shot timer (time.After, a
// Timer's C) nor a context's Done, which retry loops wait on.
func waitsForWork(info *types.Info, loop inspector.Cursor) bool {
	for cur := range loop.Preorder((*ast.UnaryExpr)(nil)) {
		u := cur.Node().(*ast.UnaryExpr)
		if u.Op != token.ARROW {
			continue // not a receive
		}
		switch x := ast.Unparen(u.X).(type) {
		case *ast.CallExpr:
			if fn := calleeFunc(info, x); isFunc(fn, "time", "After") || fn != nil && fn.Name() == "Done" {
				continue // a one-shot timer, or a context's end
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "C" && isPointerTo(info.TypeOf(x.X), "time", "Timer") {
				continue // a one-shot timer
			}
		}
		return true
	}
	return false
}

// closesRequests reports whether the function at fn sets Close on a
// request, asking the transport to close the connection after it:
//
//	req.Close = true
func closesRequests(c *checker, fn inspector.Cursor) bool {
	info := c.pass.TypesInfo
	for cur := range fn.Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		if len(as.Lhs) != len(as.Rhs) {
			continue // a call with several results: not a constant true
		}
		for i, lhs := range as.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Close" || !isNamed(info.TypeOf(sel.X), "net/http", "Request") {
				continue // not req.Close
			}
			if v := info.Types[as.Rhs[i]].Value; v != nil && constant.BoolVal(v) {
				return true
			}
		}
	}
	return false
}

// summarizePool records in f the result of lf that hands the caller a
// fresh connection pool it owns: a Transport, a Client with its own
// Transport, or a struct holding one, with keep-alives on and not
// closed; and, if lf builds it only under a test of a parameter (an
// option), that condition.
func summarizePool(c *checker, lf *localFunc, f *funcFact) {
	idx := c.poolResult(lf.fn.Signature().Results())
	if idx < 0 {
		return // no result can hold a pool
	}
	var out *resultFact
	for cur := range lf.cur.Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := poolAt(c, cur)
		if !ok || src.noKeepAlive {
			continue // not a pool, or one that keeps no idle connections
		}
		if encl, _ := enclosingFunc(cur); encl.Node() != lf.decl {
			continue // in a function literal: its returns are its own
		}
		fl := c.follow(poolSpec{}, lf.cur, cur, src.result, src.at, intoParams|trustCalls)
		if !fl.returned || fl.escapes || fl.released || fl.intoRecv || fl.flags&poolNoKeepAlive != 0 {
			continue // not handed to the caller (the receiver keeps it), or not a pool that keeps connections
		}
		when, ok := c.guard(lf.cur, cur)
		if !ok && src.when.Param != 0 {
			when, ok = c.passedCond(lf.cur, cur.Node().(*ast.CallExpr), src.when), true
		}
		if !ok {
			when = optionsMayReplace(c, lf, fl)
		}
		r := resultFact{Index: idx, Kind: kindPool, Path: strings.Join(fl.returnedAt, "."), When: when, Lazy: src.lazy && fl.flags&poolFilled == 0}
		if out == nil {
			out = &r
		} else {
			if out.When != r.When {
				out.When = condition{} // built under different conditions: say always
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
func summarizePoolParams(c *checker, lf *localFunc, f *funcFact) {
	sig := lf.fn.Signature()
	vars := []*types.Var{sig.Recv()}
	for p := range sig.Params().Variables() {
		vars = append(vars, p)
	}
	for i, v := range vars {
		if v == nil || v.Name() == "" || v.Name() == "_" || !c.holdsPool(v.Type()) {
			continue
		}
		if sig.Variadic() && i == len(vars)-1 {
			continue // a variadic parameter: left unknown
		}
		fl := c.followVar(poolSpec{}, lf.cur, v, nil, intoParams|trustCalls)
		pf := paramFact{Index: i - 1, Kind: kindPool}
		if len(fl.uses) > 0 {
			pf.Effect |= effUses
		}
		if fl.flags&poolFilled != 0 || i == 0 && fillsReceiver(c, lf) {
			pf.Effect |= effFills
		}
		switch {
		case fl.escapes, fl.intoParam && !fl.returned:
			pf.Effect = effKeeps // kept, maybe in what another parameter holds
		case fl.released:
			pf.Effect |= effReleases
		case fl.returned:
			pf.Effect |= effReturns
			pf.Result, pf.Path = fl.returnedIn, strings.Join(fl.returnedAt, ".")
		case pf.Effect == 0:
			pf.Effect = effBorrows
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
func fillsReceiver(c *checker, lf *localFunc) bool {
	for cur := range lf.cur.Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := poolAt(c, cur)
		if !ok || src.noKeepAlive || src.lazy {
			continue
		}
		fl := c.follow(poolSpec{}, lf.cur, cur, src.result, src.at, intoParams|trustCalls)
		if fl.intoRecv && !fl.escapes && !fl.released && fl.flags&poolNoKeepAlive == 0 {
			return true
		}
	}
	return false
}

// lazyPool reports whether values of type t (a named struct, or a
// pointer to one) build a connection pool of their own on first use: a
// method of theirs fills the receiver with one (see fillsReceiver). It
// returns the type's name as messages give it.
func (c *checker) lazyPool(t types.Type) (string, bool) {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || !isStructType(named) || isNamed(named, "net/http", "Client") || !c.holdsPool(named) {
		return "", false
	}
	named = named.Origin()
	lazy, ok := c.lazyTypes[named]
	if !ok {
		c.lazyTypes[named] = false // recursion: not (yet)
		for m := range named.Methods() {
			if c.summary(m).param(-1, kindPool).Effect&effFills != 0 {
				lazy = true
				break
			}
		}
		c.lazyTypes[named] = lazy
	}
	if !lazy {
		return "", false
	}
	name := named.Obj().Name()
	if pkg := named.Obj().Pkg(); pkg != nil && pkg != c.pass.Pkg {
		name = pkg.Name() + "." + name
	}
	return name, true
}

// setsPoolField reports whether the literal lit gives a value to a field
// that can hold a pool: the holder then may not build its own.
func setsPoolField(c *checker, lit *ast.CompositeLit) bool {
	info := c.pass.TypesInfo
	for _, elt := range lit.Elts {
		v := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			v = kv.Value
		}
		if c.holdsPool(info.TypeOf(v)) {
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
func optionsMayReplace(c *checker, lf *localFunc, fl *flow) condition {
	for _, n := range fl.unseen {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			continue
		}
		v := varOf(c.pass.TypesInfo, call.Fun)
		if v == nil {
			continue
		}
		if i := paramIndex(lf.decl, v); i >= 0 {
			return condition{Param: i + 1}
		}
		// A range variable over a parameter: for _, opt := range opts.
		def, ok := lf.cur.FindByPos(v.Pos(), v.Pos())
		if !ok {
			continue
		}
		if r, ok := def.Parent().Node().(*ast.RangeStmt); ok && r.Value == def.Node() {
			if p := varOf(c.pass.TypesInfo, r.X); p != nil {
				if i := paramIndex(lf.decl, p); i >= 0 {
					return condition{Param: i + 1}
				}
			}
		}
	}
	return condition{}
}
