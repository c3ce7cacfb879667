package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what makes the response a function got from a producer
// no longer fresh when it returns it (closed or handed on before), and
// the paths on which that does not count: those that return something
// else (an error path).

// spentBefore reports whether lf may close, replace the Body of, or hand
// off the response in v other than by returning it; or, if it closes or
// hands it off only under a test of a parameter, the condition under
// which it does not. A close or a hand-off on a path that returns
// something else (an error path) leaves the other paths' response
// fresh:
//
//	if cb != nil {            // fresh when cb == nil
//		cb(resp)
//		return nil, nil
//	}
//	return resp, nil
func spentBefore(c *checker, lf *flow.Func, v *types.Var, from token.Pos) (bool, flow.Condition) {
	info := c.pass.TypesInfo
	var closed flow.Condition // the test under which it closes it
	for use := range identUses(c, lf.Cur(), v) {
		stack := flow.StackOf(use, lf.Cur())
		u := c.Classify(c.body, stack, responsePlace, -1)
		ev := flow.EventOf(u.Kind)
		switch ev {
		case flow.EvHandoff, flow.EvReplace:
			if returnedAt(stack) || wrapsBody(stack, v, info) {
				continue
			}
			if u.Hook && handedBackFrom(c, lf, u.Node, []*types.Var{v}) {
				continue // a hook looked at it: lf then returns it
			}
			fallthrough
		case flow.EvRelease:
			if w, ok := c.GuardFrom(lf.Cur(), use, from); ok && (closed.Param == 0 || w == closed) {
				closed = w
				continue
			}
			if onErrorPath(stack, v, info) || ev == flow.EvHandoff && neverHandedBack(c, lf, v, stack) || ev == flow.EvRelease && (neverHandedBack(c, lf, v, stack) || closedOnError(c, lf, stack) || closedWithError(c, lf, stack) || keptWhereReturned(c, lf, v, stack)) {
				continue
			}
			return true, flow.Condition{}
		}
	}
	if closed.Param != 0 {
		return false, closed.Not()
	}
	return false, flow.Condition{}
}

// onErrorPath reports whether the close at the top of stack (whose
// bottom is the function's body) runs only on paths that return
// something other than v: it sits in a nested block or case clause that
// ends by returning something else, and that no branch statement leaves
// (deferred, it must be a statement of that block: it then runs on that
// return only); or it is a statement of the function's body after which
// no return hands v back.
//
//	if resp.StatusCode != 200 {
//		resp.Body.Close()          // or: defer resp.Body.Close()
//		return nil, err
//	}
//
//	if resp.StatusCode == 200 {
//		return resp, nil
//	}
//	defer resp.Body.Close()
//	return nil, errStatus
func onErrorPath(stack []ast.Node, v *types.Var, info *types.Info) bool {
	if i := goStarted(stack); i > 0 {
		stack = stack[:i+1] // in a goroutine: it closes on the path of the go statement
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if _, ok := stack[i].(*ast.FuncLit); ok {
			return false
		}
		list := flow.StmtList(stack[i])
		if list == nil || i+1 >= len(stack) {
			continue // the close's own statement (a defer, an if...) is below
		}
		at := slices.IndexFunc(list, func(st ast.Stmt) bool { return st == stack[i+1] })
		if at < 0 {
			return false
		}
		hands, returns := handsBack(list[at:], v, info)
		if i == 0 {
			return returns && !hands // the function's own body
		}
		_, last := list[len(list)-1].(*ast.ReturnStmt)
		return last && !hands && !branches(list)
	}
	return false
}

// goStarted returns the index in stack of the go statement that starts
// the innermost function literal of stack, as the function its call
// calls (go func() {...}()); -1 if that literal is not so started, or if
// there is none.
func goStarted(stack []ast.Node) int {
	for i := len(stack) - 1; i >= 2; i-- {
		if lit, ok := stack[i].(*ast.FuncLit); ok {
			if g, ok := stack[i-2].(*ast.GoStmt); ok && g.Call == stack[i-1] && ast.Unparen(g.Call.Fun) == lit {
				return i - 2
			}
			return -1
		}
	}
	return -1
}

// handsBack reports whether a return in stmts (outside function
// literals) hands v back, and whether any returns at all. A naked return
// hands back the named result v unless a statement of stmts before it
// gave v another value (resp, err = nil, errStatus).
func handsBack(stmts []ast.Stmt, v *types.Var, info *types.Info) (hands, returns bool) {
	named := v.Kind() == types.ResultVar
	for _, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				returns = true
				hands = hands || named && len(n.Results) == 0 || slices.ContainsFunc(n.Results, func(r ast.Expr) bool {
					id := flow.IdentOf(r)
					return id != nil && info.Uses[id] == v
				})
			}
			return !hands
		})
		if as, ok := st.(*ast.AssignStmt); ok && slices.ContainsFunc(as.Lhs, func(l ast.Expr) bool {
			id := flow.IdentOf(l)
			return id != nil && info.ObjectOf(id) == v
		}) {
			named = false // what a naked return hands back from here on is not the response
		}
	}
	return hands, returns
}

