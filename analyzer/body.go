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
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
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
//	resp, err := http.Get(u)     // searched along the control-flow graph
//
// A response held in a variable leaks when a path from the call reaches
// a return, the end of its scope (a loop's next iteration) or an
// assignment that overwrites it, with the response still open and
// possibly non-nil (search.go). Any other use that can transfer
// ownership (returning, storing, sending, capturing in a closure,
// passing it to a function that may close it) ends the search on that
// path: precision comes first. What a function does with responses is
// summarized in body_summary.go; the rules for test code are in
// body_testcode.go.

// bodySpec is the body check's resource: the Body of a response, which
// the holder must close.
type bodySpec struct{}

func (bodySpec) kind() resourceKind { return kindBody }

// responsePlace is where a response holds the resource: its Body.
var responsePlace = place{"Body"}

func (bodySpec) selector(c *checker, stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p place) step {
	if _, called := calledAt(stack, i); called && slices.Equal(p, restyRawPlace) && isMethod(selection.Obj().(*types.Func), resty, "Response", "RawBody") {
		return step{climb: true, call: true, at: place{}} // resp.RawBody(): the body itself
	}
	if len(p) > 0 {
		// The field path of the selection, embedded fields included:
		// result.Body is result.Response.Body for a struct that embeds
		// the response.
		path := selectionPath(selection)
		if selection.Kind() == types.FieldVal {
			if len(path) <= len(p) && slices.Equal(path, p[:len(path)]) {
				return step{climb: true, at: p[len(path):]}
			}
			return stop(useRead) // another field: StatusCode, Header...
		}
		// A method of the response itself (promoted or not) only reads
		// it; a method of a holder of the user's may close it.
		embedded := path[:len(path)-1]
		if len(embedded) > len(p) || !slices.Equal(embedded, p[:len(embedded)]) || !slices.Equal(p[len(embedded):], responsePlace) {
			if isNamed(selection.Recv(), resty, "Response") {
				return stop(useRead) // resty's accessors only read
			}
			return stop(useEscape) // a method of a holder: it may close it
		}
	}
	switch sel.Sel.Name {
	case "Close":
		if len(p) > 0 {
			return stop(useEscape)
		}
		if _, called := calledAt(stack, i); called {
			return stop(useRelease)
		}
		return stop(useEscape) // a method value, called later
	case "Write":
		if len(p) > 0 {
			return stop(useEscape) // Response.Write closes the body
		}
	}
	return stop(useRead) // Read, Cookies, Location...
}

// selectionPath returns the names of the fields a selection goes
// through, the embedded ones included, and last the field or method
// selected.
func selectionPath(selection *types.Selection) []string {
	index := selection.Index()
	path := make([]string, 0, len(index))
	t := selection.Recv()
	for _, k := range index[:len(index)-1] {
		if ptr, ok := t.Underlying().(*types.Pointer); ok {
			t = ptr.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || k >= st.NumFields() {
			break
		}
		path = append(path, st.Field(k).Name())
		t = st.Field(k).Type()
	}
	return append(path, selection.Obj().Name())
}

// literal lets a struct field hold a response or its Body (the search
// follows the struct), unless its type cannot take it over:
// &io.LimitedReader{R: resp.Body}.
func (bodySpec) literal(c *checker, t types.Type, kv *ast.KeyValueExpr, field *types.Var) useKind {
	switch {
	case field == nil:
		return useEscape // an element of a slice or map
	case !carriesOwnership(field.Type(), true):
		if kv != nil {
			return useRead
		}
		return useEscape
	}
	return useHold
}

// canCarry reports whether a parameter of type t could take over a
// response or its Body: one of those, or a struct that holds one.
func (bodySpec) canCarry(t types.Type) bool { return carriesOwnership(t, true) || holdsResponse(t) }

// holdsResponse reports whether t is a struct, or a pointer to one, with
// a field that can carry a response or its Body.
func holdsResponse(t types.Type) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if carriesOwnership(f.Type(), false) {
			return true
		}
	}
	return false
}

