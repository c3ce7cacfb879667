package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what the summaries of functions say for the body
// check of their results: one that hands the caller a fresh response
// (maybe only under a condition), or a library's response type that
// holds one.

// A fresh is a variable that holds a response from a producer, as
// summarizeResponse sees it: whether it only comes from an
// http.RoundTripper, and under which condition on the function's
// parameters it is fresh (always if none).
type fresh struct {
	in        flow.Place // where the Body sits in it: nil if it is a response, or in a library's response type (holderPlace)
	viaRT     bool
	when      flow.Condition
	withError bool       // the producer may return it with a non-nil error
	onlyError token.Pos  // if valid: open only along with a non-nil error, closed from there on (closedOnSuccess)
	errVar    *types.Var // the error the producer's call returned with it, if bound
	drained   bool       // read to its end before it is returned
	at        token.Pos  // where the producer's call first gives it to the variable
}

// merge returns what out (nil if nothing yet) and fr, the responses that
// two returns hand the caller, have in common.
func (out *fresh) merge(fr fresh) *fresh {
	if out == nil {
		return &fr
	}
	out.viaRT = out.viaRT && fr.viaRT
	out.withError = out.withError || fr.withError
	if !fr.onlyError.IsValid() {
		out.onlyError = token.NoPos // open without an error on some path
	}
	out.drained = out.drained && fr.drained
	if out.when != fr.when {
		out.when = flow.Condition{} // fresh under different conditions: say always
	}
	return out
}

// summarizeResponse records in f the result of lf that hands a fresh
// response to its caller: one it got from a producer and returns without
// having given it to anyone else on the way. A response that lf closes
// (except on an error path that returns something else, or under a test
// of a parameter, which makes it fresh under the opposite test),
// replaces the Body of, or passes to code that may close it is not
// fresh: whether the caller must close it then depends on paths we
// cannot see (bodyclose #76).
func summarizeResponse(c *checker, lf *flow.Func, f *flow.Fact) {
	if handledByDirective(lf.Decl) {
		return // its callers are not held to close what it returns
	}
	results := lf.Sig().Results()
	ri, holder, stream := -1, -1, -1
	for i := range results.Len() {
		t := results.At(i).Type()
		if nethttp.IsResponse(t) {
			ri = i
			break
		}
		if _, ok := holderPlace(t); ok && holder < 0 {
			holder = i
		}
		if carriesOwnership(t, false) && stream < 0 {
			stream = i // an io.ReadCloser: the Body of a response, returned as is
		}
		if isAny(t) && lf.Decl == nil && ri < 0 {
			ri = i // func() (any, error) { return http.Get(u) }, handed to an executor that returns what it returns (gobreaker's)
		}
	}
	if ri < 0 && holder < 0 {
		if stream < 0 || !returnsBody(lf, stream) {
			return
		}
		ri = stream
	}
	body := ri >= 0 && ri == stream
	info := c.pass.TypesInfo
	produced := make(map[*types.Var]fresh) // variables bound to a producer's response
	var returns []*ast.ReturnStmt
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = append(returns, n)
		case *ast.AssignStmt:
			noteProduced(c, lf, n.Lhs, n.Rhs, produced)
		case *ast.ValueSpec:
			noteProduced(c, lf, flow.SpecLHS(n), n.Values, produced)
		}
		return true
	})
	if holder >= 0 && !body {
		summarizeHolder(c, lf, f, holder, produced, returns)
		return
	}
	if body && nilWithoutError(c, results, ri, returns) {
		return // a nil stream and no error on some path: the caller cannot tell it has one to close
	}
	for v, fr := range produced {
		spent, when := spentBefore(c, lf, v, fr.at)
		if spent {
			if at, ok := closedOnSuccess(c, lf, v, ri, returns); ok {
				fr.onlyError = at // open only along with an error
				produced[v] = fr
				continue
			}
			delete(produced, v)
		} else if when.Param != 0 {
			fr.when = when // the close decides; a condition on the producer would too
			produced[v] = fr
		}
	}
	var out *fresh // what the returns that hand a fresh response have in common
	for _, ret := range returns {
		var call *ast.CallExpr // the producer of the returned response
		var v *types.Var       // or the variable that holds it
		switch {
		case body:
			// return resp.Body, nil: the Body of a response it got
			if len(ret.Results) != results.Len() {
				break
			}
			if sel, ok := ast.Unparen(ret.Results[ri]).(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
				if v = flow.VarOf(info, sel.X); v != nil && len(produced[v].in) > 0 {
					v = nil // a library's response type: its Body is elsewhere
				}
			}
		case len(ret.Results) == 1 && results.Len() > 1:
			call, _ = ast.Unparen(ret.Results[0]).(*ast.CallExpr)
		case len(ret.Results) == results.Len():
			switch e := ast.Unparen(ret.Results[ri]).(type) {
			case *ast.CallExpr:
				call = e
			case *ast.Ident:
				v, _ = info.Uses[e].(*types.Var)
			}
		case len(ret.Results) == 0:
			v = results.At(ri)
		}
		var fr fresh
		switch {
		case call != nil:
			p := producer(c, flow.CalleeFunc(info, call), call)
			if p.idx != ri && (p.idx != 0 || len(ret.Results) == 1 && results.Len() > 1) {
				continue
			}
			when, ok := freshAt(c, lf, call, p.when)
			if !ok {
				continue
			}
			if isHead(c, lf.Cur(), call) {
				continue // no body
			}
			if when.Param == 0 {
				when = headCond(c, lf, call)
			}
			fr = fresh{viaRT: p.viaRT, when: when, withError: p.withError, drained: p.drained}
		case v != nil:
			var ok bool
			if fr, ok = produced[v]; !ok || fr.onlyError.IsValid() && ret.Pos() > fr.onlyError {
				continue // (closed by then)
			}
			fr.withError = fr.withError || (returnsWithError(c, ret, fr.errVar, results.Len()) || nakedWithError(c, lf, ret, v)) && !eventBefore(c, lf, ret, v, flow.EvRelease) && !deferredCloseOnError(c, lf, v)
			fr.drained = fr.drained || eventBefore(c, lf, ret, v, flow.EvDrain)
		default:
			continue
		}
		out = out.merge(fr)
	}
	if out != nil {
		f.Results = append(f.Results, flow.ResultFact{Index: ri, Kind: kindBody, ViaRoundTripper: out.viaRT, When: out.when,
			WithError: out.withError || out.onlyError.IsValid(), OnlyWithError: out.onlyError.IsValid(), Drained: out.drained})
	}
}