// branches reports whether stmts hold a break, continue or goto
// statement (outside function literals).
func branches(stmts []ast.Stmt) bool {
	found := false
	for _, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				found = true
			}
			return !found
		})
	}
	return found
}

// handedBackFrom reports whether every return that a path from n (a call
// of a hook given the response: a func value whose origin is not known,
// or an interface's method nothing is known of) can reach hands back one
// of vars as lf's response result: a hook that gets the response and
// then sees it returned to the caller only looked at it (vault's
// response callbacks), as the caller that gets it owns it.
//
//	for _, cb := range c.responseCallbacks {
//		cb(result)
//	}
//	return result, nil
func handedBackFrom(c *checker, lf *flow.Func, n ast.Node, vars []*types.Var) bool {
	results := lf.Sig().Results()
	ri := slices.IndexFunc(slices.Collect(results.Variables()), func(r *types.Var) bool { _, ok := bodyPlace(r.Type()); return ok })
	rets, ok := c.ReturnsFrom(lf.Body(), n)
	if !ok || ri < 0 || len(rets) == 0 {
		return false
	}
	for _, ret := range rets {
		var v *types.Var
		switch len(ret.Results) {
		case 0:
			v = results.At(ri)
		case results.Len():
			v = flow.VarOf(c.pass.TypesInfo, ret.Results[ri])
		}
		if !slices.Contains(vars, v) || v == nil {
			return false
		}
	}
	return true
}

// neverHandedBack reports whether the close (or hand-off) at the top of
// stack is a statement of lf (not deferred) after which no path returns
// (or hands on) the response v holds before v is given another: a retry
// loop that closes the response it drops, or a redirect loop that hands
// it to a goroutine, and goes round for a new one.
//
//	if resp.StatusCode == http.StatusServiceUnavailable && i < 3 {
//		resp.Body.Close()    // or: go drainClose(resp)
//		continue             // resp, err := client.Do(req) again
//	}
//	return resp, nil
func neverHandedBack(c *checker, lf *flow.Func, v *types.Var, stack []ast.Node) bool {
	var stmt ast.Stmt
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit, *ast.DeferStmt:
			return false
		case ast.Stmt:
			if flow.StmtList(stack[i-1]) != nil {
				stmt = n // the statement of a block (or clause) that holds the close
			}
		}
		if stmt != nil {
			break
		}
	}
	if stmt == nil {
		return false
	}
	found := c.Search(flow.Target{Spec: c.body, V: v, At: responsePlace}, lf.Node(), stmt)
	return !found.Handled
}

// closedOnError reports whether the close at the top of stack sits in a
// deferred function literal of lf, under a test that lf's named error
// result is not nil: it closes the response only on the returns that say
// the call failed.
//
//	defer func() {
//		if err != nil {
//			resp.Body.Close()
//		}
//	}()
//
// The test may be one conjunct of several (err != nil && resp != nil).
// It may also be of a local error that every assignment sets
// before the defer (unnamed results: the call's own err): it holds the
// call's failure, when there is no response to close, and the closure
// closes nothing once the function has one.
func closedOnError(c *checker, lf *flow.Func, stack []ast.Node) bool {
	info := c.pass.TypesInfo
	results := lf.Sig().Results()
	if results.Len() == 0 {
		return false
	}
	errRes := results.At(results.Len() - 1)
	if !flow.IsErrorType(errRes.Type()) {
		return false
	}
	for i := len(stack) - 2; i > 1; i-- {
		ifs, ok := stack[i].(*ast.IfStmt)
		if !ok || stack[i+1] != ifs.Body {
			continue
		}
		tested := testedError(info, ifs.Cond, errRes)
		if tested == nil {
			continue
		}
		for j := i - 1; j >= 2; j-- {
			if lit, ok := stack[j].(*ast.FuncLit); ok {
				call, ok := stack[j-1].(*ast.CallExpr)
				d, deferred := stack[j-2].(*ast.DeferStmt)
				return ok && call.Fun == lit && deferred && (tested == errRes && errRes.Name() != "" || writtenBefore(c, tested, d))
			}
		}
		return false
	}
	return false
}

// keptWhereReturned reports whether the close at the top of stack sits
// in a deferred function literal of lf that closes only under a flag
// (see flow.DeferFlag), which every return of lf that hands v back has
// set to leave it open: lf closes it on its other paths only.
//
//	keep := false
//	defer func() {
//		if !keep {
//			resp.Body.Close()
//		}
//	}()
//	...
//	keep = true
//	return resp, nil
func keptWhereReturned(c *checker, lf *flow.Func, v *types.Var, stack []ast.Node) bool {
	info := c.pass.TypesInfo
	for j := len(stack) - 1; j >= 2; j-- {
		lit, ok := stack[j].(*ast.FuncLit)
		if !ok {
			continue
		}
		call, ok := stack[j-1].(*ast.CallExpr)
		d, deferred := stack[j-2].(*ast.DeferStmt)
		if !ok || !deferred || ast.Unparen(call.Fun) != lit {
			return false
		}
		f := flow.DeferFlag(info, lf.Body(), d)
		if f.V == nil {
			return false
		}
		handed := false
		for _, ret := range flow.ReturnsOf(lf.Body()) {
			if !slices.ContainsFunc(ret.Results, func(e ast.Expr) bool { return flow.VarOf(info, e) == v }) {
				continue
			}
			if val, ok := flow.FlagAt(info, lf.Body(), ret, f.V); !ok || val == f.When {
				return false
			}
			handed = true
		}
		return handed
	}
	return false
}

