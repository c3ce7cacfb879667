package analyzer

import (
	"go/ast"
	"go/types"
	"iter"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what the summaries of functions say for the body
// check: the parameters a function only reads (or closes only under a
// condition on another parameter), and a result that hands the caller a
// fresh response (maybe only under a condition).

// summarizeBodyParams records in f the parameters of lf, of a type that
// could take over a response or its Body, that it only reads, or closes
// only under a test of another parameter.
func summarizeBodyParams(c *checker, lf *localFunc, f *funcFact) {
	sig := lf.fn.Signature()
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if sig.Variadic() && i == params.Len()-1 {
			continue // a variadic parameter: left unknown
		}
		if !carriesOwnership(p.Type(), c.http) {
			continue // callers can see from the type that it only reads
		}
		if p.Name() == "" || p.Name() == "_" {
			f.Params = append(f.Params, paramFact{Index: i, Kind: kindBody, Effect: effBorrows})
			continue
		}
		eff, when := bodyParamEffect(c, lf, i, p)
		if eff == 0 && releasesOnError(c, lf, p) {
			eff = effReleasesOnError
		}
		if eff == 0 {
			if r, at, ok := wrapsCloser(c, lf, p); ok {
				f.Params = append(f.Params, paramFact{Index: i, Kind: kindBody, Effect: effReturns, Result: r, Path: strings.Join(at, ".")})
				continue
			}
		}
		if eff != 0 {
			f.Params = append(f.Params, paramFact{Index: i, Kind: kindBody, Effect: eff, When: when})
		}
	}
}

// bodyParamEffect says what lf does with the response or closer in its
// parameter p (the i-th): only reads it; releases it only when another
// parameter passes a test, and only reads it otherwise; replaces its Body
// without closing it (the caller's later close closes the replacement);
// or anything.
//
//	func decode(resp *http.Response, out any) error {
//		if out == nil {
//			return nil // the caller keeps the body
//		}
//		defer resp.Body.Close()
func bodyParamEffect(c *checker, lf *localFunc, i int, p *types.Var) (effect, condition) {
	at := place{}
	if isResponse(p.Type()) {
		at = responsePlace
	}
	var when condition
	replaces := false
	for use := range identUses(c, lf.cur, p) {
		stack := stackOf(use, lf.cur)
		switch u := c.classify(bodySpec{}, stack, at, -1); u.kind {
		case useRead:
			continue
		case useReplace:
			if !wrapsBody(stack, p, c.pass.TypesInfo) {
				replaces = true
				continue
			}
		case useRelease:
			if w, ok := c.guard(lf.cur, use); ok && w.Param != i+1 && (when.Param == 0 || w == when) {
				when = w
				continue
			}
		}
		return 0, condition{}
	}
	switch {
	case replaces && when.Param == 0:
		return effReplaces, condition{}
	case replaces:
		return 0, condition{}
	case when.Param != 0:
		return effReleases, when
	}
	return effBorrows, condition{}
}

// wrapsCloser returns the result of lf that carries on the resource in
// its parameter p, and where it sits in it: a closer wrapped by a result
// that closes it when closed itself, as http.MaxBytesReader does (p goes
// into what lf returns, and that result has a Close method; io.NopCloser
// takes an io.Reader: it cannot close what it wraps), or a response put
// in a library's response type that holds one.
//
//	func newResponse(r *http.Response) *Response { return &Response{Response: r} }
func wrapsCloser(c *checker, lf *localFunc, p *types.Var) (int, place, bool) {
	at, mode := place{}, trustCalls
	if isResponse(p.Type()) {
		at, mode = responsePlace, 0 // any call it goes to may close it
	}
	fl := c.followVar(bodySpec{}, lf.cur, p, at, mode)
	results := lf.fn.Signature().Results()
	if !fl.returned || fl.returnedTwice || fl.escapes || fl.released || fl.returnedIn < 0 || fl.returnedIn >= results.Len() {
		return 0, nil, false
	}
	t := results.At(fl.returnedIn).Type()
	if isResponse(p.Type()) {
		field, ok := responseField(t)
		return fl.returnedIn, fl.returnedAt, ok && slices.Equal(fl.returnedAt, place{field, "Body"})
	}
	return fl.returnedIn, nil, hasCloseMethod(t)
}

