package analyzer

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check's rules for test code: a test server
// that never sends a body, a call the test expects to fail.

// bodylessTestServer reports whether cur is in a test function whose
// httptest servers all answer without a body, or panic (the client then
// gets an error, never a response):
//
//	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		w.WriteHeader(http.StatusNoContent)
//	}))
func bodylessTestServer(c *checker, cur inspector.Cursor) bool {
	if !flow.IsTestFile(c.pass.Fset, cur.Node().Pos()) {
		return false
	}
	fd := flow.EnclosingDecl(cur)
	if fd == nil || fd.Body == nil {
		return false
	}
	info := c.pass.TypesInfo
	servers, bodyless := 0, 0
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !flow.IsFunc(flow.CalleeFunc(info, call), "net/http/httptest", "NewServer", "NewTLSServer", "NewUnstartedServer") || len(call.Args) != 1 {
			return true
		}
		servers++
		h := ast.Unparen(call.Args[0])
		if conv, ok := h.(*ast.CallExpr); ok && len(conv.Args) == 1 {
			h = ast.Unparen(conv.Args[0]) // http.HandlerFunc(func...)
		}
		if lit, ok := h.(*ast.FuncLit); ok && (writesNoBody(c, lit) || c.EndsInNoReturn(lit.Body)) {
			bodyless++
		}
		return true
	})
	return servers > 0 && servers == bodyless
}

// writesNoBody reports whether the handler lit only sets headers and a
// status of 204 or 304 on its ResponseWriter.
func writesNoBody(c *checker, lit *ast.FuncLit) bool {
	params := lit.Type.Params.List
	if len(params) == 0 || len(params[0].Names) == 0 {
		return false
	}
	info := c.pass.TypesInfo
	w := info.Defs[params[0].Names[0]]
	status, other := false, false
	flow.InspectStack(lit.Body, func(stack []ast.Node) bool {
		id, ok := stack[len(stack)-1].(*ast.Ident)
		if !ok || w == nil || info.Uses[id] != w {
			return true
		}
		sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
		if !ok || len(stack) < 3 {
			other = true
			return true
		}
		call, ok := stack[len(stack)-3].(*ast.CallExpr)
		switch {
		case ok && sel.Sel.Name == "Header":
		case ok && sel.Sel.Name == "WriteHeader" && len(call.Args) == 1:
			if tv := info.Types[call.Args[0]]; tv.Value != nil && (tv.Value.ExactString() == "204" || tv.Value.ExactString() == "304") {
				status = true
			} else {
				other = true
			}
		default:
			other = true
		}
		return true
	})
	return status && !other
}

// examinesFailure reports whether the code right after the statement at
// stmtCur, a call whose response is discarded, looks at its error in a
// way other than "did it succeed": a test expecting the call to fail (if
// err == nil, errors.Is, comparing the message, require.Error,
// assert.ErrorContains). There is no response to close then.
func examinesFailure(c *checker, stmtCur inspector.Cursor, errLHS ast.Expr) bool {
	errID := flow.IdentOf(errLHS)
	if errID == nil || errID.Name == "_" {
		return false
	}
	info := c.pass.TypesInfo
	errObj := info.ObjectOf(errID)
	stmt, ok := stmtCur.Node().(ast.Stmt)
	if !ok {
		return false
	}
	looksAtErr := func(n ast.Node) bool { return n != nil && n != stmt && flow.Mentions(info, n, errObj) }
	// The first of the next few statements that looks at err says how.
	var next ast.Stmt
	if p, ok := stmtCur.Parent().Node().(*ast.IfStmt); ok && p.Init == stmt {
		next = p
	} else {
		after := flow.Following(stmtCur)
		for _, s := range after[:min(5, len(after))] {
			if looksAtErr(s) {
				next = s
				break
			}
		}
	}
	switch next := next.(type) {
	case *ast.IfStmt:
		if isErrCheck(info, next.Cond, errObj) {
			return false // if err != nil: the success path drops the response
		}
		return looksAtErr(next.Init) || looksAtErr(next.Cond)
	case *ast.ExprStmt:
		// An assertion on err: require.NoError(t, err) and
		// assert.Nil(t, err) expect success, the others (require.Error,
		// assert.ErrorIs, assert.NotNil...) expect a failure.
		call, ok := ast.Unparen(next.X).(*ast.CallExpr)
		if !ok || !looksAtErr(call) {
			return false
		}
		name := ""
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			name = fun.Sel.Name
		case *ast.Ident:
			name = fun.Name
		}
		return !strings.Contains(name, "NoError") && !strings.HasSuffix(name, "Nil") || strings.HasSuffix(name, "NotNil")
	}
	return false
}

// expectsPanic reports whether the call at cur, in a test file, is
// expected to panic: its test function recovers from a panic in a
// deferred function, or it is in a function literal handed to an
// assertion that it panics (assert.Panics, require.PanicsWithValue...).
// A call that panics returns no response.
func expectsPanic(c *checker, cur inspector.Cursor) bool {
	if !flow.IsTestFile(c.pass.Fset, cur.Node().Pos()) {
		return false
	}
	info := c.pass.TypesInfo
	for fn := cur; fn.Node() != nil; fn = fn.Parent() {
		switch n := fn.Node().(type) {
		case *ast.FuncLit:
			if call, ok := fn.Parent().Node().(*ast.CallExpr); ok && slices.Contains(call.Args, ast.Expr(n)) {
				if callee := flow.CalleeFunc(info, call); callee != nil && strings.Contains(callee.Name(), "Panics") {
					return true
				}
			}
		case *ast.FuncDecl:
			for _, s := range n.Body.List {
				if d, ok := s.(*ast.DeferStmt); ok && recovers(info, d.Call) {
					return true
				}
			}
		}
	}
	return false
}

// recovers reports whether call is a function literal called in place
// that calls recover.
func recovers(info *types.Info, call *ast.CallExpr) bool {
	lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && flow.IsBuiltin(info, call, "recover") {
			found = true
		}
		return !found
	})
	return found
}
