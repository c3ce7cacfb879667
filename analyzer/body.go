package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// This file holds the body check: a response whose Body is not closed on
// some path where the response is non-nil.
//
// For each call that produces a response (http.Get, Client.Do, a
// RoundTrip, or a function whose summary says it returns a fresh
// response), the check looks at what happens to the result:
//
//	http.Get(u)                  // dropped: reported
//	_, err := http.Get(u)        // discarded: reported
//	return http.Get(u)           // handed to the caller: fine
//	resp, err := http.Get(u)     // tracked along the control-flow graph
//
// A tracked response leaks when a path from the call reaches a return,
// the end of its scope (a loop's next iteration) or an assignment that
// overwrites it, with the response still open and possibly non-nil. Any
// other use that can transfer ownership (returning, storing, sending,
// capturing in a closure, passing it to a function that may close it)
// ends the search on that path: precision comes first.

// producer returns the index of the result of call that is a fresh
// response the caller must close, or -1 if call produces none. In a test
// file, a response that comes only from an http.RoundTripper interface
// is left alone: tests routinely fake round trippers with canned,
// body-less responses.
func (c *checker) producer(call *ast.CallExpr, fn *types.Func) int {
	idx, viaRT := c.produceBy(fn)
	if viaRT && strings.HasSuffix(c.pass.Fset.File(call.Pos()).Name(), "_test.go") {
		return -1
	}
	return idx
}

// produce returns the index of the result of call that is a fresh
// response (-1 if none), and whether it comes only from an
// http.RoundTripper interface.
func (c *checker) produce(call *ast.CallExpr) (int, bool) {
	return c.produceBy(calleeFunc(c.pass.TypesInfo, call))
}

// produceBy is produce for a call of fn (nil if unknown).
func (c *checker) produceBy(fn *types.Func) (int, bool) {
	if fn == nil {
		return -1, false
	}
	// Head is left out: a HEAD response has no body (http.NoBody), and
	// its connection returns to the pool without a Close.
	const retryable = "github.com/hashicorp/go-retryablehttp"
	switch {
	case isFunc(fn, "net/http", "Get", "Post", "PostForm"),
		isMethod(fn, "net/http", "Client", "Do", "Get", "Post", "PostForm"),
		isMethod(fn, "net/http", "Transport", "RoundTrip"),
		isFunc(fn, retryable, "Get", "Post", "PostForm"),
		isMethod(fn, retryable, "Client", "Do", "Get", "Post", "PostForm"):
		return 0, false
	case isMethod(fn, "net/http", "RoundTripper", "RoundTrip"):
		return 0, true
	case isFunc(fn, "net/http", "Head"), isMethod(fn, "net/http", "Client", "Head"):
		return -1, false
	}
	f := c.summary(fn)
	return f.Response - 1, f.ViaRoundTripper
}

// resultTypes returns the types of the results of call, a call of fn
// (nil if unknown): from fn's signature, without a lookup in the type
// checker's map of expressions, unless fn is generic.
func resultTypes(info *types.Info, call *ast.CallExpr, fn *types.Func) *types.Tuple {
	if fn != nil {
		if sig := fn.Signature(); sig.TypeParams().Len() == 0 && sig.RecvTypeParams().Len() == 0 {
			return sig.Results()
		}
	}
	t, _ := info.TypeOf(call).(*types.Tuple)
	return t
}

// responseResult returns the index of the result of call whose type is
// *http.Response, or -1.
func responseResult(info *types.Info, call *ast.CallExpr) int {
	switch t := info.TypeOf(call).(type) {
	case *types.Tuple:
		for i := range t.Len() {
			if isResponse(t.At(i).Type()) {
				return i
			}
		}
	default:
		if t != nil && isResponse(t) {
			return 0
		}
	}
	return -1
}