// responseField returns the exported field of the struct that t is, or
// points to, that holds a *http.Response, embedded or not: a library's
// response type (go-github's Response embeds one), whose users close the
// body through that field. A struct with two such fields has none (which
// one holds the fresh response cannot be told from the type), nor has one
// with a Close method of its own.
func responseField(t types.Type) (string, bool) {
	if hasCloseMethod(t) {
		return "", false
	}
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if _, ok := types.Unalias(t).(*types.Named); !ok {
		return "", false
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return "", false
	}
	name := ""
	for i := range st.NumFields() {
		if isResponse(st.Field(i).Type()) {
			if name != "" || !st.Field(i).Exported() {
				return "", false
			}
			name = st.Field(i).Name()
		}
	}
	return name, name != ""
}

// releasesOnError reports whether lf releases the response in its
// parameter p only on the paths that return a non-nil error: every path
// that returns with it open returns a nil error (and some path does not
// leave it open), as consul's requireOK does:
//
//	func requireOK(resp *http.Response) error {
//		if resp.StatusCode == 200 {
//			return nil
//		}
//		resp.Body.Close()
//		return fmt.Errorf("unexpected status %d", resp.StatusCode)
//	}
func releasesOnError(c *checker, lf *localFunc, p *types.Var) bool {
	results := lf.fn.Signature().Results()
	if !isResponse(p.Type()) || results.Len() == 0 || !isErrorType(results.At(results.Len()-1).Type()) {
		return false
	}
	t := &pathSearch{
		tracked: tracked{c: c, s: bodySpec{}, v: p, at: responsePlace},
		g:       c.graph(lf.decl.Body),
		sig:     lf.decl.Type,
		all:     true,
	}
	t.searchEntry()
	if !t.done && !t.passedOnErr || len(t.leaks) == 0 && !t.passedOnErr {
		return false // it never releases it, or always does
	}
	for _, l := range t.leaks {
		if l.ret == nil || len(l.ret.Results) != results.Len() || !isNil(c.pass.TypesInfo, l.ret.Results[results.Len()-1]) {
			return false // open where the error may not be nil, or leaves otherwise
		}
	}
	return true
}

// identUses yields the identifiers in the function at fn that use v.
// (Unlike flowIndex.usesOf, it keeps no index: summaries look at few
// variables of each function.)
func identUses(c *checker, fn inspector.Cursor, v *types.Var) iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if id := cur.Node().(*ast.Ident); id.Name == v.Name() && c.pass.TypesInfo.Uses[id] == v && !yield(cur) {
				return
			}
		}
	}
}

// A fresh is a variable that holds a response from a producer, as
// summarizeResponse sees it: whether it only comes from an
// http.RoundTripper, and under which condition on the function's
// parameters it is fresh (always if none).
type fresh struct {
	in        place // where the response sits in it: nil if it is one, or a field of a library's response type
	viaRT     bool
	when      condition
	withError bool       // the producer may return it with a non-nil error
	errVar    *types.Var // the error the producer's call returned with it, if bound
}

