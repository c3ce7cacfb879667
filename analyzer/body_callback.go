package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check of callbacks: a helper that sends the
// request and hands the response to a func it is given, without closing
// it, leaves the close to that func.
//
//	func Handle(req *http.Request, fn func(*http.Response) error) error {
//		resp, err := client.Do(req)
//		if err != nil {
//			return err
//		}
//		return fn(resp)          // summary: param1:body:hands(0)
//	}
//
//	Handle(req, func(resp *http.Response) error {
//		ok = resp.StatusCode == http.StatusOK
//		return nil               // leaks: resp.Body is still open
//	})

// summarizeCallback records in f that lf hands a fresh response to its
// parameter p (the i-th), a func, as the argument of a call of it, and
// does nothing else with that response: no close, no other use.
func summarizeCallback(c *checker, lf *flow.Func, f *flow.Fact, i int, p *types.Var) {
	sig, ok := p.Type().Underlying().(*types.Signature)
	if !ok || p.Name() == "" || p.Name() == "_" || !hasResponseParam(sig) {
		return
	}
	info := c.pass.TypesInfo
	for use := range identUses(c, lf.Cur(), p) {
		call, ok := use.Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != use.Node() || call.Ellipsis.IsValid() {
			continue
		}
		for j, arg := range call.Args {
			v := flow.VarOf(info, arg)
			if v == nil || !nethttp.IsResponse(v.Type()) || !onlyHanded(c, lf, v, use) {
				continue
			}
			f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: flow.Hands, From: j})
			return
		}
	}
}

// hasResponseParam reports whether a func of signature sig takes a
// response.
func hasResponseParam(sig *types.Signature) bool {
	for v := range sig.Params().Variables() {
		if nethttp.IsResponse(v.Type()) {
			return true
		}
	}
	return false
}

// onlyHanded reports whether the local variable v of lf gets a fresh
// response where it is declared, never another value, and the call of
// the func at fn (a use of lf's parameter) that v is given to is where
// lf leaves it: before that call lf only reads it (or returns it, on
// another path), and after it lf neither closes it nor hands it on. A
// wrapper that returns the response on success and hands it to a
// callback on another path leaves the close to the callback there:
//
//	case resp.StatusCode == http.StatusNotFound:
//		if err := onMissing(resp); err != nil {   // the callback's to close
//			return nil, err
//		}
//		return nil, ErrNotFound
func onlyHanded(c *checker, lf *flow.Func, v *types.Var, fn inspector.Cursor) bool {
	init, result, ok := c.LocalOrigin(lf.Cur(), v)
	call, isCall := ast.Unparen(init).(*ast.CallExpr)
	if !ok || !isCall {
		return false
	}
	if p := producer(c, flow.CalleeFunc(c.pass.TypesInfo, call), call); p.idx != max(result, 0) || p.viaRT {
		return false
	}
	handed := fn.Parent().Node()
	for use := range identUses(c, lf.Cur(), v) {
		if use.Node().Pos() >= handed.Pos() {
			continue // the argument, or what the search from the call sees
		}
		stack := flow.StackOf(use, lf.Cur())
		if ev := flow.EventOf(c.Classify(c.body, stack, responsePlace, -1).Kind); ev >= flow.EvReleaseOnError && !returnedAt(stack) {
			return false // closed or handed on before: not the callback's
		}
	}
	var stmt ast.Node
	for _, n := range flow.StackOf(fn, lf.Cur()) {
		if _, ok := n.(ast.Stmt); ok {
			stmt = n // the innermost statement around the call
		}
	}
	return stmt != nil && !c.Search(flow.Target{Spec: c.body, V: v, At: responsePlace}, lf.Node(), stmt).Handled
}

