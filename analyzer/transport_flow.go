package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A poolFlow is what a function does with a connection pool it builds:
// the local variables that hold it, the requests sent through it, and
// whether it leaves the function or is shut down.
type poolFlow struct {
	fn       inspector.Cursor // the innermost function that builds the pool
	vars     []*types.Var     // local variables holding the pool (a transport, a client, a struct)
	requests []ast.Node       // calls that send a request through it
	escapes  bool             // it reaches code we do not follow: a store, an argument, a closure
	returned bool             // it is returned to the caller
	closed   bool             // CloseIdleConnections is called on it
	// noKeepAlive: DisableKeepAlives is set to true (or to a value we
	// cannot read), or MaxIdleConnsPerHost to a negative constant.
	noKeepAlive bool
	// mutated: the transport's fields are set or read after it is built,
	// or a protocol is registered on it; sharing it would be unsafe.
	mutated bool

	work []inspector.Cursor // expressions whose value is the pool, still to look at
}

// follow follows the pool built at start, in the function at fn, through
// the expressions and local variables that hold it, until it escapes.
func (t *transportCheck) follow(fn, start inspector.Cursor) *poolFlow {
	fl := &poolFlow{fn: fn, work: []inspector.Cursor{start}}
	for len(fl.work) > 0 && !fl.escapes {
		cur := fl.work[len(fl.work)-1]
		fl.work = fl.work[:len(fl.work)-1]
		t.step(fl, cur)
	}
	return fl
}

// step looks at the context of the expression at cur, whose value is
// (or holds) the pool.
func (t *transportCheck) step(fl *poolFlow, cur inspector.Cursor) {
	info := t.c.pass.TypesInfo
	cur = outerParens(cur)
	parent := cur.Parent()
	kind, idx := cur.ParentEdge()
	switch kind {
	case edge.UnaryExpr_X:
		// &transport: the address of a Transport or Client value.
		if parent.Node().(*ast.UnaryExpr).Op == token.AND && !isPointerType(info.TypeOf(cur.Node().(ast.Expr))) {
			fl.work = append(fl.work, parent)
			return
		}
	case edge.SelectorExpr_X:
		t.selector(fl, parent)
		return
	case edge.KeyValueExpr_Value:
		// http.Client{Transport: tr}, or a struct literal holding it.
		kv := parent.Node().(*ast.KeyValueExpr)
		litCur := parent.Parent()
		if lit, ok := litCur.Node().(*ast.CompositeLit); ok {
			if isHTTPClient(info.TypeOf(lit)) {
				if id := identOf(kv.Key); id != nil && id.Name == "Transport" {
					fl.work = append(fl.work, litCur)
					return
				}
			} else if isStructType(info.TypeOf(lit)) {
				fl.work = append(fl.work, litCur) // a holder: only returning it is followed
				return
			}
		}
	case edge.CompositeLit_Elts:
		if lit := parent.Node().(*ast.CompositeLit); isStructType(info.TypeOf(lit)) && !isHTTPClient(info.TypeOf(lit)) {
			fl.work = append(fl.work, parent) // a holder: only returning it is followed
			return
		}
	case edge.AssignStmt_Rhs:
		as := parent.Node().(*ast.AssignStmt)
		if as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
			break // x op= pool: not a store we follow
		}
		if len(as.Lhs) == len(as.Rhs) {
			t.store(fl, as.Lhs[idx])
			return
		}
		if tuple, ok := info.TypeOf(as.Rhs[0]).(*types.Tuple); ok {
			if i := poolResult(tuple); i >= 0 {
				t.store(fl, as.Lhs[i]) // c, err := newClient()
				return
			}
		}
	case edge.ValueSpec_Values:
		spec := parent.Node().(*ast.ValueSpec)
		if len(spec.Names) == len(spec.Values) {
			t.store(fl, spec.Names[idx])
			return
		}
		if tuple, ok := info.TypeOf(spec.Values[0]).(*types.Tuple); ok {
			if i := poolResult(tuple); i >= 0 {
				t.store(fl, spec.Names[i]) // var c, err = newClient()
				return
			}
		}
	case edge.ReturnStmt_Results:
		fl.returned = true
		return
	case edge.BinaryExpr_X, edge.BinaryExpr_Y:
		if op := parent.Node().(*ast.BinaryExpr).Op; op == token.EQL || op == token.NEQ {
			return // compared: does not leave
		}
	case edge.ExprStmt_X:
		return // evaluated and dropped
	}
	fl.escapes = true // anything else: passed on, sent, converted, stored away
}

// selector looks at x.sel, where x holds the pool.
//
//	client.Do(req)                  a request
//	defer tr.CloseIdleConnections() shut down
//	tr.DisableKeepAlives = true     pooling off
//	client.Transport                handed out: escapes
func (t *transportCheck) selector(fl *poolFlow, cur inspector.Cursor) {
	info := t.c.pass.TypesInfo
	sel := cur.Node().(*ast.SelectorExpr)
	selection := info.Selections[sel]
	if selection == nil {
		fl.escapes = true
		return
	}
	recv := info.TypeOf(sel.X)
	switch selection.Kind() {
	case types.MethodVal:
		if cur.ParentEdgeKind() != edge.CallExpr_Fun {
			break // a method value keeps the receiver
		}
		fn := selection.Obj().(*types.Func)
		switch {
		case fn.Name() == "CloseIdleConnections":
			fl.closed = true
			return
		case isMethod(fn, "net/http", "Client", "Do", "Get", "Head", "Post", "PostForm"),
			isMethod(fn, "net/http", "Transport", "RoundTrip"),
			isMethod(fn, "net/http", "RoundTripper", "RoundTrip"):
			fl.requests = append(fl.requests, cur.Parent().Node())
			return
		case isMethod(fn, "net/http", "Transport", "Clone", "CancelRequest"):
			return // neither keeps nor shares the pool
		case isMethod(fn, "net/http", "Transport", "RegisterProtocol"):
			fl.mutated = true
			return
		}
	case types.FieldVal:
		switch {
		case isNamed(recv, "net/http", "Transport"):
			fl.mutated = true
			if cur.ParentEdgeKind() == edge.AssignStmt_Lhs {
				as := cur.Parent().Node().(*ast.AssignStmt)
				if len(as.Lhs) == len(as.Rhs) && fieldTurnsOffPool(info, sel.Sel.Name, as.Rhs[cur.ParentEdgeIndex()]) {
					fl.noKeepAlive = true
				}
			}
			return
		case isHTTPClient(recv) && (sel.Sel.Name != "Transport" || cur.ParentEdgeKind() == edge.AssignStmt_Lhs):
			return // Timeout, Jar, ...: they do not touch the pool; setting Transport replaces it
		}
	}
	fl.escapes = true // a holder's fields and methods, a method value, client.Transport
}

