package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check's rule for a deferred close in a loop
// that runs many times.

// deferredInLoop returns a defer that closes the response in v (whose
// body sits at at), in the loop around the call at cur that makes it, in
// the function at fn, if that loop can run many times; and the loop.
//
//	for job := range jobs {
//		resp, err := client.Get(job.URL)
//		...
//		defer resp.Body.Close()   // closes nothing until the function returns
func deferredInLoop(c *checker, cur, fn inspector.Cursor, v *types.Var, at flow.Place) (*ast.DeferStmt, ast.Stmt) {
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
	for _, use := range c.UsesOf(fn, v) {
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
		if d != nil && c.Classify(c.body, flow.StackOf(use, fn), at, -1).Kind == flow.UseRelease && !endsIteration(c, loop, d) && heldOnNextRound(c, fn, d, v, at) {
			return d, loop.Node().(ast.Stmt)
		}
	}
	return nil, nil
}

// heldOnNextRound reports whether some path from the defer d goes on
// to the loop's next round (or overwrites v) with the body still open
// and not read to its end: one that closes it again, or reads it to EOF,
// before it goes round holds no connection; a return runs d.
//
//	defer resp.Body.Close()
//	...
//	resp.Body.Close()   // the next round starts with it closed
func heldOnNextRound(c *checker, fn inspector.Cursor, d *ast.DeferStmt, v *types.Var, at flow.Place) bool {
	found := c.Search(flow.Target{Spec: c.body, V: v, At: at, ReleasedOnReturn: true}, fn.Node(), d)
	return found.Leak != nil
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
		for _, s := range flow.Following(cur) {
			switch s := s.(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if s.Tok == token.BREAK && s.Label == nil || s.Tok == token.GOTO {
					return true
				}
			case *ast.ExprStmt:
				if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && !c.MayReturn(call) {
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
	if fd := flow.EnclosingDecl(fn); fd != nil && fn.Node() == fd {
		where = flow.FuncName(fd)
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
