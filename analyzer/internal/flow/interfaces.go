package flow

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
)

// This file holds what the summaries say of calls whose callee is not
// named: a method of an interface only its package can implement (what
// its implementations agree on), a call through a func value given one
// value, a method of an interface through a variable given one concrete
// value.

// sealedSummary returns the summary of fn, a method of an interface of
// this package that only this package can implement (see sealed): what
// every type of the package that implements it says alike, parameter by
// parameter and result by result. Nothing for any other function without
// a body.
//
//	type protocol interface{ newClient(*params) (client, error) }
//	func (*v1) newClient(p *params) (client, error) { return &v1Client{params: *p}, nil }
//	func (*v2) newClient(p *params) (client, error) { return &v2Client{params: *p}, nil }
//	// protocol.newClient: param0 returns(0@params), as both say
func (s *Summaries) sealedSummary(fn *types.Func) *Fact {
	recv := fn.Signature().Recv()
	if recv == nil {
		return &s.nothing
	}
	named, ok := types.Unalias(recv.Type()).(*types.Named)
	if !ok || named.Obj().Pkg() != s.e.Pass.Pkg {
		return &s.nothing
	}
	iface, ok := named.Underlying().(*types.Interface)
	if !ok || !sealed(s.e.Pass.Pkg, iface) {
		return &s.nothing
	}
	if f, ok := s.sealed[fn]; ok {
		return f
	}
	if s.sealed == nil {
		s.sealed = make(map[*types.Func]*Fact)
	}
	s.sealed[fn] = &s.nothing // while the implementations are summarized (recursion)
	methods, ok := s.e.Implementations(iface, fn)
	if !ok {
		return &s.nothing
	}
	impls := make([]*Fact, len(methods))
	for i, impl := range methods {
		impls[i] = s.Summary(impl)
	}
	f := agreed(impls)
	s.sealed[fn] = f
	return f
}

// Implementations returns the methods that implement fn, a method of
// iface, in the types of this package (not generic ones, instantiated
// elsewhere) that implement iface, themselves or through a pointer; ok
// is false if one of them has no such method of its own (a promoted
// field's func value, say).
func (sm callEffects) Implementations(iface *types.Interface, fn *types.Func) (impls []*types.Func, ok bool) {
	scope := sm.e.Pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
			continue
		}
		if n, ok := tn.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
			continue // generic: instantiated elsewhere
		}
		t := types.Type(types.NewPointer(tn.Type()))
		if !types.Implements(t, iface) {
			continue
		}
		m, _, _ := types.LookupFieldOrMethod(t, true, fn.Pkg(), fn.Name())
		impl, ok := m.(*types.Func)
		if !ok {
			return nil, false
		}
		impls = append(impls, impl)
	}
	return impls, true
}

// sealed reports whether only pkg, the package of iface, can implement
// it: it has an unexported method, or a method whose signature names an
// unexported type of pkg (which no other package can name).
func sealed(pkg *types.Package, iface *types.Interface) bool {
	for m := range iface.Methods() {
		if !m.Exported() {
			return true
		}
		sig := m.Signature()
		for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
			for v := range tuple.Variables() {
				if unexportedOf(pkg, v.Type()) {
					return true
				}
			}
		}
	}
	return false
}

// unexportedOf reports whether t is an unexported named type of pkg, or a
// pointer, slice or map of one.
func unexportedOf(pkg *types.Package, t types.Type) bool {
	for {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		case *types.Named:
			return u.Obj().Pkg() == pkg && !u.Obj().Exported()
		default:
			return false
		}
	}
}

// agreed returns what all of facts (one at least) say alike: the
// parameter and result facts that each holds.
func agreed(facts []*Fact) *Fact {
	if len(facts) == 0 {
		return new(Fact)
	}
	f := &Fact{}
	for _, p := range facts[0].Params {
		p.Writes = "" // (the fields a setter writes: no variable has the interface's type to mutate)
		if all(facts[1:], func(g *Fact) bool {
			return slices.ContainsFunc(g.Params, func(q ParamFact) bool { q.Writes = ""; return q == p })
		}) {
			f.Params = append(f.Params, p)
		}
	}
	for _, r := range facts[0].Results {
		if all(facts[1:], func(g *Fact) bool { return slices.ContainsFunc(g.Results, r.Equal) }) {
			f.Results = append(f.Results, r)
		}
	}
	return f
}

// all reports whether ok holds for every fact of facts.
func all(facts []*Fact, ok func(*Fact) bool) bool {
	for _, f := range facts {
		if !ok(f) {
			return false
		}
	}
	return true
}

