package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// waitedFor reports whether the function literal at lit, nested directly
// in the function at fn, runs in a goroutine that fn waits for: one
// started by a go statement that calls Done on a variable of fn whose
// Wait fn calls after that statement (a sync.WaitGroup), or that closes
// or sends on a channel of fn that fn receives from after it; or one
// handed to the Go method of a variable whose Wait fn calls after that
// call (an errgroup.Group, WaitGroup.Go). What the literal does with a
// value it captures then happens before fn goes on past the wait, as if
// in place.
//
//	var wg sync.WaitGroup
//	for _, u := range urls {
//		wg.Add(1)
//		go func() { defer wg.Done(); get(c, u) }()
//	}
//	wg.Wait()
func waitedFor(info *types.Info, fn, lit inspector.Cursor) bool {
	if encl, _ := EnclosingFunc(lit.Parent()); encl != fn {
		return false // nested deeper
	}
	cur := OuterParens(lit)
	var signals []*types.Var // what the goroutine says it is done on
	var after token.Pos
	switch cur.ParentEdgeKind() {
	case edge.CallExpr_Fun: // go func() { defer wg.Done(); ... }()
		if cur.Parent().ParentEdgeKind() != edge.GoStmt_Call {
			return false
		}
		signals = signalsOn(info, lit.Node().(*ast.FuncLit).Body)
		after = cur.Parent().Node().End()
	case edge.CallExpr_Args: // g.Go(func() error { ... })
		call := cur.Parent().Node().(*ast.CallExpr)
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" {
			if g := VarOf(info, sel.X); g != nil {
				signals = append(signals, g)
			}
		}
		after = call.End()
	}
	_, body := FuncParts(fn.Node())
	return slices.ContainsFunc(signals, func(v *types.Var) bool { return waitsOn(info, body, v, after) })
}

// signalsOn returns the variables, declared outside body, on which body
// says it is done: it calls their Done method (defer wg.Done()), closes
// them or sends on them (channels).
func signalsOn(info *types.Info, body *ast.BlockStmt) []*types.Var {
	var vars []*types.Var
	outside := func(e ast.Expr) {
		if w := VarOf(info, e); w != nil && !PosIn(w.Pos(), body) {
			vars = append(vars, w)
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SendStmt: // done <- struct{}{}
			outside(n.Chan)
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && len(n.Args) == 0 {
				outside(sel.X)
			} else if IsBuiltin(info, n, "close") && len(n.Args) == 1 {
				outside(n.Args[0])
			}
		}
		return true
	})
	return vars
}

// waitsOn reports whether body, outside its function literals, waits on
// v after the position after: calls its Wait method, or receives from
// it (a channel, also by ranging over it), other than in a case of a
// select, which may take another.
func waitsOn(info *types.Info, body *ast.BlockStmt, v *types.Var, after token.Pos) bool {
	_, isChan := v.Type().Underlying().(*types.Chan)
	if !isChan && !HasMethod(v.Type(), "Wait") {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() < after && !PosIn(after, n) {
			return false // found, or before the start (and not around it)
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.SelectStmt:
			return false // (a select's case is one alternative: the goroutine may run on)
		case *ast.CallExpr:
			sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			found = !isChan && ok && sel.Sel.Name == "Wait" && VarOf(info, sel.X) == v
		case *ast.UnaryExpr:
			found = isChan && n.Op == token.ARROW && VarOf(info, n.X) == v
		case *ast.RangeStmt:
			found = isChan && VarOf(info, n.X) == v
		}
		return !found
	})
	return found
}
