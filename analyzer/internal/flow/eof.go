package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// This file holds the reads to the end that a reader made over the
// resource reports by an end-of-stream error: a loop that decodes values
// until its decoder returns io.EOF has read what the resource holds to
// its end on the path where the test is true,
//
//	dec := json.NewDecoder(resp.Body)
//	for {
//		if err := dec.Decode(&v); err == io.EOF {
//			break          // read to its end here
//		} else if err != nil {
//			return err
//		}
//	}
//
// The hooks say which methods return io.EOF only once their reader has
// (Hooks.EndsAtEOF): a decoder's does, a framed reader's (an archive's
// end marker, a bounded reader's limit) need not.

// eofErrAfter returns the error variable that, after n, holds the
// error of a method of a reader made over the resource that returns
// io.EOF only at its reader's end, given cur, the one before: n's own
// (err := dec.Decode(&v), err = r.ReadString('\n')), none if n assigns
// cur something else, else cur.
func eofErrAfter(t *tracked, n ast.Node, cur *types.Var) *types.Var {
	as, ok := n.(*ast.AssignStmt)
	if !ok {
		return cur
	}
	info := t.c.Info
	if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok && len(as.Rhs) == 1 {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && t.c.hooks.EndsAtEOF(CalleeFunc(info, call)) {
			made, ok := ast.Unparen(sel.X).(*ast.CallExpr) // json.NewDecoder(resp.Body).Decode(&v)
			if !ok {
				made = t.c.DefiningCall(VarOf(info, sel.X)) // dec := json.NewDecoder(resp.Body)
			}
			if made != nil && slices.ContainsFunc(made.Args, func(a ast.Expr) bool { return holdsToward(info, t.v, t.at, a) }) {
				if v := errResultOf(info, as, call); v != nil {
					return v
				}
			}
		}
	}
	if cur != nil && slices.ContainsFunc(as.Lhs, func(l ast.Expr) bool { return VarOf(info, l) == cur }) {
		return nil // err = other()
	}
	return cur
}

// readToEOF reports whether cond, taken to be truth, says that the error
// eofErr (see eofErrAfter) is io.EOF: err == io.EOF, err != io.EOF taken
// false, or errors.Is(err, io.EOF).
func readToEOF(info *types.Info, cond ast.Expr, truth bool, eofErr *types.Var) bool {
	var errExpr ast.Expr
	switch e := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		if e.Op != token.EQL && e.Op != token.NEQ || (e.Op == token.EQL) != truth {
			return false
		}
		switch {
		case isEOF(info, e.Y):
			errExpr = e.X
		case isEOF(info, e.X):
			errExpr = e.Y
		}
	case *ast.CallExpr:
		if truth && IsFunc(CalleeFunc(info, e), "errors", "Is") && len(e.Args) == 2 && isEOF(info, e.Args[1]) {
			errExpr = e.Args[0]
		}
	}
	return errExpr != nil && VarOf(info, errExpr) == eofErr
}

// isEOF reports whether e names io.EOF.
func isEOF(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "io" && v.Name() == "EOF"
}