// summarizeHolder records in f the result ri of lf, of a library's
// response type that holds a *http.Response, when lf puts a fresh
// response in it and hands it to its caller, who must close the body
// through it:
//
//	func (c *Client) BareDo(req *http.Request) (*Response, error) {
//		resp, err := c.hc.Do(req)
//		if err != nil {
//			return nil, err
//		}
//		return &Response{Response: resp}, nil
//
// Whatever the path, the response must go nowhere else: not closed (but
// on an error path that returns something else), not replaced, not
// handed to code that may close it. Which of the holder's responses are
// open could not be told otherwise.
func summarizeHolder(c *checker, lf *flow.Func, f *flow.Fact, ri int, produced map[*types.Var]fresh, returns []*ast.ReturnStmt) {
	results := lf.Sig().Results()
	place, _ := holderPlace(results.At(ri).Type())
	if !closesThroughClose(c, results.At(ri).Type()) {
		return // a Close of its own that does not close the body: its users cannot
	}
	var out *fresh
	for _, ret := range returns { // return c.BareDo(req): a wrapper
		var e ast.Expr
		switch len(ret.Results) {
		case 1:
			e = ret.Results[0]
		case results.Len():
			e = ret.Results[ri]
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			continue
		}
		p := producer(c, flow.CalleeFunc(c.pass.TypesInfo, call), call)
		if p.idx != ri || !slices.Equal(p.in, place) {
			continue
		}
		if when, ok := freshAt(c, lf, call, p.when); ok {
			out = out.merge(fresh{viaRT: p.viaRT, when: when})
		}
	}
	for v, fr := range produced {
		fl := c.FollowVar(c.body, lf.Cur(), v, bodyAt(fr.in, v.Type()), flow.HandedBack)
		if fl.Escapes || fl.Replaced || !fl.Returned || fl.ReturnedTwice || fl.ReturnedIn != ri || !slices.Equal(fl.ReturnedAt, place) {
			return // it may go elsewhere, or be returned as it is
		}
		for _, n := range fl.Hooks {
			if !handedBackFrom(c, lf, n, fl.Vars) {
				return // a hook got it on a path that does not return it
			}
		}
		for _, n := range fl.Releases {
			cur, ok := lf.Cur().FindNode(n)
			stack := flow.StackOf(cur, lf.Cur())
			if !ok || !closedWithError(c, lf, stack) && slices.ContainsFunc(fl.Vars, func(w *types.Var) bool { return !onErrorPath(stack, w, c.pass.TypesInfo) }) {
				return // closed on a path that hands it back (in the holder, say)
			}
		}
		out = out.merge(fresh{viaRT: fr.viaRT, when: fr.when})
	}
	if out != nil {
		f.Results = append(f.Results, flow.ResultFact{Index: ri, Kind: kindBody, Path: strings.Join(place, "."), ViaRoundTripper: out.viaRT, When: out.when})
	}
}

