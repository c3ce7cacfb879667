package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what a wrapper's returns say of the error that comes
// with its response (returnsWithError), and the wrappers that hand the
// caller an open response only along with an error: they return it
// early with an error that is not nil (a status error), and close it
// themselves on the path that succeeds:
//
//	func GetJSON(hc *http.Client, u string, v any) (*http.Response, error) {
//		resp, err := hc.Get(u)
//		if err != nil {
//			return nil, err
//		}
//		if resp.StatusCode != http.StatusOK {
//			return resp, &StatusError{Code: resp.StatusCode}   // open: the caller's
//		}
//		defer resp.Body.Close()                               // closed on success
//		return resp, json.NewDecoder(resp.Body).Decode(v)
//	}
//
// Its callers must close the body where the error is not nil, and have
// nothing to close where it is nil (flow.ResultFact.OnlyWithError).

// closedOnSuccess reports where lf closes the response in v, a
// statement of its body (deferred or not) that every return of v as its
// result ri before it precedes with an error known not to be nil (one of
// them at least), when nothing else closes v or hands it on but the
// returns.
func closedOnSuccess(c *checker, lf *flow.Func, v *types.Var, ri int, returns []*ast.ReturnStmt) (token.Pos, bool) {
	info := c.pass.TypesInfo
	results := lf.Sig().Results()
	if results.Len() < 2 || ri == results.Len()-1 || !flow.IsErrorType(results.At(results.Len()-1).Type()) {
		return token.NoPos, false
	}
	var closeAt ast.Node
	for use := range identUses(c, lf.Cur(), v) {
		stack := flow.StackOf(use, lf.Cur())
		switch flow.EventOf(c.Classify(c.body, stack, responsePlace, -1).Kind) {
		case flow.EvRelease:
			if closeAt != nil || len(stack) < 3 || stack[0] != lf.Body() {
				return token.NoPos, false
			}
			closeAt = stack[1] // a statement of the body
		case flow.EvHandoff, flow.EvReplace:
			if !returnedAt(stack) {
				return token.NoPos, false
			}
		}
	}
	if closeAt == nil {
		return token.NoPos, false
	}
	withError := false
	for _, ret := range returns {
		if ret.Pos() > closeAt.Pos() || len(ret.Results) != results.Len() || flow.VarOf(info, ret.Results[ri]) != v {
			continue
		}
		if !errorNotNil(info, ret.Results[len(ret.Results)-1], nil, nil) {
			return token.NoPos, false // open with no error, maybe
		}
		withError = true
	}
	return closeAt.Pos(), withError
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
	t := c.pass.TypesInfo.TypeOf(e)
	if t == nil || !types.AssignableTo(t, types.Universe.Lookup("error").Type()) || flow.IsNil(c.pass.TypesInfo, e) {
		return false // (an error of a concrete type too: &StatusError{...})
	}
	if id := flow.IdentOf(e); id != nil && errVar != nil && c.pass.TypesInfo.Uses[id] == errVar {
		return false
	}
	return true
}