// checkResponse follows the response produced by call (result idx)
// through its immediate context and, if it is bound to a local variable,
// along the control-flow graph.
func (c *checker) checkResponse(cur path, call *ast.CallExpr, fn *types.Func, idx int, flows map[*ast.BlockStmt]*flowGraph) {
	info := c.pass.TypesInfo
	origin := call
	// Climb through parentheses and pass-through calls such as
	// must(http.Get(u)), whose result carries the response on.
	for {
		parent := cur.parent()
		switch p := parent.node().(type) {
		case *ast.ParenExpr:
			cur = parent
			continue
		case *ast.CallExpr:
			arg := slices.Index(p.Args, cur.node().(ast.Expr))
			if arg < 0 {
				return // the response's method value is called: unusual, stay quiet
			}
			if j := responseResult(info, p); j >= 0 {
				cur, call, fn, idx = parent, p, nil, j
				continue
			}
			if c.argsBorrowed(p, arg, call) {
				c.reportDropped(origin, fmt.Sprintf("is passed to %s, which does not close it, and then dropped", types.ExprString(p.Fun)))
			}
			return // handed to the callee
		}
		break
	}

	if c.bodylessTestServer(cur) {
		return // the test's own server never sends a body
	}

	var lhs ast.Expr // where the response is stored
	var errLHS ast.Expr
	switch p := cur.parent().node().(type) {
	case *ast.ExprStmt:
		c.reportDropped(origin, "is dropped")
		return
	case *ast.GoStmt:
		c.reportDropped(origin, "is dropped by the go statement")
		return
	case *ast.DeferStmt:
		c.reportDropped(origin, "is dropped by the defer statement")
		return
	case *ast.AssignStmt:
		lhs, errLHS = pickLHS(p.Lhs, p.Rhs, call, resultTypes(info, call, fn), idx)
	case *ast.ValueSpec:
		names := make([]ast.Expr, len(p.Names))
		for i, n := range p.Names {
			names[i] = n
		}
		lhs, errLHS = pickLHS(names, p.Values, call, resultTypes(info, call, fn), idx)
	default:
		return // returned, stored in a literal, sent...: handed off
	}
	id, ok := lhs.(*ast.Ident)
	if !ok {
		return // stored in a field, map or through a pointer: handed off
	}
	if id.Name == "_" {
		if c.examinesFailure(cur, errLHS) {
			return // the call is expected to fail, so there is no response
		}
		c.reportDropped(origin, "is discarded with _")
		return
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return
	}
	body, sig := enclosingBody(cur)
	if body == nil || v.Pos() < sig.Pos() || v.Pos() >= body.End() {
		return // a variable of an enclosing function or the package outlives this call
	}
	errID := identOf(errLHS)
	if errID != nil && errID.Name == "_" {
		errID = nil
	}
	stmt := cur.parent().node() // the assignment or var spec
	following := cur.parent().following()
	if c.closedAfterCheck(following, v, errID) {
		return // the idiom: no need to search
	}
	var errVar *types.Var
	if errID != nil {
		errVar, _ = info.ObjectOf(errID).(*types.Var)
	}
	g := flows[body]
	if g == nil {
		g = c.newFlowGraph(body)
		flows[body] = g
	}
	t := &tracker{c: c, g: g, v: v, errVar: errVar, sig: sig}
	leak, handled := t.search(stmt)
	if leak == nil {
		return
	}
	where := "" // the function, so that findings in different functions read differently
	if fd, ok := cur.decl().(*ast.FuncDecl); ok {
		where = " in " + funcName(fd)
	}
	d := analysis.Diagnostic{
		Pos:      origin.Pos(),
		End:      origin.End(),
		Category: checkBody,
		Message: fmt.Sprintf("%s.Body is not closed on every path%s: the connection leaks (it never returns to the pool, and sits in CLOSE_WAIT once the server hangs up); close it, e.g. defer %s.Body.Close() after the error check",
			v.Name(), where, v.Name()),
		Related: []analysis.RelatedInformation{{Pos: leak.pos, Message: leak.message(v.Name())}},
	}
	if !handled {
		d.SuggestedFixes = c.deferCloseFix(stmt, following, v, errID)
	}
	c.report(d)
}

// funcName returns how messages name the function fd declares: "f", or
// "T.m" for a method of T.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	for recv := fd.Recv.List[0].Type; ; { // *T, T[P], (T): down to T
		switch t := recv.(type) {
		case *ast.StarExpr:
			recv = t.X
		case *ast.ParenExpr:
			recv = t.X
		case *ast.IndexExpr:
			recv = t.X
		case *ast.IndexListExpr:
			recv = t.X
		case *ast.Ident:
			return t.Name + "." + fd.Name.Name
		default:
			return fd.Name.Name
		}
	}
}