// nakedWithError reports whether ret, a naked return of lf that returns
// the response in v, its named result, may return it with an error:
// before ret, lf sets its named error result to something other than
// nil, outside a test of that error (where the producer failed).
//
//	resp, err = c.hc.Do(req)
//	if resp.StatusCode >= 400 {
//		err = fmt.Errorf("status %d", resp.StatusCode)
//	}
//	return
func nakedWithError(c *checker, lf *flow.Func, ret *ast.ReturnStmt, v *types.Var) bool {
	results := lf.Sig().Results()
	errRes := results.At(results.Len() - 1)
	if len(ret.Results) != 0 || results.Len() < 2 || !flow.IsErrorType(errRes.Type()) || errRes.Name() == "" {
		return false
	}
	info := c.pass.TypesInfo
	for use := range identUses(c, lf.Cur(), errRes) {
		as, ok := use.Parent().Node().(*ast.AssignStmt)
		if !ok || use.ParentEdgeKind() != edge.AssignStmt_Lhs || use.Node().Pos() > ret.Pos() || len(as.Lhs) != len(as.Rhs) {
			continue // not err = x, or after ret, or err set by a call with the response
		}
		if flow.IsNil(info, as.Rhs[use.ParentEdgeIndex()]) || returnsFirst(use.Parent(), ret) {
			continue
		}
		tested := false
		for encl := range use.Enclosing((*ast.IfStmt)(nil)) {
			if flow.Mentions(info, encl.Node().(*ast.IfStmt).Cond, errRes) {
				tested = true // if err != nil { err = fmt.Errorf("...: %w", err) }
				break
			}
		}
		if !tested {
			return true
		}
	}
	return false
}

// returnsFirst reports whether the block of the statement at stmt, which
// does not hold ret, ends in a return or a branch: the path that runs
// stmt does not go on to ret.
func returnsFirst(stmt inspector.Cursor, ret *ast.ReturnStmt) bool {
	list := flow.StmtList(stmt.Parent().Node())
	if list == nil || flow.PosIn(ret.Pos(), stmt.Parent().Node()) {
		return false
	}
	switch list[len(list)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	}
	return false
}

// eventBefore reports whether lf releases (ev EvRelease) or reads to its
// end (EvDrain) the response in v before ret, in a block around ret: on
// the way to ret it is.
func eventBefore(c *checker, lf *flow.Func, ret *ast.ReturnStmt, v *types.Var, ev flow.Event) bool {
	for use := range identUses(c, lf.Cur(), v) {
		if use.Node().Pos() > ret.Pos() {
			break
		}
		if flow.EventOf(c.Classify(c.body, flow.StackOf(use, lf.Cur()), responsePlace, -1).Kind) != ev {
			continue
		}
		for stmt := use; stmt.Node() != nil && stmt != lf.Cur(); stmt = stmt.Parent() {
			if list := flow.StmtList(stmt.Parent().Node()); list != nil {
				if flow.PosIn(ret.Pos(), stmt.Parent().Node()) {
					return true // the release's statement is in a block around ret, before it
				}
				break
			}
		}
	}
	return false
}

// handledDirective marks a function whose responses are handled
// elsewhere, as bodyclose reads it: its callers are not held to close
// them.
//
//	//bodyclose:handled
//	func Get() (*http.Response, error) {
const handledDirective = "bodyclose:handled"