// checkCallback reports the func literal lit, given to a call of fn as
// its argument k, if fn's summary says it hands lit a response and a path
// of lit leaves that response's body open.
func checkCallback(c *checker, fn *types.Func, k int, lit *ast.FuncLit) {
	pf := c.Summary(fn.Origin()).Param(k, kindBody)
	if pf.Effect&flow.Hands == 0 {
		return
	}
	params := paramIdents(lit.Type)
	if pf.From >= len(params) || params[pf.From] == nil {
		return // unnamed, or _: never closed, but never used either
	}
	v, ok := c.pass.TypesInfo.Defs[params[pf.From]].(*types.Var)
	if !ok {
		return
	}
	leaks, _, _, _ := c.SearchParam(flow.Target{Spec: c.body, V: v, At: responsePlace}, lit)
	if len(leaks) == 0 {
		return
	}
	closer := v.Name() + ".Body"
	c.report(analysis.Diagnostic{
		Pos:      v.Pos(),
		End:      params[pf.From].End(),
		Category: nameBody,
		Message: fmt.Sprintf("%s is not closed on every path in the func literal given to %s, which hands it the response and leaves closing it to the func: "+bodyConsequence+"; close it, e.g. defer %s.Close() first in the func",
			closer, qualifiedName(fn), closer),
		Related: []analysis.RelatedInformation{{Pos: leaks[0].Pos, Message: leakMessage(leaks[0], closer, v.Name())}},
	})
}

// callbacks runs checkCallback on the func literals among the arguments
// of the call at cur, a call of fn, that take a response, and
// checkNamedCallback on the functions and methods among them.
func callbacks(c *checker, cur inspector.Cursor, fn *types.Func) {
	call := cur.Node().(*ast.CallExpr)
	if fn == nil || call.Ellipsis.IsValid() {
		return
	}
	info := c.pass.TypesInfo
	params := fn.Signature().Params()
	for k, arg := range call.Args {
		if k >= params.Len() {
			break
		}
		if sig, ok := params.At(k).Type().Underlying().(*types.Signature); !ok || !hasResponseParam(sig) {
			continue // (the callee's parameter types first: no lookup for most calls)
		}
		switch a := ast.Unparen(arg).(type) {
		case *ast.FuncLit:
			checkCallback(c, fn, k, a)
		case *ast.SelectorExpr: // pkg.Func, or a method value h.handle
			if f, ok := info.Uses[a.Sel].(*types.Func); ok {
				checkNamedCallback(c, fn, k, arg, f)
			}
		case *ast.Ident:
			if f, ok := info.Uses[a].(*types.Func); ok {
				checkNamedCallback(c, fn, k, arg, f)
			}
		}
	}
}

// checkNamedCallback reports the function or method f, given to a call
// of fn as its argument arg (the k-th), if fn's summary says it hands f a
// response and f's says it only reads it.
//
//	dep.Handle(req, logStatus)   // func logStatus(resp *http.Response) error: param0:body:borrows
func checkNamedCallback(c *checker, fn *types.Func, k int, arg ast.Expr, f *types.Func) {
	pf := c.Summary(fn.Origin()).Param(k, kindBody)
	if pf.Effect&flow.Hands == 0 || c.Summary(f.Origin()).Param(pf.From, kindBody).Effect != flow.Borrows {
		return
	}
	c.report(analysis.Diagnostic{
		Pos:      arg.Pos(),
		End:      arg.End(),
		Category: nameBody,
		Message: fmt.Sprintf("%s hands %s a response and leaves closing it to it, but %s never closes it: "+bodyConsequence+"; close the Body in %s, e.g. defer resp.Body.Close() first",
			qualifiedName(fn), types.ExprString(arg), types.ExprString(arg), types.ExprString(arg)),
	})
}

// paramIdents returns the names of the parameters of ft, one a
// parameter, nil for one that has none (or is _).
func paramIdents(ft *ast.FuncType) []*ast.Ident {
	var ids []*ast.Ident
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			ids = append(ids, nil)
		}
		for _, name := range f.Names {
			if name.Name == "_" {
				name = nil
			}
			ids = append(ids, name)
		}
	}
	return ids
}