// bodylessTestServer reports whether cur is in a test function whose
// httptest servers all answer without a body:
//
//	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		w.WriteHeader(http.StatusNoContent)
//	}))
func (c *checker) bodylessTestServer(cur path) bool {
	if !strings.HasSuffix(c.pass.Fset.File(cur.node().Pos()).Name(), "_test.go") {
		return false
	}
	fd, ok := cur.decl().(*ast.FuncDecl)
	if !ok || fd.Body == nil {
		return false
	}
	info := c.pass.TypesInfo
	servers, bodyless := 0, 0
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !isFunc(calleeFunc(info, call), "net/http/httptest", "NewServer", "NewTLSServer", "NewUnstartedServer") || len(call.Args) != 1 {
			return true
		}
		servers++
		h := ast.Unparen(call.Args[0])
		if conv, ok := h.(*ast.CallExpr); ok && len(conv.Args) == 1 {
			h = ast.Unparen(conv.Args[0]) // http.HandlerFunc(func...)
		}
		if lit, ok := h.(*ast.FuncLit); ok && c.writesNoBody(lit) {
			bodyless++
		}
		return true
	})
	return servers > 0 && servers == bodyless
}

// writesNoBody reports whether the handler lit only sets headers and a
// status of 204 or 304 on its ResponseWriter.
func (c *checker) writesNoBody(lit *ast.FuncLit) bool {
	params := lit.Type.Params.List
	if len(params) == 0 || len(params[0].Names) == 0 {
		return false
	}
	info := c.pass.TypesInfo
	w := info.Defs[params[0].Names[0]]
	status, other := false, false
	var stack []ast.Node
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || w == nil || info.Uses[id] != w {
			return true
		}
		sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
		if !ok || len(stack) < 3 {
			other = true
			return true
		}
		call, ok := stack[len(stack)-3].(*ast.CallExpr)
		switch {
		case ok && sel.Sel.Name == "Header":
		case ok && sel.Sel.Name == "WriteHeader" && len(call.Args) == 1:
			if tv := info.Types[call.Args[0]]; tv.Value != nil && (tv.Value.ExactString() == "204" || tv.Value.ExactString() == "304") {
				status = true
			} else {
				other = true
			}
		default:
			other = true
		}
		return true
	})
	return status && !other
}

// reportDropped reports a response that is never bound to a variable.
func (c *checker) reportDropped(call *ast.CallExpr, what string) {
	c.report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: checkBody,
		Message: fmt.Sprintf("the response of %s %s, so its Body is never closed: the connection leaks; assign it and close its Body (defer resp.Body.Close() after the error check)",
			types.ExprString(call.Fun), what),
	})
}

// pickLHS returns the left-hand sides that receive result idx of call
// (the response) and its error result, in an assignment lhs = rhs.
// results are the types of the call's results (nil: the error is not
// wanted).
func pickLHS(lhs, rhs []ast.Expr, call *ast.CallExpr, results *types.Tuple, idx int) (resp, err ast.Expr) {
	if len(rhs) == 1 && len(lhs) > 1 {
		if idx < len(lhs) {
			resp = lhs[idx]
		}
		for i := range results.Len() {
			if i < len(lhs) && isErrorType(results.At(i).Type()) {
				err = lhs[i]
			}
		}
		return resp, err
	}
	for i, r := range rhs {
		if ast.Unparen(r) == call && i < len(lhs) {
			return lhs[i], nil
		}
	}
	return nil, nil
}

// examinesFailure reports whether the code right after a call whose
// response is discarded looks at its error in a way other than "did it
// succeed": a test expecting the call to fail (if err == nil, errors.Is,
// comparing the message, require.Error, assert.ErrorContains). There is
// no response to close then.
func (c *checker) examinesFailure(cur path, errLHS ast.Expr) bool {
	errID := identOf(errLHS)
	if errID == nil || errID.Name == "_" {
		return false
	}
	info := c.pass.TypesInfo
	errObj := info.ObjectOf(errID)
	stmt, ok := cur.parent().node().(ast.Stmt)
	if !ok {
		return false
	}
	looksAtErr := func(n ast.Node) bool { return n != nil && n != stmt && mentions(info, n, errObj) }
	// The first of the next few statements that looks at err says how.
	var next ast.Stmt
	if p, ok := cur.parent().parent().node().(*ast.IfStmt); ok && p.Init == stmt {
		next = p
	} else {
		following := cur.parent().following()
		for _, s := range following[:min(5, len(following))] {
			if looksAtErr(s) {
				next = s
				break
			}
		}
	}
	switch next := next.(type) {
	case *ast.IfStmt:
		if isErrCheck(info, next.Cond, errObj) {
			return false // if err != nil: the success path drops the response
		}
		return looksAtErr(next.Init) || looksAtErr(next.Cond)
	case *ast.ExprStmt:
		// An assertion on err: require.NoError(t, err) and
		// assert.Nil(t, err) expect success, the others (require.Error,
		// assert.ErrorIs, assert.NotNil...) expect a failure.
		call, ok := ast.Unparen(next.X).(*ast.CallExpr)
		if !ok || !looksAtErr(call) {
			return false
		}
		name := ""
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			name = fun.Sel.Name
		case *ast.Ident:
			name = fun.Name
		}
		return !strings.Contains(name, "NoError") && !strings.HasSuffix(name, "Nil") || strings.HasSuffix(name, "NotNil")
	}
	return false
}

