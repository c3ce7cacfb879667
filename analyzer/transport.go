package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
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
// The engine follows each construction through the local variables and
// holders it is stored in (Follow, under poolSpec); this file then asks
// whether the function runs repeatedly (transport_repeat.go). Anything
// the engine cannot follow counts as handing the pool on, and silences
// the check. The suggested fix is in transport_fix.go.

// checkTransport reports connection pools built by a function that runs
// repeatedly, used there, and dropped.
func checkTransport(c *checker, pools []poolSource) {
	t := &poolCheck{c: c, repeated: make(map[ast.Node]string), fix: &hoister{c: c, hoisted: make(map[string]bool)}}
	for _, src := range pools {
		fn, ok := flow.EnclosingFunc(src.cur)
		if !ok {
			continue // package-level variable: built once
		}
		if src.dropped {
			if why := t.repeatedAt(src.cur, nil); why != "" {
				t.reportDropped(src, why)
			}
			continue // built and dropped by the callee, as its summary says
		}
		fl := flow.Lift(c.Follow(c.pools.spec, fn, src.cur, src.result, src.at, 0))
		fn = fl.Fn // (a literal run on the spot hands it to the code around)
		if fl.Escapes && !fl.Returned {
			t.checkStored(src, fn)
			continue // handed on: whoever holds it owns it, unless fn stores it into its receiver on every call
		}
		if !dropped(c, src, fl) {
			continue
		}
		why := t.repeatedAt(src.cur, fl.Vars)
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

// cleanupCalls adds to fl's releases the calls of the cleanup that the
// helper call at src returns with the pool (src.closer), kept in a
// variable: c, cleanup := newClient(); defer cleanup(). It reports false
// when the cleanup goes anywhere else than to calls (returned, stored,
// passed on), and true when there is none to call (dropped with _).
func cleanupCalls(c *checker, src poolSource, fl *flow.Flow) bool {
	v, lhs, ok := cleanupVar(c, src)
	if !ok {
		return false // a cleanup not kept in a variable of this function
	}
	if v == nil {
		return true // _: never called
	}
	for _, use := range c.UsesOf(fl.Fn, v) {
		if use.Node() == lhs {
			continue
		}
		if flow.OuterParens(use).ParentEdgeKind() != edge.CallExpr_Fun {
			return false
		}
		fl.Releases = append(fl.Releases, flow.OuterParens(use).Parent().Node())
	}
	return true
}

// cleanupReturned returns the result (its index + 1) that lf returns the
// cleanup of the helper call at src in, as it is: c, cleanup :=
// newClient(); return &Service{c: c}, cleanup; 0 if the cleanup is
// dropped (_). It reports false when lf does anything else with it.
func cleanupReturned(c *checker, src poolSource, lf *flow.Func) (int, bool) {
	v, lhs, ok := cleanupVar(c, src)
	if !ok || v == nil {
		return 0, ok
	}
	k := 0
	for _, use := range c.UsesOf(lf.Cur(), v) {
		switch {
		case use.Node() == lhs:
		case use.ParentEdgeKind() == edge.ReturnStmt_Results && (k == 0 || k == use.ParentEdgeIndex()+1):
			k = use.ParentEdgeIndex() + 1
		default:
			return 0, false
		}
	}
	return k, k != 0
}

// cleanupVar returns the variable that the helper call at src assigns
// its cleanup (result src.closer) to, and where; nil for _. It reports
// false when the call's results are not assigned.
func cleanupVar(c *checker, src poolSource) (*types.Var, ast.Expr, bool) {
	as, ok := src.cur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || len(as.Lhs) < src.closer {
		return nil, nil, false
	}
	lhs := as.Lhs[src.closer-1]
	return flow.VarOf(c.pass.TypesInfo, lhs), lhs, true
}

// report emits the diagnostic for the pool built at src.
func (t *poolCheck) report(src poolSource, fl *flow.Flow, why string) {
	subject, closer := src.what, "call CloseIdleConnections on it when done"
	if src.helper != "" {
		subject = "connection pool"
	}
	if len(fl.Vars) > 0 {
		v := fl.Vars[0] // the first variable it is stored in
		switch {
		case nethttp.IsHTTPClient(v.Type()) && !nethttp.IsHTTPClient(src.typ):
			subject += " of client " + v.Name() // a transport, inside a client
		case src.helper == "" && !nethttp.IsPoolType(v.Type()):
			subject += " held by " + v.Name() // inside a struct of the user's
		default:
			subject += " " + v.Name()
		}
		switch {
		case flow.HasMethod(v.Type(), "CloseIdleConnections"):
			closer = "defer " + v.Name() + ".CloseIdleConnections()"
		case nethttp.IsPoolType(v.Type()):
			closer = "keep the *http.Transport to call CloseIdleConnections on when done (" + v.Name() + ", an interface, has no such method)"
		}
		if fl.Flags&poolWrapped != 0 && nethttp.IsHTTPClient(v.Type()) {
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
	d := poolDiag(src, fmt.Sprintf("%s is built %s and dropped after use, so each %s leaves a new pool of idle keep-alive connections open; "+
		"reuse one long-lived client/transport, or set DisableKeepAlives: true for short connections, or %s", subject, why, each, closer))
	if src.sdk {
		d.Message = fmt.Sprintf("%s is built %s and dropped after use, so each %s leaves a new pool of idle keep-alive connections open "+
			"(the SDK gives each client a pool of its own); build the client once, at startup or in a sync.Once, and reuse it", subject, why, each)
	}
	for i, r := range fl.Uses {
		if slices.Contains(fl.Uses[:i], r) {
			continue // reached twice: through the variable and its holder
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), End: r.End(), Message: "request sent through the per-call pool"})
	}
	for _, r := range fl.Releases {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), End: r.End(),
			Message: "this CloseIdleConnections does not reach the pool: the client's transport wraps it and has no CloseIdleConnections"})
	}
	if fix, ok := t.fix.hoistFix(src, fl); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	t.c.report(d)
}