// nothingToRelease reports whether e compares v.StatusCode with a status
// whose response has nothing to close for the caller: 101 Switching
// Protocols (the body is the hijacked connection, handed to whoever
// speaks the new protocol), 204 No Content and 304 Not Modified (no
// body).
func (bodySpec) nothingToRelease(c *checker, e *ast.BinaryExpr, v *types.Var) bool {
	info := c.pass.TypesInfo
	for _, pair := range [][2]ast.Expr{{e.X, e.Y}, {e.Y, e.X}} {
		sel, ok := ast.Unparen(pair[0]).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "StatusCode" || info.ObjectOf(identOf(sel.X)) != v {
			continue
		}
		if tv, ok := info.Types[pair[1]]; ok && tv.Value != nil {
			switch tv.Value.ExactString() {
			case "101", "204", "304":
				return true
			}
		}
	}
	return false
}

func (bodySpec) holderFlags(*checker, types.Type) uint8 { return 0 }

// carriesOwnership reports whether a parameter of type t could take
// over a response or its Body: a *http.Response, an interface with a
// Close method, or (if anyIface) the empty interface or a type parameter.
func carriesOwnership(t types.Type, anyIface bool) bool {
	if isResponse(t) {
		return true
	}
	if u, ok := t.Underlying().(*types.Interface); ok {
		if u.Empty() {
			return anyIface
		}
		return hasCloseMethod(t)
	}
	_, isTypeParam := types.Unalias(t).(*types.TypeParam)
	return isTypeParam && anyIface
}

// A response is a call that produces a response the caller must close:
// result idx of the call at cur, a call of fn (nil if unknown), whose
// body sits at at in it; withError if it may come with a non-nil error.
type response struct {
	cur       inspector.Cursor
	fn        *types.Func
	idx       int
	at        place
	withError bool
}

// responseAt reports whether the call at cur, a call of fn, produces a
// response. In a test file, a response that comes only from an
// http.RoundTripper interface is left alone: tests routinely fake round
// trippers with canned, body-less responses.
func responseAt(c *checker, cur inspector.Cursor, fn *types.Func) (response, bool) {
	if isRestyRawResponse(c.pass.TypesInfo, cur.Node().(*ast.CallExpr), fn) {
		return response{cur: cur, fn: fn, at: restyRawPlace}, true
	}
	p := producer(c, fn)
	if p.idx < 0 || p.viaRT && isTestFile(c.pass.Fset, cur.Node().Pos()) {
		return response{}, false
	}
	if holds, known := c.holdsAt(cur.Node().(*ast.CallExpr), p.when); known && !holds {
		return response{}, false // the callee closes the body for this argument
	}
	return response{cur: cur, fn: fn, idx: p.idx, at: append(slices.Clip(p.in), responsePlace...), withError: p.withError}, true
}

// A produced says what a call of a function produces: the index of the
// result that is a fresh response (-1 if none), whether it only ever
// comes from an http.RoundTripper interface, and the condition on the
// callee's parameters under which it is fresh.
type produced struct {
	idx       int
	in        place // where the response sits in the result: nil if it is the response, a field of a library's response type that holds one
	viaRT     bool
	when      condition
	withError bool // it may come with a non-nil error
}

// producer says what a call of fn (nil if unknown) produces.
func producer(c *checker, fn *types.Func) produced {
	if fn == nil {
		return produced{idx: -1}
	}
	if idx, viaRT, known := knownProducer(fn); known {
		return produced{idx: idx, viaRT: viaRT}
	}
	if isInterfaceProducer(fn) {
		return produced{idx: 0, viaRT: true}
	}
	r := c.summary(fn).result(kindBody)
	if isRoundTripMethod(fn) {
		// A round tripper of the user's: its response is the caller's to
		// close, whatever its body shows. (One whose summary says nothing
		// is treated as a fake in tests.)
		return produced{idx: 0, viaRT: r == nil || r.ViaRoundTripper}
	}
	if r == nil {
		return produced{idx: -1}
	}
	return produced{idx: r.Index, in: splitPath(r.Path), viaRT: r.ViaRoundTripper, when: r.When, withError: r.WithError}
}

