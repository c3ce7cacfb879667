package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what a helper's result says of the response it was
// given: closed where it returns an error, or where its bool result is
// true (or false), or nothing left to close where it is true.

// releasesOnResult says whether lf releases the response in its
// parameter p only on the paths that return a non-nil error
// (ReleasesOnError): some path returns it open with a nil error, and
// some path does not leave it open, as consul's requireOK does. A path
// that returns an error with it open (a read of it that failed) is taken
// as one that released it: the caller is not held to close it there, as
// it would not be if nothing were known of the helper.
//
//	func requireOK(resp *http.Response) error {
//		if resp.StatusCode == 200 {
//			return nil
//		}
//		resp.Body.Close()
//		return fmt.Errorf("unexpected status %d", resp.StatusCode)
//	}
//
// A helper that says with a bool result whether it closed it (true) is
// read the same way (ReleasesIfTrue): a path that returns with it open
// returns false. One whose every path that returns with it open returns
// true says the opposite (ReleasesIfFalse: true, the caller keeps it).
//
//	func handled(resp *http.Response) bool {
//		if resp.StatusCode == http.StatusOK {
//			return false
//		}
//		resp.Body.Close()
//		return true
//	}
func releasesOnResult(c *checker, lf *flow.Func, p *types.Var) flow.Effect {
	results := lf.Sig().Results()
	at, held := bodyPlace(p.Type())
	if !held || results.Len() == 0 {
		return 0
	}
	errAt, boolAt := -1, -1
	if flow.IsErrorType(results.At(results.Len() - 1).Type()) {
		errAt = results.Len() - 1
	}
	for i := range results.Len() {
		if flow.IsBool(results.At(i).Type()) {
			boolAt = i
			break
		}
	}
	if errAt < 0 && boolAt < 0 {
		return 0
	}
	leaks, done, passedOnErr, _ := c.SearchParam(flow.Target{Spec: c.body, V: p, At: at}, lf.Node())
	if !done && !passedOnErr || len(leaks) == 0 && !passedOnErr {
		return 0 // it never releases it, or always does
	}
	if errAt < 0 {
		return resultSays(c, leaks, results.Len(), boolAt, flow.ReleasesIfTrue, passedOnErr)
	}
	eff := resultSays(c, leaks, results.Len(), errAt, flow.ReleasesOnError, passedOnErr)
	if eff == flow.ReleasesOnError && boolAt >= 0 && resultSays(c, leaks, results.Len(), boolAt, flow.ReleasesIfTrue, passedOnErr) == flow.ReleasesIfTrue {
		// (done bool, err error): open where it returns false and nil, so
		// either result says whether it was closed.
		eff |= flow.ReleasesIfTrue
	}
	return eff
}

// resultSays is releasesOnResult for the result signal (of n) of the
// function whose paths that return with its parameter open are leaks: effect
// (ReleasesOnError for an error, ReleasesIfTrue for a bool) if they say
// so, ReleasesIfFalse for a bool that is true on each, 0 if neither.
func resultSays(c *checker, leaks []*flow.LeakExit, n, signal int, effect flow.Effect, passedOnErr bool) flow.Effect {
	info := c.pass.TypesInfo
	heldOnNil := false // some path returns it open with a nil error (false)
	heldOnTrue := true // every path that returns it open returns true
	for _, l := range leaks {
		if l.Ret == nil || len(l.Ret.Results) != n {
			return 0 // leaves otherwise
		}
		r := l.Ret.Results[signal]
		heldOnNil = heldOnNil || effect == flow.ReleasesOnError && flow.IsNil(info, r) || effect == flow.ReleasesIfTrue && flow.IsFalse(info, r)
		heldOnTrue = heldOnTrue && effect == flow.ReleasesIfTrue && flow.IsTrue(info, r)
	}
	switch {
	case len(leaks) > 0 && heldOnTrue && !passedOnErr:
		return flow.ReleasesIfFalse // true says it is still open: keep := check(resp)
	case len(leaks) > 0 && !heldOnNil:
		return 0 // open only where the result may say it was released: it releases it on success
	}
	return effect
}

