package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
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
// The check is syntactic: it follows each construction through the
// local variables it is stored in (transport_flow.go), then asks whether
// the function runs repeatedly (transport_repeat.go). Anything it cannot
// follow counts as handing the pool on, and silences it.

// A transportCheck holds the memos of one pass of the transport check.
type transportCheck struct {
	c        *checker
	repeated map[ast.Node]string                // why a function runs repeatedly ("" if not); see repeatedFunc
	callers  map[*types.Func][]inspector.Cursor // calls of this package's functions, built on demand
	hoisted  map[string]bool                    // names of the package-level variables that fixes add
}

func newTransportCheck(c *checker) *transportCheck {
	return &transportCheck{c: c, repeated: make(map[ast.Node]string), hoisted: make(map[string]bool)}
}

// A poolSource is an expression that builds a new connection pool.
type poolSource struct {
	expr   ast.Expr          // the construction
	typ    types.Type        // the type of the pool it builds
	lit    *ast.CompositeLit // the http.Transport literal, if expr is one
	what   string            // how messages name a construction: "new http.Transport"
	helper string            // or the name of the helper function called
	// noKeepAlive: the pool keeps no idle connections, or may not
	// (DisableKeepAlives set to true or to a value we cannot read,
	// MaxIdleConnsPerHost < 0).
	noKeepAlive bool
}

// source reports whether the node at cur builds a new connection pool:
//
//	http.Transport{...}      (also under &)
//	new(http.Transport)
//	t.Clone()                (t an *http.Transport)
//	newClient(...)           (a function whose summary is FreshTransport)
func (t *transportCheck) source(n ast.Node) (poolSource, bool) {
	info := t.c.pass.TypesInfo
	switch n := n.(type) {
	case *ast.CompositeLit:
		if !isTransportValue(info.TypeOf(n)) {
			return poolSource{}, false
		}
		return poolSource{expr: n, typ: info.TypeOf(n), lit: n, what: "new http.Transport", noKeepAlive: litNoKeepAlive(info, n)}, true
	case *ast.CallExpr:
		return t.sourceCall(n, calleeFunc(info, n))
	}
	return poolSource{}, false
}

// sourceCall is source for a call of fn (nil if not a function).
func (t *transportCheck) sourceCall(call *ast.CallExpr, fn *types.Func) (poolSource, bool) {
	info := t.c.pass.TypesInfo
	if id := identOf(call.Fun); id != nil && id.Name == "new" && len(call.Args) == 1 {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" && isTransportValue(info.TypeOf(call.Args[0])) {
			return poolSource{expr: call, typ: info.TypeOf(call), what: "new http.Transport"}, true
		}
	}
	if fn == nil {
		return poolSource{}, false
	}
	if isMethod(fn, "net/http", "Transport", "Clone") {
		return poolSource{expr: call, typ: info.TypeOf(call), what: "cloned http.Transport"}, true
	}
	if !t.c.summary(fn).FreshTransport {
		return poolSource{}, false // the cheap test first: poolResult walks the result types
	}
	results := fn.Signature().Results()
	if i := poolResult(results); i >= 0 {
		return poolSource{expr: call, typ: results.At(i).Type(), helper: fn.Name()}, true
	}
	return poolSource{}, false
}

// isTransportValue reports whether t is http.Transport itself, not a
// pointer to it.
func isTransportValue(t types.Type) bool {
	_, ptr := types.Unalias(t).(*types.Pointer)
	return !ptr && isNamed(t, "net/http", "Transport")
}

// litNoKeepAlive reports whether a Transport literal turns pooling off,
// or may: DisableKeepAlives is not the constant false, or
// MaxIdleConnsPerHost is a negative constant.
func litNoKeepAlive(info *types.Info, lit *ast.CompositeLit) bool {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id := identOf(kv.Key); id != nil && fieldTurnsOffPool(info, id.Name, kv.Value) {
				return true
			}
		}
	}
	return false
}

// fieldTurnsOffPool reports whether setting the Transport field name to
// value turns connection pooling off, or may.
func fieldTurnsOffPool(info *types.Info, name string, value ast.Expr) bool {
	v := info.Types[value].Value
	switch name {
	case "DisableKeepAlives":
		return v == nil || constant.BoolVal(v) // true, or not a constant: we cannot tell
	case "MaxIdleConnsPerHost":
		return v != nil && constant.Sign(v) < 0
	}
	return false
}

// poolResult returns the index of the only result in results that can
// hold a connection pool, or -1.
func poolResult(results *types.Tuple) int {
	idx := -1
	for i := range results.Len() {
		if canHoldPool(results.At(i).Type()) {
			if idx >= 0 {
				return -1 // two candidates: we cannot tell which one
			}
			idx = i
		}
	}
	return idx
}

// canHoldPool reports whether a value of type t can be or hold a
// connection pool: an http.Transport, Client or RoundTripper (or a
// pointer to one), or a struct (or a pointer to one) with a field of
// such a type.
func canHoldPool(t types.Type) bool {
	if isPoolType(t) {
		return true
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if isPoolType(f.Type()) {
			return true
		}
	}
	return false
}

// isPoolType reports whether t is (a pointer to) http.Transport,
// http.Client or http.RoundTripper.
func isPoolType(t types.Type) bool {
	return isNamed(t, "net/http", "Transport", "Client", "RoundTripper")
}