// checkResponse reports the response r if it is not closed on every
// path: it follows the response through its immediate context and, if
// it is bound to a local variable, along the control-flow graph.
func checkResponse(c *checker, r response) {
	info := c.pass.TypesInfo
	cur, fn, idx, at := r.cur, r.fn, r.idx, r.at
	origin := cur.Node().(*ast.CallExpr)
	call := origin
	// Climb through parentheses and pass-through calls such as
	// must(http.Get(u)), whose result carries the response on.
	for {
		parent := cur.Parent()
		switch p := parent.Node().(type) {
		case *ast.ParenExpr:
			cur = parent
			continue
		case *ast.CallExpr:
			arg := slices.Index(p.Args, cur.Node().(ast.Expr))
			if arg < 0 {
				return // the response's method value is called: unusual, stay quiet
			}
			if j := responseResult(info, p); j >= 0 && slices.Equal(at, responsePlace) {
				cur, call, fn, idx = parent, p, nil, j
				continue
			}
			if argsBorrowed(c, p, arg, call) {
				reportDropped(c, origin, fmt.Sprintf("is passed to %s, which does not close it, and then dropped", types.ExprString(p.Fun)))
			}
			return // handed to the callee
		}
		break
	}

	if bodylessTestServer(c, cur) || expectsPanic(c, cur) {
		return // the test's own server never sends a body, or the call panics by design
	}

	var lhs, errLHS ast.Expr // where the response and its error are stored
	stmt := cur.Parent()
	switch p := stmt.Node().(type) {
	case *ast.ExprStmt:
		reportDropped(c, origin, "is dropped")
		return
	case *ast.GoStmt:
		reportDropped(c, origin, "is dropped by the go statement")
		return
	case *ast.DeferStmt:
		reportDropped(c, origin, "is dropped by the defer statement")
		return
	case *ast.AssignStmt:
		lhs, errLHS = pickLHS(p.Lhs, p.Rhs, call, resultTypes(info, call, fn), idx)
	case *ast.ValueSpec:
		lhs, errLHS = pickLHS(specLHS(p), p.Values, call, resultTypes(info, call, fn), idx)
	default:
		return // returned, stored in a literal, sent...: handed off
	}
	id, ok := lhs.(*ast.Ident)
	if !ok {
		return // stored in a field, map or through a pointer: handed off
	}
	if id.Name == "_" {
		if examinesFailure(c, stmt, errLHS) {
			return // the call is expected to fail, so there is no response
		}
		reportDropped(c, origin, "is discarded with _")
		return
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return
	}
	if isTestFile(c.pass.Fset, origin.Pos()) && examinesFailure(c, stmt, errLHS) {
		return // the test expects the call to fail: there is no response
	}
	fnCur, _ := enclosingFunc(cur)
	sig, body := funcParts(fnCur.Node())
	if body == nil {
		return
	}
	retry := false
	if v.Pos() < sig.Pos() || v.Pos() >= body.End() {
		// A variable of an enclosing function or the package outlives
		// this call; but an attempt of a retry overwrites it.
		if retry = isAttempt(c, fnCur) && v.Parent() != c.pass.Pkg.Scope(); !retry {
			return
		}
	}
	errID := identOf(errLHS)
	if errID != nil && errID.Name == "_" {
		errID = nil
	}
	checkDrain(c, r.cur, fnCur, v, at)
	if d, loop := deferredInLoop(c, cur, fnCur, v, at); d != nil {
		reportDeferInLoop(c, d, loop, v, fnCur) // and the paths that skip the defer are searched below
	}
	next := following(stmt)
	if !r.withError && closedAfterCheck(c, next, v, errID) {
		return // the idiom: no need to search
	}
	var errVar *types.Var
	if errID != nil {
		errVar, _ = info.ObjectOf(errID).(*types.Var)
	}
	t := &pathSearch{
		tracked: tracked{c: c, s: bodySpec{}, v: v, at: at, errVar: errVar, local: body, withError: r.withError},
		g:       c.graph(body),
		sig:     sig,
		retry:   retry,
	}
	leak, handled := t.search(stmt.Node())
	if leak == nil {
		return
	}
	where := "" // the function, so that findings in different functions read differently
	if fd := enclosingDecl(cur); fd != nil {
		where = " in " + funcName(fd)
	}
	closer := v.Name() + ".Body"
	switch {
	case isNamed(v.Type(), resty, "Response"):
		closer = v.Name() + ".RawBody()"
	case len(at) > 1: // in a library's response that holds one: r.Raw.Body, or r.Body if it embeds it
		obj, _, _ := types.LookupFieldOrMethod(v.Type(), true, v.Pkg(), at[0])
		if f, ok := obj.(*types.Var); !ok || !f.Embedded() {
			closer = v.Name() + "." + strings.Join(at, ".")
		}
	}
	d := analysis.Diagnostic{
		Pos:      origin.Pos(),
		End:      origin.End(),
		Category: nameBody,
		Message: fmt.Sprintf("%s is not closed on every path%s: the connection leaks (it never returns to the pool, and sits in CLOSE_WAIT once the server hangs up); close it, e.g. defer %s.Close() after the error check",
			closer, where, closer),
		Related: []analysis.RelatedInformation{{Pos: leak.pos, Message: leakMessage(leak, closer, v.Name())}},
	}
	if !handled && !retry && isResponse(v.Type()) && !usedByClosureLater(c, fnCur, v) {
		d.SuggestedFixes = deferCloseFix(c, stmt.Node(), next, v, errID, r.withError)
	}
	c.report(d)
}

