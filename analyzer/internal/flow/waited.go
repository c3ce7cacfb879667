package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// waitedFor reports whether the function literal at lit, nested directly
// in the function at fn, runs in a goroutine that fn waits for: one
// started by a go statement that calls Done on a variable of fn whose
// Wait fn calls after that statement (a sync.WaitGroup), or one handed
// to the Go method of a variable whose Wait fn calls after that call (an
// errgroup.Group, WaitGroup.Go). What the literal does with a value it
// captures then happens before fn goes on past the Wait, as if in place.
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
	var group *types.Var
	var after token.Pos
	switch cur.ParentEdgeKind() {
	case edge.CallExpr_Fun: // go func() { defer wg.Done(); ... }()
		if cur.Parent().ParentEdgeKind() != edge.GoStmt_Call {
			return false
		}
		group = doneOn(info, lit.Node().(*ast.FuncLit).Body)
		after = cur.Parent().Node().End()
	case edge.CallExpr_Args: // g.Go(func() error { ... })
		call := cur.Parent().Node().(*ast.CallExpr)
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" {
			group = VarOf(info, sel.X)
		}
		after = call.End()
	}
	if group == nil || !HasMethod(group.Type(), "Wait") {
		return false
	}
	_, body := FuncParts(fn.Node())
	return callsOn(info, body, group, "Wait", after)
}

// doneOn returns the variable, declared outside body, whose Done method
// body calls (defer wg.Done()), if one.
func doneOn(info *types.Info, body *ast.BlockStmt) *types.Var {
	var v *types.Var
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && v == nil {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && len(call.Args) == 0 {
				if w := VarOf(info, sel.X); w != nil && !PosIn(w.Pos(), body) {
					v = w
				}
			}
		}
		return v == nil
	})
	return v
}

// callsOn reports whether body, outside its function literals, calls
// the method name of v after the position after.
func callsOn(info *types.Info, body *ast.BlockStmt, v *types.Var, name string, after token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == name && n.Pos() >= after && VarOf(info, sel.X) == v {
				found = true
			}
		}
		return !found
	})
	return found
}
