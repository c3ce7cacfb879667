package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file finds the setters of the transport check's summaries: the
// methods and functions that set a field of what a parameter points to,
// dropping the pool that sat there unused (fact sets).

// setsField returns the field of what v, a pointer parameter of lf (or
// its receiver), points to, fields joined by dots, that lf sets before
// it can return, with a value that does not come from that field, so
// that the pool that sat there is dropped unused: a setter, a builder's
// method. It returns "" if there is none.
//
//	func (a *API) SetClient(hc *http.Client) { a.hc = hc }             // sets(hc)
//	func (b *Builder) Client(hc *http.Client) *Builder { b.hc = hc; return b }
func setsField(c *checker, lf *flow.Func, v *types.Var) (string, flow.Condition) {
	if !flow.IsPointerType(v.Type()) {
		return "", flow.Condition{} // a copy: the caller's value keeps its fields
	}
	info := c.pass.TypesInfo
	var seen []string // the fields of v the statements so far mention
	for _, stmt := range lf.Body().List {
		if as, ok := stmt.(*ast.AssignStmt); ok {
			if path := setPath(c, as, v, seen); path != "" {
				return path, flow.Condition{}
			}
		}
		if path, when := setIf(c, lf, stmt, v, seen); path != "" {
			return path, when
		}
		if es, ok := stmt.(*ast.ExprStmt); ok {
			if path := setsThrough(c, es.X, v); path != "" && !slices.Contains(seen, path) {
				return path, flow.Condition{}
			}
		}
		if len(flow.ReturnsOf(stmt)) > 0 {
			return "", flow.Condition{} // it may return before
		}
		seen = append(seen, fieldsOf(info, stmt, v)...)
	}
	return "", flow.Condition{}
}

// setPath returns the field of what v points to that as sets to a value
// that does not come from it and that can hold a pool, unless seen says
// an earlier statement mentioned it.
func setPath(c *checker, as *ast.AssignStmt, v *types.Var, seen []string) string {
	info := c.pass.TypesInfo
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return ""
	}
	for i, lhs := range as.Lhs {
		path, ok := fieldPath(info, lhs, v)
		if !ok || len(path) == 0 || slices.Contains(seen, path) || !c.pools.holdsPool(info.TypeOf(lhs)) {
			continue
		}
		if rhs := fieldsOf(info, as.Rhs[i], v); !slices.ContainsFunc(rhs, func(r string) bool { return r == path || strings.HasPrefix(r, path+".") }) {
			return path
		}
	}
	return ""
}

// setIf is setPath for a setter that sets the field only when another
// parameter is not nil, and the condition: the caller's argument decides.
//
//	func (c *Client) SetTransport(t http.RoundTripper) *Client {
//		if t != nil {
//			c.httpClient.Transport = t        // sets(httpClient.Transport),when(p0)
//		}
func setIf(c *checker, lf *flow.Func, stmt ast.Stmt, v *types.Var, seen []string) (string, flow.Condition) {
	ifs, ok := stmt.(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
		return "", flow.Condition{}
	}
	as, ok := ifs.Body.List[0].(*ast.AssignStmt)
	if !ok {
		return "", flow.Condition{}
	}
	path := setPath(c, as, v, seen)
	at, found := lf.Cur().FindNode(as)
	if path == "" || !found {
		return "", flow.Condition{}
	}
	if w, ok := c.Guard(lf.Cur(), at); ok && w.NonZero && w.Const == "" && w.Field == "" {
		return path, w
	}
	return "", flow.Condition{}
}

// setsThrough returns the field of what v points to that the call e
// sets through a setter of what v, or a field of it, holds, fields
// joined by dots, and "" if it sets none:
//
//	func (o *Options) SetHTTPClient(c *http.Client) *Options {
//		o.httpOptions.SetHTTPClient(c) // sets(httpOptions.httpClient)
func setsThrough(c *checker, e ast.Expr, v *types.Var) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return ""
	}
	fn := flow.CalleeFunc(c.pass.TypesInfo, call)
	if fn == nil {
		return ""
	}
	args := call.Args
	idx := 0
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
		args, idx = append([]ast.Expr{sel.X}, args...), -1
	}
	for i, arg := range args {
		path, ok := fieldPath(c.pass.TypesInfo, arg, v)
		if !ok {
			continue
		}
		if pf := c.Summary(fn).Param(idx+i, kindPool); pf.Sets != "" && pf.SetsWhen.Param == 0 {
			return strings.TrimPrefix(path+"."+pf.Sets, ".")
		}
	}
	return ""
}

// recvWrites returns the fields of what lf's receiver v holds that lf may
// assign, paths joined by dots and separated by commas ("*": any), for
// the conditions on them that a caller reads past a call of lf (see
// flow.ParamFact.Writes): assignments to its fields, and what the
// methods of its own that lf calls on it write. A receiver handed to
// another function, or whose address is taken, may be written anywhere.
//
//	func (b *Builder) Insecure() *Builder { b.cfg.Insecure = true; return b }   // writes(cfg.Insecure)
func recvWrites(c *checker, lf *flow.Func, v *types.Var) string {
	info := c.pass.TypesInfo
	var out []string
	all := false
	add := func(e ast.Expr) {
		if path, ok := fieldPath(info, e, v); ok && path != "" && !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				add(lhs)
			}
		case *ast.IncDecStmt:
			add(n.X)
		case *ast.UnaryExpr:
			if _, ok := fieldPath(info, n.X, v); ok && n.Op == token.AND {
				all = true // &b.cfg: set anywhere
			}
		case *ast.CallExpr:
			for _, arg := range n.Args {
				all = all || flow.VarOf(info, arg) == v
			}
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && flow.VarOf(info, sel.X) == v {
				if fn, ok := info.Uses[sel.Sel].(*types.Func); ok && fn.Origin() != lf.Fn {
					pf := c.Summary(fn).Param(-1, kindPool)
					switch {
					case pf.Effect == 0:
						all = true // a method that says nothing of it
					case pf.Writes != "":
						out = append(out, strings.Split(pf.Writes, ",")...)
					}
				}
			}
		}
		return !all
	})
	if all {
		return "*"
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ",")
}

// builderType reports whether t is a struct type of this package (or a
// pointer to one) that holds no pool, one of whose methods can return
// one and another returns a value of the type (a setter of a fluent
// chain): a builder, whose Build may make a pool unless a setter called
// before sets a field; the constructors and setters of such a type say
// which fields they leave zero and write.
//
//	func (b *ClientBuilder) Build() *http.Client   // result0:pool,when(!recv.noReuse)
func (p *pools) builderType(t types.Type) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() != p.c.pass.Pkg || !flow.IsStructType(named) || named.TypeArgs() != nil {
		return false
	}
	is, ok := p.builders[named]
	if !ok {
		methods := slices.Collect(named.Methods())
		is = slices.ContainsFunc(methods, func(m *types.Func) bool {
			return p.poolResult(m.Signature().Results()) >= 0
		}) && slices.ContainsFunc(methods, func(m *types.Func) bool {
			res := m.Signature().Results()
			if res.Len() == 0 {
				return false
			}
			t := res.At(0).Type()
			if ptr, ok := t.(*types.Pointer); ok {
				t = ptr.Elem()
			}
			return types.Identical(t, named)
		}) && !p.holdsPool(named)
		p.builders[named] = is
	}
	return is
}