// merge returns what out (nil if nothing yet) and fr, the responses that
// two returns hand the caller, have in common.
func (out *fresh) merge(fr fresh) *fresh {
	if out == nil {
		return &fr
	}
	out.viaRT = out.viaRT && fr.viaRT
	out.withError = out.withError || fr.withError
	if out.when != fr.when {
		out.when = condition{} // fresh under different conditions: say always
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
func summarizeResponse(c *checker, lf *localFunc, f *funcFact) {
	if handledByDirective(lf.decl) {
		return // its callers are not held to close what it returns
	}
	results := lf.fn.Signature().Results()
	ri, holder := -1, -1
	for i := range results.Len() {
		if isResponse(results.At(i).Type()) {
			ri = i
			break
		}
		if _, ok := responseField(results.At(i).Type()); ok && holder < 0 {
			holder = i
		}
	}
	if ri < 0 && holder < 0 {
		return
	}
	info := c.pass.TypesInfo
	produced := make(map[*types.Var]fresh) // variables bound to a producer's response
	var returns []*ast.ReturnStmt
	ast.Inspect(lf.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = append(returns, n)
		case *ast.AssignStmt:
			noteProduced(c, lf, n.Lhs, n.Rhs, produced)
		case *ast.ValueSpec:
			noteProduced(c, lf, specLHS(n), n.Values, produced)
		}
		return true
	})
	if ri < 0 {
		summarizeHolder(c, lf, f, holder, produced, returns)
		return
	}
	for v, fr := range produced {
		spent, when := spentBefore(c, lf, v)
		if spent {
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
			p := producer(c, calleeFunc(info, call))
			if p.idx != ri && (p.idx != 0 || len(ret.Results) == 1 && results.Len() > 1) {
				continue
			}
			when, ok := freshAt(c, lf, call, p.when)
			if !ok {
				continue
			}
			fr = fresh{viaRT: p.viaRT, when: when, withError: p.withError}
		case v != nil:
			var ok bool
			if fr, ok = produced[v]; !ok {
				continue
			}
			fr.withError = fr.withError || returnsWithError(c, ret, fr.errVar, results.Len()) && !releasedBefore(c, lf, ret, v)
		default:
			continue
		}
		out = out.merge(fr)
	}
	if out != nil {
		f.Results = append(f.Results, resultFact{Index: ri, Kind: kindBody, ViaRoundTripper: out.viaRT, When: out.when, WithError: out.withError})
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
func summarizeHolder(c *checker, lf *localFunc, f *funcFact, ri int, produced map[*types.Var]fresh, returns []*ast.ReturnStmt) {
	results := lf.fn.Signature().Results()
	field, _ := responseField(results.At(ri).Type())
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
		p := producer(c, calleeFunc(c.pass.TypesInfo, call))
		if p.idx != ri || !slices.Equal(p.in, place{field}) {
			continue
		}
		if when, ok := freshAt(c, lf, call, p.when); ok {
			out = out.merge(fresh{viaRT: p.viaRT, when: when})
		}
	}
	for v, fr := range produced {
		fl := c.followVar(bodySpec{}, lf.cur, v, append(slices.Clip(fr.in), responsePlace...), 0)
		if fl.escapes || fl.replaced || !fl.returned || fl.returnedTwice || fl.returnedIn != ri || !slices.Equal(fl.returnedAt, place{field, "Body"}) {
			return // it may go elsewhere, or be returned as it is
		}
		for _, n := range fl.releases {
			if cur, ok := lf.cur.FindNode(n); !ok || !onErrorPath(stackOf(cur, lf.cur), v, c.pass.TypesInfo) {
				return
			}
		}
		out = out.merge(fresh{viaRT: fr.viaRT, when: fr.when})
	}
	if out != nil {
		f.Results = append(f.Results, resultFact{Index: ri, Kind: kindBody, Path: field, ViaRoundTripper: out.viaRT, When: out.when})
	}
}

// returnsWithError reports whether ret returns the response with an
// error that may not be nil: not nil itself, nor errVar, the error that
// came with the response (a non-nil one means no response).
//
//	if resp.StatusCode >= 400 {
//		return resp, fmt.Errorf("status %d", resp.StatusCode)
func returnsWithError(c *checker, ret *ast.ReturnStmt, errVar *types.Var, n int) bool {
	if len(ret.Results) != n || n < 2 {
		return false
	}
	e := ret.Results[n-1]
	if !isErrorType(c.pass.TypesInfo.TypeOf(e)) || isNil(c.pass.TypesInfo, e) {
		return false
	}
	if id := identOf(e); id != nil && errVar != nil && c.pass.TypesInfo.Uses[id] == errVar {
		return false
	}
	return true
}

// releasedBefore reports whether lf releases the response in v before
// ret, in a block around ret: on the way to ret it is released.
func releasedBefore(c *checker, lf *localFunc, ret *ast.ReturnStmt, v *types.Var) bool {
	for use := range identUses(c, lf.cur, v) {
		if use.Node().Pos() > ret.Pos() {
			break
		}
		if eventOf(c.classify(bodySpec{}, stackOf(use, lf.cur), responsePlace, -1).kind) != evRelease {
			continue
		}
		for stmt := use; stmt.Node() != nil && stmt != lf.cur; stmt = stmt.Parent() {
			if list := stmtList(stmt.Parent().Node()); list != nil {
				if posIn(ret.Pos(), stmt.Parent().Node()) {
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
	if fd.Doc == nil {
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
func freshAt(c *checker, lf *localFunc, call *ast.CallExpr, w condition) (condition, bool) {
	if w.Param == 0 {
		return condition{}, true
	}
	if holds, known := c.holdsAt(call, w); known {
		return condition{}, holds
	}
	return c.passedCond(lf.cur, call, w), true
}

// spentBefore reports whether lf may close, replace the Body of, or hand
// off the response in v other than by returning it; or, if it closes it
// only under a test of a parameter, the condition under which it does not.
func spentBefore(c *checker, lf *localFunc, v *types.Var) (bool, condition) {
	info := c.pass.TypesInfo
	var closed condition // the test under which it closes it
	for use := range identUses(c, lf.cur, v) {
		stack := stackOf(use, lf.cur)
		switch eventOf(c.classify(bodySpec{}, stack, responsePlace, -1).kind) {
		case evRelease:
			if onErrorPath(stack, v, info) {
				continue
			}
			if w, ok := c.guard(lf.cur, use); ok && (closed.Param == 0 || w == closed) {
				closed = w
				continue
			}
			return true, condition{}
		case evHandoff, evReplace:
			_, returned := stack[len(stack)-2].(*ast.ReturnStmt)
			if !returned && !wrapsBody(stack, v, info) {
				return true, condition{}
			}
		}
	}
	if closed.Param != 0 {
		return false, closed.not()
	}
	return false, condition{}
}

// noteProduced adds to produced the variables that lhs = rhs (in lf)
// binds to a producer's response.
func noteProduced(c *checker, lf *localFunc, lhs, rhs []ast.Expr, produced map[*types.Var]fresh) {
	for _, r := range rhs {
		call, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok {
			continue
		}
		p := producer(c, calleeFunc(c.pass.TypesInfo, call))
		if p.idx < 0 {
			continue
		}
		when, ok := freshAt(c, lf, call, p.when)
		if !ok {
			continue // the callee closes the body for this argument
		}
		info := c.pass.TypesInfo
		l, errLHS := pickLHS(lhs, rhs, call, resultTypes(info, call, calleeFunc(info, call)), p.idx)
		if id := identOf(l); id != nil {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				fr, seen := produced[v]
				if !seen {
					fr = fresh{in: p.in, viaRT: true, when: when}
				} else if fr.when != when {
					fr.when = condition{}
				}
				fr.viaRT = fr.viaRT && p.viaRT
				fr.withError = fr.withError || p.withError
				fr.errVar, _ = info.ObjectOf(identOf(errLHS)).(*types.Var)
				produced[v] = fr
			}
		}
	}
}

// onErrorPath reports whether the close at the top of stack (whose
// bottom is the function's body) sits, not deferred, in a nested block
// that ends by returning something other than v:
//
//	if resp.StatusCode != 200 {
//		resp.Body.Close()
//		return nil, err
//	}
func onErrorPath(stack []ast.Node, v *types.Var, info *types.Info) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.DeferStmt, *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			if i == 0 || len(n.List) == 0 {
				return false // the function's own body: the close always runs
			}
			ret, ok := n.List[len(n.List)-1].(*ast.ReturnStmt)
			if !ok {
				return false
			}
			for _, r := range ret.Results {
				if id := identOf(r); id != nil && info.Uses[id] == v {
					return false
				}
			}
			return true
		}
	}
	return false
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
		return mentions(info, as.Rhs[0], v)
	}
	return false
}

// bodyOf returns v if e is v.Body for a variable v.
func bodyOf(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return nil
	}
	id := identOf(sel.X)
	if id == nil {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}