// poolDiag returns a diagnostic of the transport check at the
// construction of src that says msg.
func poolDiag(src poolSource, msg string) analysis.Diagnostic {
	return analysis.Diagnostic{Pos: src.expr.Pos(), End: src.expr.End(), Category: nameTransport, Message: msg}
}

// servesEndlessLoop reports whether a request through the pool built at
// cur is sent from a worker loop that does not build it: a loop that
// runs until the process (or its context) ends, whose pool is as
// long-lived as a shared one. A worker loop ranges over a channel (one
// the function closes itself does not count: the loop ends with the
// batch it was given), or is endless and waits for work (see
// waitsForWork); an endless loop that only retries does not count.
//
//	c := &http.Client{Transport: &http.Transport{...}}
//	for {
//		select {
//		case <-ticker.C:
//			resp, err := c.Get(url)
func servesEndlessLoop(c *checker, cur inspector.Cursor, fl *flow.Flow) bool {
	info := c.pass.TypesInfo
	for _, r := range fl.Uses {
		rc, ok := fl.Fn.FindNode(r)
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
				if _, ok := info.TypeOf(l.X).Underlying().(*types.Chan); ok && !closesChan(info, fl.Fn, l.X) {
					return true
				}
			}
		}
	}
	return false
}

// closesChan reports whether the function at fn (or a literal in it)
// closes the channel in the local variable ch: a loop that ranges over
// it ends once fn is done with it, as a batch of jobs fanned out to
// workers does.
func closesChan(info *types.Info, fn inspector.Cursor, ch ast.Expr) bool {
	v := flow.VarOf(info, ch)
	if v == nil || !flow.PosIn(v.Pos(), fn.Node()) {
		return false
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if flow.IsBuiltin(info, call, "close") && len(call.Args) == 1 && flow.VarOf(info, call.Args[0]) == v {
			return true
		}
	}
	return false
}

