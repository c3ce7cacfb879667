package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds the default factories of a package: exported
// variables of an interface type that the package gives one value of a
// concrete type, where it declares them, and never another. A call of a
// method through one, in the package or another that does not give it
// another value either, runs that value's method; one that builds a
// fresh pool on every call builds it there. (A program that replaces the
// default elsewhere, at its start, would make such a finding a false
// positive: the analysis cannot see the packages that import this one.)
//
//	package factory
//	var DefaultFactory Factory = poolFactory{maxIdle: 16}
//	func (f poolFactory) Make() http.RoundTripper { return &http.Transport{...} }
//
//	tr := factory.DefaultFactory.Make()   // a new pool, per call

// exportFactoryVars exports, for each default factory of the package, a
// fact on the variable that names the methods of its value that build a
// fresh pool on every call (Method: Make()).
func exportFactoryVars(c *checker) {
	if !c.http {
		return
	}
	scope := c.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !v.Exported() || !types.IsInterface(v.Type()) {
			continue
		}
		var f flow.Fact
		for m := range v.Type().Underlying().(*types.Interface).Methods() {
			if r := defaultMade(c, v, m); r != nil {
				rf := *r
				rf.Method = m.Name()
				f.Results = append(f.Results, rf)
			}
		}
		if len(f.Results) > 0 {
			c.pass.ExportObjectFact(v, &f)
		}
	}
}

// defaultMade returns what the interface method m, called on v, a
// default factory of this package, builds on every call (nil if no pool,
// or if v is no default factory).
func defaultMade(c *checker, v *types.Var, m *types.Func) *flow.ResultFact {
	if r := c.Summary(flow.ValueMethod(c.Engine, v, m)).Result(kindPool); r != nil && r.When.Param == 0 && !r.Lazy {
		return r
	}
	return nil
}

// factoryVarPool returns what the method fn, called through a default
// factory (DefaultFactory.Make(), or pkg.DefaultFactory.Make() as that
// package's fact on the variable says), hands back; nil if it builds no
// pool, or if this package gives the variable another value.
func factoryVarPool(c *checker, call *ast.CallExpr, fn *types.Func) *flow.ResultFact {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.Uses[flow.NameOf(sel.X)].(*types.Var)
	if !ok || v.Kind() != types.PackageVar || !v.Exported() {
		return nil // an unexported one: Concrete's
	}
	if v.Pkg() == c.pass.Pkg {
		return defaultMade(c, v, fn)
	}
	if len(c.WritesTo(v)) > 0 {
		return nil // given another value here
	}
	for _, r := range c.VarFact(v).Results {
		if r.Kind == kindPool && r.Method == fn.Name() {
			r.Method = ""
			return &r
		}
	}
	return nil
}
