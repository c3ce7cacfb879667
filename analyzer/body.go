package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
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
//	must(http.Get(u)).StatusCode // dropped once a field is read: reported
//	_, err := http.Get(u)        // discarded: reported
//	return http.Get(u)           // handed to the caller: fine
//	resp, err := http.Get(u)     // searched along the control-flow graph
//
// A response held in a variable leaks when a path from the call reaches
// a return, the end of its scope (a loop's next iteration) or an
// assignment that overwrites it, with the response still open and
// possibly non-nil (the engine's Search). Any other use that can transfer
// ownership (returning, storing, sending, capturing in a closure,
// passing it to a function that may close it) ends the search on that
// path: precision comes first. What a function does with responses is
// summarized in body_summary.go and body_fresh.go; the rules for test
// code are in body_testcode.go.

// bodyConsequence is what a body left open on some path costs, as the
// body check's messages say it.
const bodyConsequence = "the connection leaks (it never returns to the pool, and sits in CLOSE_WAIT once the server hangs up)"

// A response is a call that produces a response the caller must close:
// result idx of the call at cur, a call of fn (nil if unknown), whose
// body sits at at in it; withError if it may come with a non-nil error.
type response struct {
	cur       inspector.Cursor
	fn        *types.Func
	idx       int
	at        flow.Place
	withError bool
	onlyError bool // it comes only with a non-nil error
	drained   bool // the producer read its body to the end before returning it
}