// isErrCheck reports whether cond is "err != nil" for the variable err.
func isErrCheck(info *types.Info, cond ast.Expr, err types.Object) bool {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ || err == nil {
		return false
	}
	x := identOf(bin.X)
	return x != nil && x.Name == err.Name() && isNil(info, bin.Y) && info.Uses[x] == err
}

// errCheckAfter returns s if it is "if err != nil { ... }", without an
// init statement or an else branch, for the error variable errID that
// the statement just before s assigned; nil otherwise.
//
// As the two statements follow one another in one list, and the if has
// no init statement, err in its condition names that variable: comparing
// names is enough, and cheaper than looking objects up in big maps.
func (c *checker) errCheckAfter(s ast.Stmt, errID *ast.Ident) *ast.IfStmt {
	ifs, ok := s.(*ast.IfStmt)
	if !ok || errID == nil || ifs.Init != nil || ifs.Else != nil {
		return nil
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || !sameName(cond.X, errID.Name) || !isNil(c.pass.TypesInfo, cond.Y) {
		return nil
	}
	return ifs
}

// closedAfterCheck reports whether the statement that binds the response
// to v, and the call's error to errID, is followed by the idiom
//
//	if err != nil {
//		return err
//	}
//	defer v.Body.Close()
//
// The search along the control-flow graph would find nothing there: it
// does not enter the if (the call failed, there is no response), and
// every other path runs the defer. Most responses are handled so. (The
// defer, like the if, names the variable that the first statement
// assigned.)
func (c *checker) closedAfterCheck(following []ast.Stmt, v *types.Var, errID *ast.Ident) bool {
	if len(following) < 2 || !isResponse(v.Type()) || c.errCheckAfter(following[0], errID) == nil {
		return false
	}
	d, ok := following[1].(*ast.DeferStmt)
	if !ok || len(d.Call.Args) != 0 {
		return false
	}
	closeFn, ok := ast.Unparen(d.Call.Fun).(*ast.SelectorExpr)
	if !ok || closeFn.Sel.Name != "Close" {
		return false
	}
	body, ok := ast.Unparen(closeFn.X).(*ast.SelectorExpr)
	return ok && body.Sel.Name == "Body" && sameName(body.X, v.Name())
}

// sameName reports whether e is an identifier (in parentheses or not)
// named name.
func sameName(e ast.Expr, name string) bool {
	id := identOf(e)
	return id != nil && id.Name == name
}

// enclosingBody returns the body and signature of the innermost
// function declaration or literal around cur.
func enclosingBody(cur path) (*ast.BlockStmt, *ast.FuncType) {
	for i := len(cur.nodes) - 1; i >= 0; i-- {
		switch f := cur.nodes[i].(type) {
		case *ast.FuncDecl:
			return f.Body, f.Type
		case *ast.FuncLit:
			return f.Body, f.Type
		}
	}
	return nil, nil
}

// isResultOf reports whether v is a named result declared in sig.
func isResultOf(v *types.Var, sig *ast.FuncType) bool {
	return sig != nil && sig.Results != nil && sig.Results.Pos() <= v.Pos() && v.Pos() < sig.Results.End()
}

// deferCloseFix offers to insert "defer v.Body.Close()" after the
// "if err != nil { ... }" that directly follows the call's statement.
func (c *checker) deferCloseFix(stmt ast.Node, following []ast.Stmt, v *types.Var, errID *ast.Ident) []analysis.SuggestedFix {
	if len(following) == 0 {
		return nil
	}
	ifs := c.errCheckAfter(following[0], errID)
	if ifs == nil {
		return nil
	}
	col := c.pass.Fset.Position(stmt.Pos()).Column
	text := "\n" + strings.Repeat("\t", col-1) + "defer " + v.Name() + ".Body.Close()"
	return []analysis.SuggestedFix{{
		Message:   "Close the body with defer " + v.Name() + ".Body.Close() after the error check",
		TextEdits: []analysis.TextEdit{{Pos: ifs.End(), End: ifs.End(), NewText: []byte(text)}},
	}}
}

// summarizeBorrows records in f the parameters of fn, of a type that
// could take over a response or its Body, that fn only reads.
func (c *checker) summarizeBorrows(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {
	sig := fn.Signature()
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if sig.Variadic() && i == params.Len()-1 {
			continue // a variadic parameter: left unknown
		}
		if !carriesOwnership(p.Type(), c.http) {
			continue // callers can see from the type that it only reads
		}
		if p.Name() == "" || p.Name() == "_" || c.onlyReads(fd, p) {
			f.Borrows = append(f.Borrows, i)
		}
	}
}

// onlyReads reports whether every use of parameter p in fd reads it.
func (c *checker) onlyReads(fd *ast.FuncDecl, p *types.Var) bool {
	t := &tracker{c: c, v: p, closer: !isResponse(p.Type())}
	reads := true
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		if x == nil {
			t.stack = t.stack[:len(t.stack)-1]
			return true
		}
		t.stack = append(t.stack, x)
		if id, ok := x.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == p {
			if k, _ := t.classify(t.stack); k != useRead {
				reads = false
			}
		}
		return reads
	})
	return reads
}