// store follows the pool into lhs = pool. Only local variables of the
// function are followed, and c.Transport for a client c built there.
func (t *transportCheck) store(fl *poolFlow, lhs ast.Expr) {
	info := t.c.pass.TypesInfo
	switch lhs := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if lhs.Name == "_" {
			return // dropped
		}
		if v, ok := info.ObjectOf(lhs).(*types.Var); ok && t.isLocal(fl.fn, v) {
			t.trackVar(fl, v)
			return
		}
	case *ast.SelectorExpr:
		if lhs.Sel.Name == "Transport" {
			if v := t.freshClientVar(fl.fn, lhs.X); v != nil {
				t.trackVar(fl, v) // c := &http.Client{}; c.Transport = pool
				return
			}
		}
	}
	fl.escapes = true // a field, an element, a global, a captured or named result variable
}

// isLocal reports whether v is declared in the body of the function at
// fn (not a parameter or named result, not captured from outside).
func (t *transportCheck) isLocal(fn inspector.Cursor, v *types.Var) bool {
	body := funcNodeBody(fn.Node())
	return !v.IsField() && body != nil && posIn(v.Pos(), body)
}

// trackVar adds the uses of the local variable v to the work list.
func (t *transportCheck) trackVar(fl *poolFlow, v *types.Var) {
	for _, w := range fl.vars {
		if w == v {
			return // already followed
		}
	}
	fl.vars = append(fl.vars, v)
	for use := range t.uses(fl.fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			continue // overwritten: another value
		}
		if encl, _ := funcCursor(use); encl != fl.fn {
			// Captured by a function literal, which may outlive the
			// call; unless all it does is close the pool.
			if isCloseIdleCall(use) {
				fl.closed = true
			} else {
				fl.escapes = true
			}
			continue
		}
		fl.work = append(fl.work, use)
	}
}

// uses returns the identifiers in the function at fn that use v.
func (t *transportCheck) uses(fn inspector.Cursor, v *types.Var) func(yield func(inspector.Cursor) bool) {
	info := t.c.pass.TypesInfo
	return func(yield func(inspector.Cursor) bool) {
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if info.Uses[cur.Node().(*ast.Ident)] == v && !yield(cur) {
				return
			}
		}
	}
}

// isCloseIdleCall reports whether the identifier at cur is x in
// x.CloseIdleConnections().
func isCloseIdleCall(cur inspector.Cursor) bool {
	cur = outerParens(cur)
	if cur.ParentEdgeKind() != edge.SelectorExpr_X {
		return false
	}
	sel := cur.Parent()
	return sel.Node().(*ast.SelectorExpr).Sel.Name == "CloseIdleConnections" && sel.ParentEdgeKind() == edge.CallExpr_Fun
}

// freshClientVar returns the variable x names if it is a local client
// of its own, never reassigned: a Client value (a copy, whatever it was
// copied from), or a pointer to a Client literal built in the function
// at fn:
//
//	var c http.Client    c := *shared    c := &http.Client{Timeout: d}
func (t *transportCheck) freshClientVar(fn inspector.Cursor, x ast.Expr) *types.Var {
	info := t.c.pass.TypesInfo
	id := identOf(x)
	if id == nil {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || !isHTTPClient(v.Type()) || !t.isLocal(fn, v) {
		return nil
	}
	for use := range t.uses(fn, v) {
		if use.ParentEdgeKind() == edge.AssignStmt_Lhs {
			return nil // reassigned: maybe to a shared client
		}
	}
	if !isPointerType(v.Type()) {
		return v
	}
	def, ok := fn.FindByPos(v.Pos(), v.Pos()+token.Pos(len(v.Name())))
	if !ok {
		return nil
	}
	var init ast.Expr
	switch kind, idx := def.ParentEdge(); kind {
	case edge.AssignStmt_Lhs:
		if as := def.Parent().Node().(*ast.AssignStmt); len(as.Lhs) == len(as.Rhs) {
			init = as.Rhs[idx]
		}
	case edge.ValueSpec_Names:
		if spec := def.Parent().Node().(*ast.ValueSpec); len(spec.Names) == len(spec.Values) {
			init = spec.Values[idx]
		}
	}
	if u, ok := ast.Unparen(init).(*ast.UnaryExpr); ok && u.Op == token.AND {
		if lit, ok := ast.Unparen(u.X).(*ast.CompositeLit); ok && isHTTPClient(info.TypeOf(lit)) {
			return v
		}
	}
	return nil // a nil, shared or unknown *http.Client
}

// isPointerType reports whether t is a pointer type.
func isPointerType(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}

// isStructType reports whether t is a struct type (not a pointer to one).
func isStructType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}