// deferredInLoop returns a defer that closes the response in v (whose
// body sits at at), in the loop around the call at cur that makes it, in
// the function at fn, if that loop can run many times; and the loop.
//
//	for job := range jobs {
//		resp, err := client.Get(job.URL)
//		...
//		defer resp.Body.Close()   // closes nothing until the function returns
func deferredInLoop(c *checker, cur, fn inspector.Cursor, v *types.Var, at place) (*ast.DeferStmt, ast.Stmt) {
	var loop inspector.Cursor
	for p := cur.Parent(); p != fn && p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if !loop.Valid() {
				loop = p
			}
		case *ast.FuncLit:
			return nil, nil // the call is in a function literal inside the loop
		}
	}
	if !loop.Valid() || !runsMany(c.pass.TypesInfo, loop.Node().(ast.Stmt)) {
		return nil, nil
	}
	for _, use := range c.idx.usesOf(fn, v) {
		if !loop.Contains(use) {
			continue
		}
		var d *ast.DeferStmt
		for p := use.Parent(); p != loop && d == nil; p = p.Parent() {
			switch n := p.Node().(type) {
			case *ast.DeferStmt:
				d = n
			case *ast.FuncLit:
				if call, ok := p.Parent().Node().(*ast.CallExpr); !ok || call.Fun != n {
					p = loop.Parent() // a literal not deferred in place: not this
				}
			}
			if p == loop.Parent() {
				break
			}
		}
		if d != nil && c.classify(bodySpec{}, stackOf(use, fn), at, -1).kind == useRelease && !endsIteration(c, loop, d) {
			return d, loop.Node().(ast.Stmt)
		}
	}
	return nil, nil
}

// endsIteration reports whether the iteration that runs the defer d in
// the loop at loop surely ends the loop after it: a break, return or call
// that never returns follows d in one of the blocks around it, so that d
// runs at most once.
//
//	for {
//		resp, err := client.Do(req)
//		if err != nil {
//			continue
//		}
//		defer resp.Body.Close()
//		...
//		break
//	}
func endsIteration(c *checker, loop inspector.Cursor, d *ast.DeferStmt) bool {
	cur, ok := loop.FindNode(d)
	if !ok {
		return false
	}
	for ; cur != loop && cur.Node() != nil; cur = cur.Parent() {
		for _, s := range following(cur) {
			switch s := s.(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if s.Tok == token.BREAK && s.Label == nil || s.Tok == token.GOTO {
					return true
				}
			case *ast.ExprStmt:
				if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && !c.mayReturn(call) {
					return true
				}
			}
		}
		switch cur.Parent().Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if cur.Parent() != loop {
				return false // a break there would leave that statement only
			}
		}
	}
	return false
}

