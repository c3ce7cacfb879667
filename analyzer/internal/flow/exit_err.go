package flow

import (
	"go/ast"
	"go/token"
	"go/types"
)

// This file holds what the search knows of the error that a deferred
// closure tests before it releases (see exitGuard):
//
//	defer func() {
//		if err != nil {
//			resp.Body.Close()
//		}
//	}()
//	...
//	err = json.NewDecoder(resp.Body).Decode(&v)
//	return v, err
//
// The return hands back nil when the decode succeeds: the closure closes
// nothing then. A path returns nil at that result when it returns the
// literal nil, a variable it set last from a call that may return nil
// (and has not tested since), or the call's own error it has tested nil.

// releasedAtExit reports whether a path in state st that leaves the
// function by ret releases the resource: a deferred closure registered
// on it releases the variable, which still holds the resource, unless it
// releases only under a test of an error that is nil then (a result that
// ret may make nil, or a local variable that is nil on this path). When
// the variable is a named result, a return that gives that result
// another value (return nil, err) sets it before the closure runs: the
// closure then releases that value, not the resource.
func (st pathState) releasedAtExit(t *pathSearch, ret *ast.ReturnStmt) bool {
	if !st.atExit || st.dead&1 != 0 {
		return false
	}
	info := t.c.Info
	if isResultOf(t.v, t.sig) {
		if k := fieldIndex(t.sig.Results, t.v); k < len(ret.Results) && VarOf(info, ret.Results[k]) != t.v {
			return false // return nil, err: the closure finds the result nil
		}
	}
	if f := st.exitFlag; f.V != nil {
		if val, ok := FlagAt(info, t.g.body, ret, f.V); ok && val != f.When {
			return false // keep = true before this return: the closure leaves it open
		}
	}
	v := st.exitIf
	if v == nil {
		return true
	}
	if isResultOf(v, t.sig) {
		if k := fieldIndex(t.sig.Results, v); k < len(ret.Results) {
			if IsNil(info, ret.Results[k]) {
				return false
			}
			v = VarOf(info, ret.Results[k]) // (a naked return: the result itself)
		}
	}
	return v == nil || v != st.mayNil && !(v == t.errVar && st.linked && st.err == errNil)
}

// noteErrSet records in st the error variable node n sets from a call
// that may return nil, on a path on which a deferred closure releases
// under a test of an error (st.exitIf is set); another value for the
// variable forgets it.
func noteErrSet(c *Engine, n ast.Node, st *pathState) {
	as, ok := n.(*ast.AssignStmt)
	if !ok {
		return
	}
	for i, lhs := range as.Lhs {
		id := IdentOf(lhs)
		if id == nil {
			continue
		}
		v, _ := c.Info.ObjectOf(id).(*types.Var)
		if v == nil {
			continue
		}
		if v == st.mayNil {
			st.mayNil = nil
		}
		if IsErrorType(v.Type()) && mayReturnNil(c, as, i) {
			st.mayNil = v
		}
	}
}

// mayReturnNil reports whether the i-th value that as assigns is the
// error of a call that returns nil when it succeeds: the last result of
// a call with several (x, err := f()), a method of another package
// (dec.Decode(&v), w.Flush()), or a function of this package with a
// return of nil there. Other functions may be constructors of errors
// (newStatusError(resp)): they are taken to return one.
func mayReturnNil(c *Engine, as *ast.AssignStmt, i int) bool {
	info := c.Info
	if len(as.Rhs) == 1 && len(as.Lhs) > 1 {
		_, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		return ok && i == len(as.Lhs)-1
	}
	if len(as.Rhs) != len(as.Lhs) {
		return false
	}
	call, ok := ast.Unparen(as.Rhs[i]).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := CalleeFunc(info, call)
	if fn == nil {
		return false
	}
	if lf := c.LocalFunc(fn); lf != nil {
		k := fn.Signature().Results().Len() - 1
		for _, ret := range ReturnsOf(lf.Decl.Body) {
			if k < len(ret.Results) && IsNil(info, ret.Results[k]) {
				return true
			}
		}
		return false
	}
	return fn.Signature().Recv() != nil
}

// stillMayBeNil returns v, an error that may be nil (see noteErrSet),
// unless the comparison e, evaluated to truth, says it is not nil.
func stillMayBeNil(info *types.Info, e *ast.BinaryExpr, truth bool, v *types.Var) *types.Var {
	if v != nil && (e.Op == token.NEQ) == truth && (VarOf(info, e.X) == v && IsNil(info, e.Y) || VarOf(info, e.Y) == v && IsNil(info, e.X)) {
		return nil // err != nil here
	}
	return v
}

// errorMatched reports whether cond calls errors.Is or errors.As on err
// (with a target that is not nil): true only if err is not nil.
func errorMatched(info *types.Info, cond ast.Expr, err *types.Var) bool {
	call, ok := ast.Unparen(cond).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || VarOf(info, call.Args[0]) != err || IsNil(info, call.Args[1]) {
		return false
	}
	return IsFunc(CalleeFunc(info, call), "errors", "Is", "As")
}