// closesTestServer reports whether the test whose function (or
// subtest, or helper literal) is at fn closes an httptest.Server, itself
// or through a function of the package (a teardown): Server.Close (and
// CloseClientConnections) closes the connections of its clients, idle
// ones included, so a pool that only talked to it keeps none.
//
//	t.Run(name, func(t *testing.T) {
//		srv := httptest.NewServer(h)
//		defer srv.Close()
//		c, _ := api.NewClient(&api.Config{Address: srv.URL})    // a pooled client of its own
func closesTestServer(c *checker, fn inspector.Cursor) bool {
	for encl, ok := fn, true; ok; encl, ok = flow.EnclosingFunc(encl.Parent()) {
		fn = encl // the outermost: the test function
	}
	info := c.pass.TypesInfo
	for cur := range fn.Preorder((*ast.CallExpr)(nil), (*ast.SelectorExpr)(nil)) {
		if sel, ok := cur.Node().(*ast.SelectorExpr); ok {
			if closesServer(info, sel) {
				return true // srv.Close(), t.Cleanup(srv.Close), defer srv.Close()
			}
			continue
		}
		if lf := c.LocalFunc(flow.CalleeFunc(info, cur.Node().(*ast.CallExpr))); lf != nil && lf.Body() != nil {
			found := false
			ast.Inspect(lf.Body(), func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && closesServer(info, sel) {
					found = true
				}
				return !found
			})
			if found {
				return true // teardown(), or a setup that registers the close: t.Cleanup(srv.Close)
			}
		}
	}
	return false
}

// closesServer reports whether sel selects httptest.Server's Close or
// CloseClientConnections, called or as a method value.
func closesServer(info *types.Info, sel *ast.SelectorExpr) bool {
	fn, _ := info.Uses[sel.Sel].(*types.Func)
	return flow.IsMethod(fn, "net/http/httptest", "Server", "Close", "CloseClientConnections")
}