// runsMany reports whether loop can run many times: it is endless, or
// ranges over a channel, a function, or values not known to be few; not
// a loop up to a small constant or over a literal (a table of cases).
func runsMany(info *types.Info, loop ast.Stmt) bool {
	const few = 100
	small := func(e ast.Expr) bool {
		v := info.Types[e].Value
		n, ok := constant.Int64Val(constant.ToInt(v))
		return v != nil && ok && n <= few
	}
	switch l := loop.(type) {
	case *ast.ForStmt:
		if bin, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr); ok && (bin.Op == token.LSS || bin.Op == token.LEQ) && small(bin.Y) {
			return false
		}
	case *ast.RangeStmt:
		if small(l.X) {
			return false // range 3
		}
		if _, ok := ast.Unparen(l.X).(*ast.CompositeLit); ok {
			return false
		}
		if a, ok := info.TypeOf(l.X).Underlying().(*types.Array); ok {
			return a.Len() > few
		}
	}
	return true
}

// reportDeferInLoop reports d, a deferred close of the response in v in
// loop, a loop of the function at fn.
func reportDeferInLoop(c *checker, d *ast.DeferStmt, loop ast.Stmt, v *types.Var, fn inspector.Cursor) {
	where := "the function"
	if fd := enclosingDecl(fn); fd != nil && fn.Node() == fd {
		where = funcName(fd)
	}
	c.report(analysis.Diagnostic{
		Pos:      d.Pos(),
		End:      d.End(),
		Category: nameBody,
		Message: fmt.Sprintf("%s.Body is closed by a defer in a loop, which runs only when %s returns: every iteration keeps a connection open until then (a loop that runs long piles them up); close it at the end of each iteration, or move the loop body into a function",
			v.Name(), where),
		Related: []analysis.RelatedInformation{{Pos: loop.Pos(), Message: "this loop can run many times"}},
	})
}

// isAttempt reports whether the function at fn is a function literal
// handed to a call that returns an error, as retry helpers take one:
//
//	err := retry.Do(func() error {
//		resp, err = client.Do(req)
func isAttempt(c *checker, fn inspector.Cursor) bool {
	lit, ok := fn.Node().(*ast.FuncLit)
	if !ok || outerParens(fn).ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	results := c.pass.TypesInfo.TypeOf(lit).(*types.Signature).Results()
	return results.Len() > 0 && isErrorType(results.At(results.Len()-1).Type())
}

// leakMessage says where a path leaves the body of the response in name,
// body (resp.Body), open.
func leakMessage(l *leakExit, body, name string) string {
	switch l.kind {
	case "return":
		return body + " is still open when this return is reached"
	case "end":
		return body + " is still open when the function ends here"
	case "reassign":
		return name + " is overwritten here while its Body is still open"
	case "retry":
		return body + " is still open when this return asks for another attempt, which overwrites " + name
	case "replace":
		return body + " is replaced here before it is closed: whoever closes it later closes the replacement"
	case "scope":
		return name + " goes out of scope at the end of this block with its Body still open"
	}
	return body + " is still open when this " + l.kind + " is taken"
}

// reportDropped reports a response that is never bound to a variable.
func reportDropped(c *checker, call *ast.CallExpr, what string) {
	c.report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: nameBody,
		Message: fmt.Sprintf("the response of %s %s, so its Body is never closed: the connection leaks; assign it and close its Body (defer resp.Body.Close() after the error check)",
			types.ExprString(call.Fun), what),
	})
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