// summarizeResponse records in f the result of fn that hands a fresh
// response to its caller: one it got from a producer and returns without
// having given it to anyone else on the way. A response that fn closes
// (except on an error path that returns something else), replaces the
// Body of, or passes to code that may close it is not fresh: whether the
// caller must close it then depends on paths we cannot see (bodyclose
// #76).
func (c *checker) summarizeResponse(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {
	results := fn.Signature().Results()
	ri := -1
	for i := range results.Len() {
		if isResponse(results.At(i).Type()) {
			ri = i
			break
		}
	}
	if ri < 0 {
		return
	}
	info := c.pass.TypesInfo
	produced := make(map[*types.Var]bool) // variables bound to a producer's response: via a RoundTripper only?
	var returns []*ast.ReturnStmt
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = append(returns, n)
		case *ast.AssignStmt:
			c.noteProduced(n.Lhs, n.Rhs, produced)
		case *ast.ValueSpec:
			names := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				names[i] = id
			}
			c.noteProduced(names, n.Values, produced)
		}
		return true
	})
	for v := range produced {
		if c.spentBefore(fd, v) {
			delete(produced, v)
		}
	}
	viaRT := true // every fresh response returned comes from a RoundTripper
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
		switch {
		case call != nil:
			idx, rt := c.produce(call)
			if idx != ri && (idx != 0 || len(ret.Results) == 1 && results.Len() > 1) {
				continue
			}
			f.Response, viaRT = ri+1, viaRT && rt
		case v != nil:
			rt, ok := produced[v]
			if !ok {
				continue
			}
			f.Response, viaRT = ri+1, viaRT && rt
		}
	}
	f.ViaRoundTripper = f.Response > 0 && viaRT
}

// spentBefore reports whether fd may close, replace the Body of, or hand
// off the response in v other than by returning it.
func (c *checker) spentBefore(fd *ast.FuncDecl, v *types.Var) bool {
	t := &tracker{c: c, v: v}
	spent := false
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		if spent {
			return false
		}
		if x == nil {
			t.stack = t.stack[:len(t.stack)-1]
			return true
		}
		t.stack = append(t.stack, x)
		id, ok := x.(*ast.Ident)
		if !ok || c.pass.TypesInfo.Uses[id] != v {
			return true
		}
		switch k, _ := t.classify(t.stack); k {
		case useClose:
			spent = !onErrorPath(t.stack, v, c.pass.TypesInfo)
		case useHandoff:
			_, returned := t.stack[len(t.stack)-2].(*ast.ReturnStmt)
			spent = !returned && !wrapsBody(t.stack, v, c.pass.TypesInfo)
		}
		return true
	})
	return spent
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

// noteProduced adds to produced the variables that lhs = rhs binds to
// a producer's response, with whether it comes only from a RoundTripper.
func (c *checker) noteProduced(lhs, rhs []ast.Expr, produced map[*types.Var]bool) {
	for _, r := range rhs {
		call, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok {
			continue
		}
		idx, viaRT := c.produce(call)
		if idx < 0 {
			continue
		}
		l, _ := pickLHS(lhs, rhs, call, nil, idx)
		if id := identOf(l); id != nil {
			if v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var); ok {
				rt, seen := produced[v]
				produced[v] = viaRT && (rt || !seen)
			}
		}
	}
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