// checkTransport reports connection pools built by a function that runs
// repeatedly, used there, and dropped.
func (c *checker) checkTransport() {
	t := newTransportCheck(c)
	for cur := range c.cursor().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := t.source(cur.Node())
		if !ok || src.noKeepAlive {
			continue // not a pool, or one that keeps no idle connections
		}
		fn, ok := funcCursor(cur)
		if !ok {
			continue // package-level variable: built once
		}
		fl := t.follow(fn, cur)
		switch {
		case fl.escapes || fl.returned:
			continue // handed on: whoever holds it owns it
		case fl.closed || fl.noKeepAlive:
			continue // its idle connections are closed, or never kept
		case len(fl.requests) == 0:
			continue // never used: it holds no connections
		case t.closesRequests(fn):
			continue // req.Close = true: each connection is closed after its request
		case t.servesEndlessLoop(cur, fl):
			continue // a worker: the pool lives as long as its loop, as long as the process
		}
		why := t.repeatedAt(cur, fl.vars)
		if why == "" {
			continue // runs once (main, init, a test) or we cannot tell
		}
		t.report(cur, src, fl, why)
	}
}

// report emits the diagnostic for the pool built at cur.
func (t *transportCheck) report(cur inspector.Cursor, src poolSource, fl *poolFlow, why string) {
	subject, closer := src.what, "call CloseIdleConnections on it when done"
	if src.helper != "" {
		subject = "connection pool"
	}
	if len(fl.vars) > 0 {
		v := fl.vars[0] // the first variable it is stored in
		if isHTTPClient(v.Type()) && !isHTTPClient(src.typ) {
			subject += " of client " + v.Name() // a transport, inside a client
		} else {
			subject += " " + v.Name()
		}
		if isPoolType(v.Type()) {
			closer = "defer " + v.Name() + ".CloseIdleConnections()"
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
		Category: checkTransport,
		Message: fmt.Sprintf("%s is built %s and dropped after use, so each %s leaves a new pool of idle keep-alive connections open; "+
			"reuse one long-lived client/transport, or set DisableKeepAlives: true for short connections, or %s", subject, why, each, closer),
	}
	for _, r := range fl.requests {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), End: r.End(), Message: "request sent through the per-call pool"})
	}
	if fix, ok := t.hoistFix(cur, src, fl); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	t.c.report(d)
}

// isHTTPClient reports whether t is (a pointer to) http.Client.
func isHTTPClient(t types.Type) bool { return isNamed(t, "net/http", "Client") }

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
func (t *transportCheck) servesEndlessLoop(cur inspector.Cursor, fl *poolFlow) bool {
	info := t.c.pass.TypesInfo
	for _, r := range fl.requests {
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
				if l.Cond == nil && t.waitsForWork(loop) {
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

// waitsForWork reports whether the loop at cur receives from a channel
// of work: a ticker, a queue; not a one-shot timer (time.After, a
// Timer's C) nor a context's Done, which retry loops wait on.
func (t *transportCheck) waitsForWork(loop inspector.Cursor) bool {
	info := t.c.pass.TypesInfo
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
func (t *transportCheck) closesRequests(fn inspector.Cursor) bool {
	info := t.c.pass.TypesInfo
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

// summarizeTransport records in f whether fn returns a fresh connection
// pool the caller owns: a Transport, a Client with its own Transport, or
// a struct holding one, with keep-alives on and not closed.
func (c *checker) summarizeTransport(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {
	if poolResult(fn.Signature().Results()) < 0 {
		return // no result can hold a pool
	}
	t := newTransportCheck(c)
	if !t.hasSource(fd) {
		return // builds no pool: no need for an inspector
	}
	fdCur, ok := c.cursor().FindNode(fd)
	if !ok {
		return // not in this package's syntax (cannot happen)
	}
	for cur := range fdCur.Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		src, ok := t.source(cur.Node())
		if !ok || src.noKeepAlive {
			continue // not a pool, or one that keeps no idle connections
		}
		if encl, _ := funcCursor(cur); encl.Node() != fd {
			continue // in a function literal: its returns are its own
		}
		fl := t.follow(fdCur, cur)
		if fl.returned && !fl.escapes && !fl.closed && !fl.noKeepAlive {
			f.FreshTransport = true
			return
		}
	}
}

// hasSource reports whether n builds a connection pool that keeps idle
// connections somewhere in it.
func (t *transportCheck) hasSource(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if src, ok := t.source(n); ok && !src.noKeepAlive {
			found = true
		}
		return !found
	})
	return found
}

// funcCursor returns the innermost function declaration or literal
// around cur.
func funcCursor(cur inspector.Cursor) (inspector.Cursor, bool) {
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return fn, true
	}
	return inspector.Cursor{}, false
}

// funcNodeBody returns the body of a function declaration or literal.
func funcNodeBody(fn ast.Node) *ast.BlockStmt {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return fn.Body
	case *ast.FuncLit:
		return fn.Body
	}
	return nil
}

// outerParens returns the outermost parenthesized expression around cur.
func outerParens(cur inspector.Cursor) inspector.Cursor {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	return cur
}

// posIn reports whether pos lies within node n.
func posIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// declName returns how messages name the function declared by fd:
// "F" or "T.M".
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	recv := fd.Recv.List[0].Type
	if star, ok := recv.(*ast.StarExpr); ok {
		recv = star.X
	}
	switch x := recv.(type) {
	case *ast.IndexExpr:
		recv = x.X
	case *ast.IndexListExpr:
		recv = x.X
	}
	if id, ok := recv.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// isTestFile reports whether pos is in a _test.go file.
func (t *transportCheck) isTestFile(pos token.Pos) bool {
	return strings.HasSuffix(t.c.pass.Fset.File(pos).Name(), "_test.go")
}