// argsBorrowed reports whether every argument of call that arg (a
// producer call at argument index k) provides is only read by the callee.
func argsBorrowed(c *checker, call *ast.CallExpr, k int, arg *ast.CallExpr) bool {
	if t, ok := c.pass.TypesInfo.TypeOf(arg).(*types.Tuple); ok && len(call.Args) == 1 {
		for i := range t.Len() {
			if isResponse(t.At(i).Type()) && c.paramEffect(bodySpec{}, call, i, responsePlace).kind != useRead {
				return false
			}
		}
		return true
	}
	return c.paramEffect(bodySpec{}, call, k, responsePlace).kind == useRead
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
// no init statement, err in its condition names that variable (and nil
// the predeclared nil: an error variable named nil would be perverse):
// comparing names is enough, and cheaper than looking objects up in big
// maps, for a test that runs for nearly every response.
func errCheckAfter(s ast.Stmt, errID *ast.Ident) *ast.IfStmt {
	ifs, ok := s.(*ast.IfStmt)
	if !ok || errID == nil || ifs.Init != nil || ifs.Else != nil {
		return nil
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || !sameName(cond.X, errID.Name) || !sameName(cond.Y, "nil") {
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
func closedAfterCheck(c *checker, next []ast.Stmt, v *types.Var, errID *ast.Ident) bool {
	if len(next) < 2 || !isResponse(v.Type()) || errCheckAfter(next[0], errID) == nil {
		return false
	}
	d, ok := next[1].(*ast.DeferStmt)
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

// deferCloseFix offers to insert "defer v.Body.Close()" after the
// "if err != nil { ... }" that directly follows the call's statement; or,
// when the response may come with an error (withError), a nil-guarded
// defer before that check, which closes it on the error path too:
//
//	resp, err := c.send(req)
//	if resp != nil {
//		defer resp.Body.Close()
//	}
//	if err != nil {
func deferCloseFix(c *checker, stmt ast.Node, next []ast.Stmt, v *types.Var, errID *ast.Ident, withError bool) []analysis.SuggestedFix {
	if len(next) == 0 {
		return nil
	}
	ifs := errCheckAfter(next[0], errID)
	if ifs == nil {
		return nil
	}
	indent := strings.Repeat("\t", c.pass.Fset.Position(stmt.Pos()).Column-1)
	closer := "defer " + v.Name() + ".Body.Close()"
	if withError {
		text := "if " + v.Name() + " != nil {\n" + indent + "\t" + closer + "\n" + indent + "}\n" + indent
		return []analysis.SuggestedFix{{
			Message:   "Close the body with a nil-guarded " + closer + " before the error check (the response may come with an error)",
			TextEdits: []analysis.TextEdit{{Pos: ifs.Pos(), End: ifs.Pos(), NewText: []byte(text)}},
		}}
	}
	return []analysis.SuggestedFix{{
		Message:   "Close the body with " + closer + " after the error check",
		TextEdits: []analysis.TextEdit{{Pos: ifs.End(), End: ifs.End(), NewText: []byte("\n" + indent + closer)}},
	}}
}

// isBlankAssign reports whether the right-hand side at rhs is assigned
// to the blank identifier.
func isBlankAssign(rhs inspector.Cursor) bool {
	as := rhs.Parent().Node().(*ast.AssignStmt)
	i := rhs.ParentEdgeIndex()
	if len(as.Lhs) != len(as.Rhs) {
		return false
	}
	id, ok := as.Lhs[i].(*ast.Ident)
	return ok && id.Name == "_"
}

// usedByClosureLater reports whether a function literal nested in the
// function at fn uses v and may run after it returns: one started by a
// go statement, handed to a call, or stored. A deferred close would pull
// the body from under it.
//
//	go func() { io.Copy(pw, resp.Body) }()
func usedByClosureLater(c *checker, fn inspector.Cursor, v *types.Var) bool {
	if !hasFuncLit(fn) {
		return false // the common case, answered without indexing the function's uses
	}
	for _, use := range c.idx.usesOf(fn, v) {
		for cur := use.Parent(); cur != fn && cur.Node() != nil; cur = cur.Parent() {
			if _, ok := cur.Node().(*ast.FuncLit); !ok {
				continue
			}
			lit := outerParens(cur)
			switch {
			case lit.ParentEdgeKind() == edge.AssignStmt_Rhs && isBlankAssign(lit):
				// _ = func() { ... }: never runs
			case lit.ParentEdgeKind() != edge.CallExpr_Fun, lit.Parent().ParentEdgeKind() == edge.GoStmt_Call:
				return true
			}
		}
	}
	return false
}

// hasFuncLit reports whether the function at fn holds a function literal.
// (The inspector skips the subtrees that hold none.)
func hasFuncLit(fn inspector.Cursor) bool {
	found := false
	fn.Preorder((*ast.FuncLit)(nil))(func(inspector.Cursor) bool {
		found = true
		return false
	})
	return found
}
