package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds where the releases of a pool run, against its uses: a
// CloseIdleConnections closes the connections idle when it runs, and a
// Transport whose keep-alives are turned off keeps none from then on.
//
//	tr.CloseIdleConnections()      // before the request: closes nothing
//	resp, err := c.Do(req)         // its connection stays idle
//
//	resp, err := c.Do(req)         // pooled
//	tr.DisableKeepAlives = true    // too late for it

// closesPool reports whether some CloseIdleConnections call of fl
// reaches the pool: one on the transport itself or on a holder of the
// user's, or one on an http.Client whose pool is not behind a wrapper
// that drops the call.
//
// A single release in a block that returns (the error path of a request),
// or under a test that is not about the pool, closes the pool on that
// path only: the others leave it open. A release that runs before every
// request closes nothing they leave.
func closesPool(c *checker, fl *flow.Flow) bool {
	early := 0
	for _, r := range fl.Releases {
		if closesThroughClient(c, r) && fl.Flags&poolWrapped != 0 {
			continue
		}
		at, deferred, ok := registeredAt(fl, r)
		if ok && !deferred && closesIdle(r) && beforeEveryUse(fl, at) {
			continue // it closes nothing the requests leave
		}
		if onEarlyReturn(fl, r) || ok && onBranch(c.pass.TypesInfo, fl, at) {
			early++
			continue
		}
		if ok && skippedByReturn(c, fl, at) {
			continue // a return before it leaves the pool open
		}
		return true
	}
	return early > 1 // one on each of several paths: take it that all are
}

// onBranch reports whether the statement at runs on some paths only: in
// a branch of an if statement whose test is not about the pool (it
// mentions none of the variables that hold it, nor an error):
//
//	if r.Method == http.MethodPost {
//		tr.CloseIdleConnections()     // other methods leave the pool open
//	}
//
// A test of whether the pool is there (if c.hc != nil, an assertion of
// its type) or of a request's error decides nothing the requests leave.
func onBranch(info *types.Info, fl *flow.Flow, at inspector.Cursor) bool {
	for cur := at; cur != fl.Fn && cur.Node() != nil; cur = cur.Parent() {
		ifs, ok := cur.Parent().Node().(*ast.IfStmt)
		if !ok || cur.Node() != ifs.Body && cur.Node() != ifs.Else {
			continue
		}
		if !aboutPool(info, fl, ifs) {
			return true
		}
	}
	return false
}

// aboutPool reports whether the test of ifs (its init statement
// included) mentions a variable that holds the pool fl follows, or an
// error.
func aboutPool(info *types.Info, fl *flow.Flow, ifs *ast.IfStmt) bool {
	found := false
	ast.Inspect(ifs, func(n ast.Node) bool {
		if found || n == ifs.Body || n == ifs.Else {
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			v, isVar := info.Uses[id].(*types.Var)
			found = isVar && (slices.Contains(fl.Vars, v) || flow.IsErrorType(v.Type()))
		}
		return !found
	})
	return found
}

// registeredAt returns the statement, directly in a block of the
// function of fl, at which the release n is run or registered: the
// call's statement, or the defer statement that defers it (or a closure
// that holds it), and whether it is deferred.
func registeredAt(fl *flow.Flow, n ast.Node) (at inspector.Cursor, deferred, ok bool) {
	cur, found := fl.Fn.FindNode(n)
	if !found {
		return inspector.Cursor{}, false, false
	}
	for lit, _ := flow.EnclosingFunc(cur); lit != fl.Fn; lit, _ = flow.EnclosingFunc(cur) {
		call, isCall := lit.Parent().Node().(*ast.CallExpr)
		if _, isDefer := lit.Parent().Parent().Node().(*ast.DeferStmt); !isCall || call.Fun != lit.Node() || !isDefer {
			return inspector.Cursor{}, false, false // run who knows when
		}
		cur, deferred = lit.Parent().Parent(), true // defer func() { ... }()
	}
	for ; cur != fl.Fn; cur = cur.Parent() {
		if _, isDefer := cur.Node().(*ast.DeferStmt); isDefer {
			deferred = true
		}
		if flow.StmtList(cur.Parent().Node()) != nil {
			return cur, deferred, true
		}
	}
	return inspector.Cursor{}, false, false
}

// skippedByReturn reports whether a return of the function of fl can
// leave after the first use of the pool and before the statement at,
// which releases it (or defers its release), on a path that released
// nothing: the requests sent before it leave their connections idle.
// A return under a test of the first request's error does not count (a
// failed request leaves no connection), nor one after a release on its
// path.
//
//	get(c, a)
//	if r.Method != http.MethodGet {
//		return errX          // the connection of get stays idle
//	}
//	c.CloseIdleConnections()
func skippedByReturn(c *checker, fl *flow.Flow, at inspector.Cursor) bool {
	info := c.pass.TypesInfo
	var first ast.Node
	for _, u := range fl.Uses {
		if first == nil || u.Pos() < first.Pos() {
			first = u
		}
	}
	if first == nil {
		return false
	}
	failed := firstError(info, fl, first)
	for ret := range fl.Fn.Preorder((*ast.ReturnStmt)(nil)) {
		if pos := ret.Node().Pos(); pos < first.End() || pos >= at.Node().Pos() {
			continue
		}
		if encl, _ := flow.EnclosingFunc(ret); encl != fl.Fn || releasedBefore(fl, ret) || underTestOf(info, ret, failed) {
			continue
		}
		return true
	}
	return false
}