// noBodyIfTrue reports whether lf returns one bool, and every return of
// lf gives it as false, or as a test that holds only when the response in p
// has no body (a status of 204 or 304: bodySpec.NothingToRelease): a
// predicate that, when true, leaves the caller nothing to close.
//
//	func noContent(resp *http.Response) bool {
//		return resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified
//	}
func noBodyIfTrue(c *checker, lf *flow.Func, p *types.Var) bool {
	info := c.pass.TypesInfo
	results := lf.Sig().Results()
	if results.Len() != 1 || !nethttp.IsResponse(p.Type()) {
		return false
	}
	if !flow.IsBool(results.At(0).Type()) {
		return false
	}
	var implies func(e ast.Expr) bool
	implies = func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if flow.IsFalse(info, e) {
			return true
		}
		b, ok := e.(*ast.BinaryExpr)
		if !ok {
			return false
		}
		switch b.Op {
		case token.LOR:
			return implies(b.X) && implies(b.Y)
		case token.LAND:
			return implies(b.X) || implies(b.Y)
		case token.EQL:
			return c.body.NothingToRelease(b, p)
		}
		return false
	}
	rets := flow.ReturnsOf(lf.Body())
	for _, ret := range rets {
		if len(ret.Results) != 1 || !implies(ret.Results[0]) {
			return false
		}
	}
	return len(rets) > 0
}

// releasedUnderResult says, of a function whose one result is a bool
// variable (named, or the one every return gives), what that result
// tells of the releases (each a use of the parameter) when each sits in
// the body of an if, a statement of the function's body, that tests the
// variable, set before the if and never after, and every return comes
// after it: ReleasesIfTrue (if done {...}), ReleasesIfFalse (if !keep
// {...}), or 0 if it is not so.
//
//	func check(resp *http.Response) (done bool) {
//		done = resp.StatusCode >= 400
//		if done {
//			resp.Body.Close()
//		}
//		return done
//	}
func releasedUnderResult(c *checker, lf *flow.Func, releases []inspector.Cursor) flow.Effect {
	info := c.pass.TypesInfo
	results := lf.Sig().Results()
	if len(releases) == 0 || results.Len() != 1 {
		return 0
	}
	if !flow.IsBool(results.At(0).Type()) {
		return 0
	}
	r := results.At(0)
	rets := flow.ReturnsOf(lf.Body())
	for _, ret := range rets {
		switch {
		case len(ret.Results) == 0 && r.Name() != "":
		case len(ret.Results) == 1 && (r.Name() == "" || r.Name() == "_") && flow.VarOf(info, ret.Results[0]) != nil:
			r = flow.VarOf(info, ret.Results[0]) // the variable the first return gives: every other must give it too
		case len(ret.Results) == 1 && flow.VarOf(info, ret.Results[0]) == r:
		default:
			return 0
		}
	}
	var effect flow.Effect
	var first token.Pos // the earliest if
	for _, use := range releases {
		ifs, eff := resultTest(info, lf, use, r)
		if eff == 0 || effect != 0 && eff != effect {
			return 0
		}
		effect = eff
		if first == token.NoPos || ifs.Pos() < first {
			first = ifs.Pos()
		}
	}
	for _, ret := range rets {
		if ret.Pos() < first {
			return 0 // a return before the test
		}
	}
	for use := range identUses(c, lf.Cur(), r) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs && use.Node().Pos() > first {
			return 0 // set again after the test
		}
	}
	return effect
}

// resultTest returns the if, a statement of lf's body, in whose body the
// release at use sits, and what its test of r says: ReleasesIfTrue for
// if r, ReleasesIfFalse for if !r; 0 for anything else.
func resultTest(info *types.Info, lf *flow.Func, use inspector.Cursor, r *types.Var) (*ast.IfStmt, flow.Effect) {
	for cur := use; cur.Node() != lf.Body(); cur = cur.Parent() {
		ifs, ok := cur.Parent().Node().(*ast.IfStmt)
		if !ok || ifs.Body != cur.Node() {
			if _, lit := cur.Node().(*ast.FuncLit); lit {
				return nil, 0
			}
			continue
		}
		if cur.Parent().Parent().Node() != lf.Body() || ifs.Init != nil {
			return nil, 0 // nested, or in a loop: not every path
		}
		cond, eff := ast.Unparen(ifs.Cond), flow.ReleasesIfTrue
		if u, ok := cond.(*ast.UnaryExpr); ok && u.Op == token.NOT {
			cond, eff = ast.Unparen(u.X), flow.ReleasesIfFalse
		}
		if flow.VarOf(info, cond) != r {
			return nil, 0
		}
		return ifs, eff
	}
	return nil, 0
}
