package analyzer

import (
	"go/ast"
	"go/types"
)

// This file holds what the summaries of functions say for the body
// check: the parameters a function only reads, and a result that hands
// the caller a fresh response.

// summarizeBodyParams records in f the parameters of lf, of a type that
// could take over a response or its Body, that it only reads.
func summarizeBodyParams(c *checker, lf *localFunc, f *funcFact) {
	sig := lf.fn.Signature()
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if sig.Variadic() && i == params.Len()-1 {
			continue // a variadic parameter: left unknown
		}
		if !carriesOwnership(p.Type(), c.http) {
			continue // callers can see from the type that it only reads
		}
		if p.Name() == "" || p.Name() == "_" || onlyReads(c, lf.decl, p) {
			f.Params = append(f.Params, paramFact{Index: i, Effect: effBorrows})
		}
	}
}

// onlyReads reports whether every use of parameter p in fd reads it.
func onlyReads(c *checker, fd *ast.FuncDecl, p *types.Var) bool {
	at := place{}
	if isResponse(p.Type()) {
		at = responsePlace
	}
	var stack []ast.Node
	reads := true
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		if x == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, x)
		if id, ok := x.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == p {
			if c.classify(bodySpec{}, stack, at, -1).kind != useRead {
				reads = false
			}
		}
		return reads
	})
	return reads
}

// summarizeResponse records in f the result of fn that hands a fresh
// response to its caller: one it got from a producer and returns without
// having given it to anyone else on the way. A response that fn closes
// (except on an error path that returns something else), replaces the
// Body of, or passes to code that may close it is not fresh: whether the
// caller must close it then depends on paths we cannot see (bodyclose
// #76).
func summarizeResponse(c *checker, lf *localFunc, f *funcFact) {
	fn, fd := lf.fn, lf.decl
	results := fn.Signature().Results()
	ri := -1
	for i := range results.Len() {
		if isResponse(results.At(i).Type()) {
			ri = i
			break
		}
	}
	if ri < 0 {
		return
	}
	info := c.pass.TypesInfo
	produced := make(map[*types.Var]bool) // variables bound to a producer's response: via a RoundTripper only?
	var returns []*ast.ReturnStmt
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = append(returns, n)
		case *ast.AssignStmt:
			noteProduced(c, n.Lhs, n.Rhs, produced)
		case *ast.ValueSpec:
			noteProduced(c, specLHS(n), n.Values, produced)
		}
		return true
	})
	for v := range produced {
		if spentBefore(c, fd, v) {
			delete(produced, v)
		}
	}
	fresh := false // some return hands a fresh response to the caller
	viaRT := true  // every fresh response returned comes from a RoundTripper
	for _, ret := range returns {
		var call *ast.CallExpr // the producer of the returned response
		var v *types.Var       // or the variable that holds it
		switch {
		case len(ret.Results) == 1 && results.Len() > 1:
			call, _ = ast.Unparen(ret.Results[0]).(*ast.CallExpr)
		case len(ret.Results) == results.Len():
			switch e := ast.Unparen(ret.Results[ri]).(type) {
			case *ast.CallExpr:
				call = e
			case *ast.Ident:
				v, _ = info.Uses[e].(*types.Var)
			}
		case len(ret.Results) == 0:
			v = results.At(ri)
		}
		switch {
		case call != nil:
			idx, rt := producer(c, calleeFunc(info, call))
			if idx != ri && (idx != 0 || len(ret.Results) == 1 && results.Len() > 1) {
				continue
			}
			fresh, viaRT = true, viaRT && rt
		case v != nil:
			rt, ok := produced[v]
			if !ok {
				continue
			}
			fresh, viaRT = true, viaRT && rt
		}
	}
	if fresh {
		f.Results = append(f.Results, resultFact{Index: ri, Kind: kindBody, ViaRoundTripper: viaRT})
	}
}

// spentBefore reports whether fd may close, replace the Body of, or hand
// off the response in v other than by returning it.
func spentBefore(c *checker, fd *ast.FuncDecl, v *types.Var) bool {
	var stack []ast.Node
	spent := false
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		if spent {
			return false
		}
		if x == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, x)
		id, ok := x.(*ast.Ident)
		if !ok || c.pass.TypesInfo.Uses[id] != v {
			return true
		}
		switch eventOf(c.classify(bodySpec{}, stack, responsePlace, -1).kind) {
		case evRelease:
			spent = !onErrorPath(stack, v, c.pass.TypesInfo)
		case evHandoff:
			_, returned := stack[len(stack)-2].(*ast.ReturnStmt)
			spent = !returned && !wrapsBody(stack, v, c.pass.TypesInfo)
		}
		return true
	})
	return spent
}

// onErrorPath reports whether the close at the top of stack (whose
// bottom is the function's body) sits, not deferred, in a nested block
// that ends by returning something other than v:
//
//	if resp.StatusCode != 200 {
//		resp.Body.Close()
//		return nil, err
//	}
func onErrorPath(stack []ast.Node, v *types.Var, info *types.Info) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.DeferStmt, *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			if i == 0 || len(n.List) == 0 {
				return false // the function's own body: the close always runs
			}
			ret, ok := n.List[len(n.List)-1].(*ast.ReturnStmt)
			if !ok {
				return false
			}
			for _, r := range ret.Results {
				if id := identOf(r); id != nil && info.Uses[id] == v {
					return false
				}
			}
			return true
		}
	}
	return false
}

// wrapsBody reports whether the use at the top of stack is part of
// resp.Body = wrap(resp.Body): the wrapper carries the body on.
func wrapsBody(stack []ast.Node, v *types.Var, info *types.Info) bool {
	for i := len(stack) - 2; i >= 0; i-- {
		as, ok := stack[i].(*ast.AssignStmt)
		if !ok {
			continue
		}
		if len(as.Lhs) != 1 || len(as.Rhs) != 1 || bodyOf(info, as.Lhs[0]) != v {
			return false
		}
		return mentions(info, as.Rhs[0], v)
	}
	return false
}

// noteProduced adds to produced the variables that lhs = rhs binds to
// a producer's response, with whether it comes only from a RoundTripper.
func noteProduced(c *checker, lhs, rhs []ast.Expr, produced map[*types.Var]bool) {
	for _, r := range rhs {
		call, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok {
			continue
		}
		idx, viaRT := producer(c, calleeFunc(c.pass.TypesInfo, call))
		if idx < 0 {
			continue
		}
		l, _ := pickLHS(lhs, rhs, call, nil, idx)
		if id := identOf(l); id != nil {
			if v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var); ok {
				rt, seen := produced[v]
				produced[v] = viaRT && (rt || !seen)
			}
		}
	}
}

// bodyOf returns v if e is v.Body for a variable v.
func bodyOf(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return nil
	}
	id := identOf(sel.X)
	if id == nil {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}