// handledByDirective reports whether the doc comment of fd holds the
// handledDirective.
func handledByDirective(fd *ast.FuncDecl) bool {
	if fd == nil || fd.Doc == nil {
		return false
	}
	for _, cm := range fd.Doc.List {
		if strings.TrimSpace(strings.TrimPrefix(cm.Text, "//")) == handledDirective {
			return true
		}
	}
	return false
}

// freshAt says when the response that call (in lf) produces under the
// condition w on the callee's parameters is fresh, in terms of lf's own
// parameters: always if the argument makes w hold or cannot be traced to
// them, not at all (false) if it makes w fail.
func freshAt(c *checker, lf *flow.Func, call *ast.CallExpr, w flow.Condition) (flow.Condition, bool) {
	if w.Param == 0 {
		return flow.Condition{}, true
	}
	if holds, known := c.HoldsAt(call, w); known {
		return flow.Condition{}, holds
	}
	return c.PassedCond(lf.Cur(), call, w), true
}

// noteProduced adds to produced the variables that lhs = rhs (in lf)
// binds to a producer's response.
func noteProduced(c *checker, lf *flow.Func, lhs, rhs []ast.Expr, produced map[*types.Var]fresh) {
	for _, r := range rhs {
		call, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok {
			continue
		}
		p := producer(c, flow.CalleeFunc(c.pass.TypesInfo, call), call)
		if p.idx < 0 {
			continue
		}
		when, ok := freshAt(c, lf, call, p.when)
		if !ok {
			continue // the callee closes the body for this argument
		}
		if isHead(c, lf.Cur(), call) {
			continue // no body
		}
		if when.Param == 0 {
			when = headCond(c, lf, call)
		}
		info := c.pass.TypesInfo
		l, errLHS := flow.PickLHS(lhs, rhs, call, flow.ResultTypes(info, call, flow.CalleeFunc(info, call)), p.idx)
		if id := flow.IdentOf(l); id != nil {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				fr, seen := produced[v]
				if !seen {
					fr = fresh{in: p.in, viaRT: true, when: when, at: call.Pos()}
				} else if fr.when != when {
					fr.when = flow.Condition{}
				}
				fr.viaRT = fr.viaRT && p.viaRT
				fr.withError = fr.withError || p.withError
				fr.errVar, _ = info.ObjectOf(flow.IdentOf(errLHS)).(*types.Var)
				produced[v] = fr
			}
		}
	}
}

// wrapsBody reports whether the use at the top of stack is part of
// resp.Body = wrap(resp.Body): the wrapper carries the body on.
func wrapsBody(stack []ast.Node, v *types.Var, info *types.Info) bool {
	for i := len(stack) - 2; i >= 0; i-- {
		as, ok := stack[i].(*ast.AssignStmt)
		if !ok {
			continue
		}
		if len(as.Lhs) != 1 || len(as.Rhs) != 1 || bodyOf(info, as.Lhs[0]) != v {
			return false
		}
		return flow.Mentions(info, as.Rhs[0], v)
	}
	return false
}

// bodyOf returns v if e is v.Body for a variable v.
func bodyOf(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return nil
	}
	id := flow.IdentOf(sel.X)
	if id == nil {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}

// nilWithoutError reports whether one of returns hands back nil as the
// result ri with a nil error (or with no error result at all): a
// wrapper that returns a stream only sometimes, by its own contract
// (go-github's DownloadReleaseAsset returns the redirect's URL
// instead), whose callers cannot tell from the error that they got one.
func nilWithoutError(c *checker, results *types.Tuple, ri int, returns []*ast.ReturnStmt) bool {
	info := c.pass.TypesInfo
	last := results.Len() - 1
	withErr := flow.IsErrorType(results.At(last).Type())
	for _, ret := range returns {
		if len(ret.Results) != results.Len() || !flow.IsNil(info, ret.Results[ri]) {
			continue
		}
		if !withErr || flow.IsNil(info, ret.Results[last]) {
			return true
		}
	}
	return false
}

// returnsBody reports whether a return of lf gives, as its result ri, a
// field named Body (return resp.Body, nil): the cheap test before a
// stream wrapper's summary.
func returnsBody(lf *flow.Func, ri int) bool {
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if len(ret.Results) > ri {
			if sel, ok := ast.Unparen(ret.Results[ri]).(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
				return true
			}
		}
	}
	return false
}

// isAny reports whether t is the empty interface.
func isAny(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	return ok && iface.Empty()
}