// implOf returns the method named as fn that runs on the result of the
// function acc, if its summary names the one type it returns (KindImpl).
func implOf(sm callEffects, acc, fn *types.Func) *types.Func {
	if acc == nil || acc.Pkg() == nil {
		return nil
	}
	r := sm.Summary(acc).Result(KindImpl)
	if r == nil || r.Index != 0 {
		return nil
	}
	name, ptr := strings.CutPrefix(r.Path, "*")
	obj, _ := acc.Pkg().Scope().Lookup(name).(*types.TypeName)
	if obj == nil {
		return nil
	}
	t := obj.Type()
	if ptr {
		t = types.NewPointer(t)
	}
	m, _, _ := types.LookupFieldOrMethod(t, true, fn.Pkg(), fn.Name())
	impl, _ := m.(*types.Func)
	return impl
}

// ImplResult returns the type of lf's package, as KindImpl names it, of
// every value that lf returns as its result idx, of interface type, if
// they are all of one type that is not an interface (nil returns
// aside).
//
//	func defaultFactory() Factory { return cloner{} }    // "cloner"
func ImplResult(info *types.Info, lf *Func, idx int) (string, bool) {
	results := lf.Sig().Results()
	if lf.Fn == nil || idx >= results.Len() || !types.IsInterface(results.At(idx).Type()) {
		return "", false
	}
	name := ""
	for _, ret := range ReturnsOf(lf.Body()) {
		if len(ret.Results) != results.Len() {
			return "", false // a naked return, or return f(): not followed
		}
		e := ret.Results[idx]
		if IsNil(info, e) {
			continue
		}
		t := info.TypeOf(e)
		n := ""
		if ptr, ok := t.(*types.Pointer); ok {
			t, n = ptr.Elem(), "*"
		}
		named, ok := types.Unalias(t).(*types.Named)
		if !ok || types.IsInterface(named) || named.Obj().Pkg() != lf.Fn.Pkg() || named.TypeArgs().Len() > 0 || named.Obj().Parent() != lf.Fn.Pkg().Scope() {
			return "", false // an interface, or a type of elsewhere
		}
		if n += named.Obj().Name(); name != "" && n != name {
			return "", false // two types
		}
		name = n
	}
	return name, name != ""
}

// FuncValue returns the callee of call when call.Fun is a variable of
// this package given one value only, where it is declared: the function
// or method it names (a method value binds its receiver), or the
// function literal. It returns nil, nil for any other call.
//
//	open := pool.Open      // open(n) calls (*Pool).Open
//	get := func(n int) (*Res, error) { ... }
func (sm callEffects) FuncValue(call *ast.CallExpr) (*types.Func, *ast.FuncLit) {
	return sm.FuncOf(call.Fun)
}

// FuncOf is FuncValue for the func value f, called or not.
func (sm callEffects) FuncOf(f ast.Expr) (*types.Func, *ast.FuncLit) {
	id := IdentOf(f)
	if id == nil {
		return nil, nil
	}
	v, ok := sm.e.Info.Uses[id].(*types.Var)
	if !ok || v.Kind() != types.LocalVar && v.Kind() != types.PackageVar {
		return nil, nil // a parameter, a result: given its value elsewhere
	}
	rhs, zero, ok := sm.e.Origin(v)
	if !ok || zero {
		return nil, nil
	}
	if lit, ok := ast.Unparen(rhs).(*ast.FuncLit); ok {
		return nil, lit
	}
	return FuncNamed(sm.e.Info, rhs), nil
}

// Concrete returns the method that call, a call of the interface method
// fn, runs when its receiver is a variable of this package given one
// value only, where it is declared, of a type that is not an interface,
// or the result of a function whose summary names the one type it
// returns (KindImpl); nil otherwise. An exported package variable may be
// given another value by any package: it is not followed.
//
//	var factory Factory = maker{}
//	factory.Make()                 // runs maker.Make
//	defaultFactory().Make()        // func defaultFactory() Factory { return maker{} }
func (sm callEffects) Concrete(call *ast.CallExpr, fn *types.Func) *types.Func {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if acc, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
		return implOf(sm, CalleeFunc(sm.e.Info, acc), fn)
	}
	id := IdentOf(sel.X)
	if id == nil {
		return nil
	}
	v, _ := sm.e.Info.Uses[id].(*types.Var)
	if v == nil || v.Kind() == types.PackageVar && v.Exported() {
		return nil
	}
	return ValueMethod(sm.e, v, fn)
}

// ValueMethod returns the method that a call of the interface method fn
// on the variable v runs, when this package gives v one value only,
// where it declares it, of a type that is not an interface; nil
// otherwise.
func ValueMethod(e *Engine, v *types.Var, fn *types.Func) *types.Func {
	rhs, _, ok := e.Origin(v)
	if !ok || rhs == nil {
		return nil
	}
	t := e.Info.TypeOf(rhs)
	if t == nil || types.IsInterface(t) {
		return nil
	}
	m, _, _ := types.LookupFieldOrMethod(t, true, fn.Pkg(), fn.Name())
	impl, _ := m.(*types.Func)
	return impl
}