// allExpectedToFail reports whether every request through the pool of fl
// is a call whose error the code right after examines as a failure the
// test expects (see examinesFailure).
func allExpectedToFail(c *checker, fl *flow.Flow) bool {
	info := c.pass.TypesInfo
	for _, r := range fl.Uses {
		call, ok := r.(*ast.CallExpr)
		if !ok {
			return false
		}
		cur, ok := fl.Fn.FindNode(call)
		if !ok {
			return false
		}
		stmt := flow.OuterParens(cur).Parent()
		var errLHS ast.Expr
		switch p := stmt.Node().(type) {
		case *ast.AssignStmt:
			_, errLHS = flow.PickLHS(p.Lhs, p.Rhs, call, flow.ResultTypes(info, call, flow.CalleeFunc(info, call)), 0)
		case *ast.ValueSpec:
			_, errLHS = flow.PickLHS(flow.SpecLHS(p), p.Values, call, flow.ResultTypes(info, call, flow.CalleeFunc(info, call)), 0)
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
			if fn := flow.CalleeFunc(info, x); flow.IsFunc(fn, "time", "After") || fn != nil && fn.Name() == "Done" {
				continue // a one-shot timer, or a context's end
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "C" && flow.IsPointerTo(info.TypeOf(x.X), "time", "Timer") {
				continue // a one-shot timer
			}
		}
		return true
	}
	return false
}

// closesRequests reports whether every request the function at fn sends
// through the pool that fl follows is one that asks the transport to
// close the connection after it: each use of the pool is a call given
// such a request, asked so in its literal or before the call in a block
// that holds it (not on some paths only). One request sent without it
// (another request, or a call that builds its own: c.Get(u)) leaves an
// idle connection.
//
//	req.Close = true
//	req.Header.Set("Connection", "close")   // the server closes it
//	req := &http.Request{Method: http.MethodGet, URL: u, Close: true}
//	resp, err := c.Do(req)
func closesRequests(c *checker, fn inspector.Cursor, fl *flow.Flow) bool {
	info := c.pass.TypesInfo
	if len(fl.Uses) == 0 {
		return false
	}
	closed := make(map[*types.Var][]inspector.Cursor) // the requests that ask to close, and the statements that ask it
	always := make(map[*types.Var]bool)               // those whose literal asks it
	for _, u := range fl.Uses {
		call, ok := u.(*ast.CallExpr)
		if !ok {
			return false
		}
		for _, a := range call.Args {
			req := flow.VarOf(info, a)
			if req == nil || !flow.IsPointerTo(req.Type(), "net/http", "Request") {
				continue
			}
			if _, seen := closed[req]; seen {
				continue
			}
			closed[req] = nil
			if init, _, ok := c.LocalOrigin(fn, req); ok && literalCloses(info, init) {
				always[req] = true
			}
			for _, use := range c.UsesOf(fn, req) {
				if st, ok := asksClose(info, use); ok {
					closed[req] = append(closed[req], st)
				}
			}
		}
	}
	for _, u := range fl.Uses {
		call := u.(*ast.CallExpr)
		if !slices.ContainsFunc(call.Args, func(a ast.Expr) bool {
			req := flow.VarOf(info, a)
			return always[req] || slices.ContainsFunc(closed[req], func(set inspector.Cursor) bool { return setBefore(set, call) })
		}) {
			return false // a request sent without Close, or with it set on some paths only
		}
	}
	return true
}

// asksClose returns the statement at which use, a use of a request
// variable, asks the transport to close the connection after the
// request: req.Close = true, or a Connection header of "close", which
// the server answers by closing it.
//
//	req.Close = true
//	req.Header.Set("Connection", "close")
func asksClose(info *types.Info, use inspector.Cursor) (inspector.Cursor, bool) {
	sel, ok := use.Parent().Node().(*ast.SelectorExpr)
	if !ok || sel.X != use.Node() {
		return inspector.Cursor{}, false
	}
	switch sel.Sel.Name {
	case "Close":
		if use.Parent().ParentEdgeKind() != edge.AssignStmt_Lhs {
			return inspector.Cursor{}, false
		}
		as := use.Parent().Parent()
		st := as.Node().(*ast.AssignStmt)
		if i := slices.Index(st.Lhs, ast.Expr(sel)); len(st.Lhs) == len(st.Rhs) && i >= 0 {
			if v := info.Types[st.Rhs[i]].Value; v != nil && constant.BoolVal(v) {
				return as, true
			}
		}
	case "Header":
		set := use.Parent().Parent() // req.Header.Set
		call, ok := set.Parent().Node().(*ast.CallExpr)
		if s, isSel := set.Node().(*ast.SelectorExpr); !isSel || !ok || call.Fun != s || len(call.Args) != 2 || s.Sel.Name != "Set" && s.Sel.Name != "Add" {
			return inspector.Cursor{}, false
		}
		if isConnectionClose(info, call.Args[0], call.Args[1]) && set.Parent().ParentEdgeKind() == edge.ExprStmt_X {
			return set.Parent().Parent(), true
		}
	}
	return inspector.Cursor{}, false
}

// isConnectionClose reports whether the constants key and value are a
// Connection header that lists the "close" option (the key and the
// option in any case, as net/http reads them).
func isConnectionClose(info *types.Info, key, value ast.Expr) bool {
	k, v := info.Types[key].Value, info.Types[value].Value
	if k == nil || v == nil || k.Kind() != constant.String || v.Kind() != constant.String || !strings.EqualFold(constant.StringVal(k), "Connection") {
		return false
	}
	return slices.ContainsFunc(strings.Split(constant.StringVal(v), ","), func(opt string) bool {
		return strings.EqualFold(strings.TrimSpace(opt), "close")
	})
}

// literalCloses reports whether e is a request literal that sets Close
// to true: &http.Request{..., Close: true}.
func literalCloses(info *types.Info, e ast.Expr) bool {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return false
	}
	lit, ok := ast.Unparen(u.X).(*ast.CompositeLit)
	if !ok {
		return false
	}
	return slices.ContainsFunc(lit.Elts, func(elt ast.Expr) bool {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok || !flow.SameName(kv.Key, "Close") {
			return false
		}
		v := info.Types[kv.Value].Value
		return v != nil && v.Kind() == constant.Bool && constant.BoolVal(v)
	})
}