// firstError returns the error variable that the statement of the use
// first assigns, if any: err in resp, err := c.Get(u) or in
// if err := get(c, u); err != nil.
func firstError(info *types.Info, fl *flow.Flow, first ast.Node) *types.Var {
	cur, ok := fl.Fn.FindNode(first)
	for ; ok && cur != fl.Fn; cur = cur.Parent() {
		as, isAssign := cur.Node().(*ast.AssignStmt)
		if !isAssign {
			if flow.StmtList(cur.Parent().Node()) != nil {
				return nil
			}
			continue
		}
		for _, l := range as.Lhs {
			if v := flow.VarOf(info, l); v != nil && flow.IsErrorType(v.Type()) {
				return v
			}
		}
		return nil
	}
	return nil
}

// releasedBefore reports whether a release of fl runs (or is deferred)
// before the return at ret on every path to it: in a block that holds
// ret.
func releasedBefore(fl *flow.Flow, ret inspector.Cursor) bool {
	for _, r := range fl.Releases {
		if at, _, ok := registeredAt(fl, r); ok && at.Node().End() <= ret.Node().Pos() && ret.Node().Pos() < at.Parent().Node().End() {
			return true
		}
	}
	return false
}

// underTestOf reports whether the return at ret sits in the then block of
// an if statement whose condition mentions err.
func underTestOf(info *types.Info, ret inspector.Cursor, err *types.Var) bool {
	if err == nil {
		return false
	}
	for cur := ret; cur.Node() != nil; cur = cur.Parent() {
		if ifs, ok := cur.Parent().Node().(*ast.IfStmt); ok && cur.Node() == ifs.Body && flow.Mentions(info, ifs.Cond, err) {
			return true
		}
		if _, ok := cur.Node().(*ast.FuncDecl); ok {
			return false
		}
	}
	return false
}

// onEarlyReturn reports whether n, in the function of fl, runs (not
// deferred) in a nested block that ends in a return:
//
//	if err != nil {
//		tr.CloseIdleConnections()
//		return err
//	}
func onEarlyReturn(fl *flow.Flow, n ast.Node) bool {
	cur, ok := fl.Fn.FindNode(n)
	if !ok {
		return false
	}
	for ; cur != fl.Fn; cur = cur.Parent() {
		switch cur.Node().(type) {
		case *ast.DeferStmt, *ast.FuncLit:
			return false
		}
		list := flow.StmtList(cur.Parent().Node())
		if list == nil {
			continue
		}
		if _, body := flow.FuncParts(fl.Fn.Node()); cur.Parent().Node() == body {
			return false // the function's own block: it always runs
		}
		_, ret := list[len(list)-1].(*ast.ReturnStmt)
		return ret
	}
	return false
}

// offBeforeUse reports whether a statement of the function of fl that
// turns pooling off (DisableKeepAlives set to true, or to a value the
// analysis cannot read; MaxIdleConnsPerHost < 0) on the pool runs before
// every use of it: one set after a request, or on one branch, leaves
// that request's connection idle in the pool. The statement is found
// from a variable that holds the pool, through fields and assertions
// (c.Transport.(*http.Transport).DisableKeepAlives = true); when none is
// found there, the pool is taken to be off.
func offBeforeUse(c *checker, fl *flow.Flow) bool {
	info := c.pass.TypesInfo
	found := false
	for _, v := range fl.Vars {
		for _, use := range c.UsesOf(fl.Fn, v) {
			sel, ok := transportField(info, use)
			if !ok {
				continue
			}
			stmt := sel.Parent()
			as := stmt.Node().(*ast.AssignStmt)
			if k := sel.ParentEdgeIndex(); len(as.Lhs) != len(as.Rhs) || !nethttp.TurnsOffPooling(info, sel.Node().(*ast.SelectorExpr).Sel.Name, as.Rhs[k]) {
				continue
			}
			if beforeEveryUse(fl, stmt) {
				return true
			}
			found = true
		}
	}
	return !found
}

// transportField returns the selector of a field of an http.Transport
// that use, a variable, reaches through fields, parentheses and type
// assertions, when an assignment sets it: tr.F, c.Transport.(*http.Transport).F.
func transportField(info *types.Info, use inspector.Cursor) (inspector.Cursor, bool) {
	for cur := use; ; {
		p := cur.Parent()
		switch n := p.Node().(type) {
		case *ast.SelectorExpr:
			if n.X != cur.Node() {
				return inspector.Cursor{}, false
			}
			if flow.IsNamed(info.TypeOf(n.X), "net/http", "Transport") {
				return p, p.ParentEdgeKind() == edge.AssignStmt_Lhs
			}
		case *ast.TypeAssertExpr, *ast.ParenExpr, *ast.StarExpr:
		default:
			return inspector.Cursor{}, false
		}
		cur = p
	}
}

// closesIdle reports whether n is a call of a CloseIdleConnections
// method, which closes the connections idle when it runs (a helper that
// releases the pool may turn its keep-alives off instead, which counts
// from then on).
func closesIdle(n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "CloseIdleConnections"
}

// beforeEveryUse reports whether the statement at stmt, directly in a
// block, comes before every use of the pool that fl follows, in that
// block: it runs before each of them.
func beforeEveryUse(fl *flow.Flow, stmt inspector.Cursor) bool {
	list := stmt.Parent().Node()
	if flow.StmtList(list) == nil {
		return false
	}
	for _, u := range fl.Uses {
		if u.Pos() < stmt.Node().End() || u.Pos() >= list.End() {
			return false
		}
	}
	return true
}

// closesThroughClient reports whether n is x.CloseIdleConnections() on
// an http.Client x.
func closesThroughClient(c *checker, n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && nethttp.IsHTTPClient(c.pass.TypesInfo.TypeOf(sel.X))
}