// responseAt reports whether the call at cur, a call of fn, produces a
// response. In a test file, a response that comes only from an
// http.RoundTripper interface is left alone: tests routinely fake round
// trippers with canned, body-less responses.
func responseAt(c *checker, cur inspector.Cursor, fn *types.Func) (response, bool) {
	if nethttp.IsRestyRawResponse(c.pass.TypesInfo, cur.Node().(*ast.CallExpr), fn) {
		return response{cur: cur, fn: fn, at: nethttp.RestyRawPlace}, true
	}
	p := producer(c, fn, cur.Node().(*ast.CallExpr))
	if p.idx < 0 || p.viaRT && flow.IsTestFile(c.pass.Fset, cur.Node().Pos()) {
		return response{}, false
	}
	if holds, known := c.HoldsAt(cur.Node().(*ast.CallExpr), p.when); known && !holds {
		return response{}, false // the callee closes the body for this argument
	}
	call := cur.Node().(*ast.CallExpr)
	at := bodyAt(p.in, flow.ResultType(c.pass.TypesInfo, call, p.idx))
	return response{cur: cur, fn: fn, idx: p.idx, at: at, withError: p.withError, onlyError: p.onlyError, drained: p.drained}, true
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
				reportDropped(c, r, fmt.Sprintf("is passed to %s, which does not close it, and then dropped", types.ExprString(p.Fun)))
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
		reportDropped(c, r, "is dropped")
		return
	case *ast.GoStmt:
		reportDropped(c, r, "is dropped by the go statement")
		return
	case *ast.DeferStmt:
		reportDropped(c, r, "is dropped by the defer statement")
		return
	case *ast.SelectorExpr:
		// must(http.Get(u)).StatusCode: a field read, the response gone.
		if sel := info.Selections[p]; sel != nil && sel.Kind() == types.FieldVal && p.Sel.Name != "Body" && slices.Equal(at, responsePlace) {
			reportDropped(c, r, fmt.Sprintf("is dropped once its %s is read", p.Sel.Name))
		}
		return // a method of it, or its Body: used on
	case *ast.AssignStmt:
		lhs, errLHS = flow.PickLHS(p.Lhs, p.Rhs, call, flow.ResultTypes(info, call, fn), idx)
	case *ast.ValueSpec:
		lhs, errLHS = flow.PickLHS(flow.SpecLHS(p), p.Values, call, flow.ResultTypes(info, call, fn), idx)
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
		reportDropped(c, r, "is discarded with _")
		return
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return
	}
	if flow.IsTestFile(c.pass.Fset, origin.Pos()) && examinesFailure(c, stmt, errLHS) {
		return // the test expects the call to fail: there is no response
	}
	fnCur, _ := flow.EnclosingFunc(cur)
	sig, body := flow.FuncParts(fnCur.Node())
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
	errID := flow.IdentOf(errLHS)
	advice := "defer %s.Close() after the error check"
	switch {
	case errID != nil && errID.Name == "_":
		errID = nil
		advice = "check the error the call returns (discarded here), then defer %s.Close()"
	case errLHS == nil:
		advice = "defer %s.Close() right after the call"
	case r.onlyError:
		advice = "close %s where the error is not nil: " + types.ExprString(origin.Fun) + " returns the response open only along with an error"
	case r.withError:
		// A wrapper that returns its response with an error (the last
		// attempt's, say): the error path owns it too.
		advice = "defer %s.Close() before the error check, under a nil test: " + types.ExprString(origin.Fun) + " may return the response along with a non-nil error"
	}
	checkDrain(c, r.cur, fnCur, v, at)
	if d, loop := deferredInLoop(c, cur, fnCur, v, at); d != nil {
		reportDeferInLoop(c, d, loop, v, fnCur) // and the paths that skip the defer are searched below
	}
	next := flow.Following(stmt)
	if !r.withError && closedAfterCheck(c, next, v, errID) {
		return // the idiom: no need to search
	}
	var errVar *types.Var
	if errID != nil {
		errVar, _ = info.ObjectOf(errID).(*types.Var)
	}
	target := flow.Target{Spec: c.body, V: v, At: at, ErrVar: errVar, WithError: r.withError, OnlyWithError: r.onlyError, Drained: r.drained, Retry: retry}
	found := c.Search(target, fnCur.Node(), stmt.Node())
	leak, handled, category := found.Leak, found.Handled, nameBody
	if leak == nil {
		// Read to its end on the path that drops it: its connection went
		// back to the pool then; only the Close contract is broken.
		leak, category = found.Drained, nameBodyEOF
	}
	if leak == nil || isHead(c, fnCur, origin) {
		return
	}
	where := "" // the function, so that findings in different functions read differently
	if fd := flow.EnclosingDecl(cur); fd != nil {
		where = " in " + flow.FuncName(fd)
	}
	closer := v.Name() + ".Body"
	switch {
	case isAny(v.Type()):
		closer = v.Name() + ".(*http.Response).Body" // from an executor of func() (any, error)
	case len(at) == 0:
		closer = v.Name() // the Body itself, from a wrapper that returns it
	case flow.IsNamed(v.Type(), nethttp.Resty, "Response"):
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
		Category: category,
		Message: fmt.Sprintf("%s is not closed on every path%s: "+bodyConsequence+"; close it, e.g. "+advice,
			closer, where, closer),
		Related: []analysis.RelatedInformation{{Pos: leak.Pos, Message: leakMessage(leak, closer, v.Name())}},
	}
	if category == nameBodyEOF {
		d.Message = fmt.Sprintf("%s is read to its end but not closed on every path%s: its connection went back to the pool at EOF, but the Close that net/http asks for is missing; close it, e.g. "+advice,
			closer, where, closer)
		d.Related[0].Message = leakMessageAs(leak, closer, v.Name(), "read to its end but not closed")
	}
	if !handled && !retry && nethttp.IsResponse(v.Type()) && !usedByClosureLater(c, fnCur, v) {
		d.SuggestedFixes = deferCloseFix(c, stmt.Node(), next, v, errID, r.withError)
	}
	c.report(d)
}