// testedError returns the error variable that cond, or one of its
// conjuncts (err != nil && resp != nil: the others only narrow it down),
// tests not nil: the named error result errRes, or a local error
// variable; nil if none.
func testedError(info *types.Info, cond ast.Expr, errRes *types.Var) *types.Var {
	for _, conj := range flow.Conjuncts(cond) {
		b, ok := conj.(*ast.BinaryExpr)
		if !ok || b.Op != token.NEQ || !flow.IsNil(info, b.Y) {
			continue
		}
		tested, _ := info.ObjectOf(flow.IdentOf(b.X)).(*types.Var)
		if tested != nil && (tested == errRes || tested.Kind() == types.LocalVar && flow.IsErrorType(tested.Type())) {
			return tested
		}
	}
	return nil
}

// writtenBefore reports whether every assignment to v comes before n.
func writtenBefore(c *checker, v *types.Var, n ast.Node) bool {
	for _, w := range c.WritesTo(v) {
		if w.Pos >= n.Pos() {
			return false
		}
	}
	return true
}

// closedWithError reports whether the close at the top of stack is a
// statement of a nested block (not deferred) that ends by returning an
// error that is not nil there (errorNotNil): the error an enclosing if
// tested not nil, one made on the spot, a sentinel. The response that
// return hands back, if any, is closed, and the caller that sees the
// error has nothing to close.
//
//	if err := CheckResponse(resp); err != nil {
//		resp.Body.Close()
//		return response, err
//	}
func closedWithError(c *checker, lf *flow.Func, stack []ast.Node) bool {
	results := lf.Sig().Results()
	if results.Len() < 2 || !flow.IsErrorType(results.At(results.Len()-1).Type()) {
		return false
	}
	for i := len(stack) - 2; i > 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncLit, *ast.DeferStmt, *ast.GoStmt:
			return false
		}
		list := flow.StmtList(stack[i])
		if list == nil {
			continue
		}
		ret, ok := list[len(list)-1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != results.Len() || branches(list) {
			return false
		}
		return errorNotNil(c.pass.TypesInfo, ret.Results[len(ret.Results)-1], stack[i-1], stack[i])
	}
	return false
}

// errorNotNil reports whether e, returned at the end of block (whose
// parent is parent), is an error known not to be nil: a variable that
// parent tests not nil (if err != nil { ... }), and that block does not
// assign; a call of errors.New or fmt.Errorf; a pointer to a literal; a
// package's error variable (io.EOF, a sentinel).
func errorNotNil(info *types.Info, e ast.Expr, parent, block ast.Node) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		return flow.IsFunc(flow.CalleeFunc(info, x), "errors", "New") || flow.IsFunc(flow.CalleeFunc(info, x), "fmt", "Errorf")
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(x.X).(*ast.CompositeLit)
		return x.Op == token.AND && lit
	}
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		e = sel.Sel // io.EOF
	}
	v := flow.VarOf(info, e)
	if v != nil && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return true
	}
	ifs, ok := parent.(*ast.IfStmt)
	if v == nil || !ok || ifs.Body != block {
		return false
	}
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ || !flow.IsNil(info, cond.Y) || flow.VarOf(info, cond.X) != v {
		return false
	}
	assigned := false
	ast.Inspect(block, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && slices.ContainsFunc(as.Lhs, func(l ast.Expr) bool { return flow.VarOf(info, l) == v }) {
			assigned = true
		}
		return !assigned
	})
	return !assigned
}

// deferredCloseOnError reports whether lf closes the response in v in a
// deferred function literal when its named error result is not nil
// (closedOnError): a return with an error hands back a closed response.
func deferredCloseOnError(c *checker, lf *flow.Func, v *types.Var) bool {
	for use := range identUses(c, lf.Cur(), v) {
		stack := flow.StackOf(use, lf.Cur())
		if c.Classify(c.body, stack, responsePlace, -1).Kind == flow.UseRelease && closedOnError(c, lf, stack) {
			return true
		}
	}
	return false
}

// returnedAt reports whether the mention at the top of stack is returned,
// itself or its Body (return resp.Body, nil: a stream's wrapper).
func returnedAt(stack []ast.Node) bool {
	n := len(stack)
	if _, ok := stack[n-2].(*ast.ReturnStmt); ok {
		return true
	}
	sel, ok := stack[n-2].(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" || n < 3 {
		return false
	}
	_, ok = stack[n-3].(*ast.ReturnStmt)
	return ok
}