// isAttempt reports whether the function at fn is a function literal
// that returns an error handed to a call, as retry helpers take one:
// written in the call's arguments, or in a variable given it only and
// then only handed to calls.
//
//	err := retry.Do(func() error {
//		resp, err = client.Do(req)
//
//	attempt := func() error { ... }
//	err := retry.Do(attempt)
func isAttempt(c *checker, fn inspector.Cursor) bool {
	lit, ok := fn.Node().(*ast.FuncLit)
	if !ok {
		return false
	}
	results := c.pass.TypesInfo.TypeOf(lit).(*types.Signature).Results()
	if results.Len() == 0 || !flow.IsErrorType(results.At(results.Len()-1).Type()) {
		return false
	}
	cur := flow.OuterParens(fn)
	var lhs ast.Expr
	switch p := cur.Parent().Node().(type) {
	case *ast.CallExpr:
		return cur.ParentEdgeKind() == edge.CallExpr_Args
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) && cur.ParentEdgeKind() == edge.AssignStmt_Rhs {
			lhs = p.Lhs[cur.ParentEdgeIndex()]
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) && cur.ParentEdgeKind() == edge.ValueSpec_Values {
			lhs = p.Names[cur.ParentEdgeIndex()]
		}
	}
	v := flow.VarOf(c.pass.TypesInfo, lhs)
	outer, ok := flow.EnclosingFunc(cur.Parent())
	if v == nil || !ok {
		return false
	}
	if rhs, _, ok := c.Origin(v); !ok || rhs != lit {
		return false // given another value too
	}
	uses := c.UsesOf(outer, v)
	for _, use := range uses {
		if flow.OuterParens(use).ParentEdgeKind() != edge.CallExpr_Args {
			return false // called here, or kept
		}
	}
	return len(uses) > 0
}

// leakMessage says where a path leaves the body of the response in name,
// body (resp.Body), open.
func leakMessage(l *flow.LeakExit, body, name string) string {
	return leakMessageAs(l, body, name, "still open")
}

// leakMessageAs is leakMessage with open saying how the body is left:
// "still open", or read to its end and not closed.
func leakMessageAs(l *flow.LeakExit, body, name, open string) string {
	switch l.Kind {
	case "return":
		return body + " is " + open + " when this return is reached"
	case "end":
		return body + " is " + open + " when the function ends here"
	case "reassign":
		return name + " is overwritten here while its Body is " + open
	case "retry":
		return body + " is " + open + " when this return asks for another attempt, which overwrites " + name
	case "replace":
		return body + " is replaced here before it is closed: whoever closes it later closes the replacement"
	case "scope":
		return name + " goes out of scope at the end of this block with its Body " + open
	}
	return body + " is " + open + " when this " + l.Kind + " is taken"
}

// reportDropped reports a response that is never bound to a variable.
func reportDropped(c *checker, r response, what string) {
	call := r.cur.Node().(*ast.CallExpr)
	if fn, ok := flow.EnclosingFunc(r.cur); ok && isHead(c, fn, call) {
		return // a HEAD response has no body
	}
	category, why := nameBody, "the connection leaks"
	if r.drained {
		category, why = nameBodyEOF, fmt.Sprintf("%s read it to its end, so its connection went back to the pool, but the Close that net/http asks for is missing", types.ExprString(call.Fun))
	}
	how := "defer resp.Body.Close() after the error check"
	if r.onlyError {
		how = "close resp.Body where the error is not nil: " + types.ExprString(call.Fun) + " returns it open only along with an error"
	}
	c.report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: category,
		Message: fmt.Sprintf("the response of %s %s, so its Body is never closed: %s; assign it and close its Body (%s)",
			types.ExprString(call.Fun), what, why, how),
	})
}

// responseResult returns the index of the result of call whose type is
// *http.Response, or -1.
func responseResult(info *types.Info, call *ast.CallExpr) int {
	switch t := info.TypeOf(call).(type) {
	case *types.Tuple:
		for i := range t.Len() {
			if nethttp.IsResponse(t.At(i).Type()) {
				return i
			}
		}
	default:
		if t != nil && nethttp.IsResponse(t) {
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
			if nethttp.IsResponse(t.At(i).Type()) && c.ParamEffect(c.body, call, i, responsePlace).Kind != flow.UseRead {
				return false
			}
		}
		return true
	}
	return c.ParamEffect(c.body, call, k, responsePlace).Kind == flow.UseRead
}

// isErrCheck reports whether cond is "err != nil" for the variable err.
