package analyzer

import (
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// exportInterfaceFacts exports, for each method of an exported interface
// of the package that the package's own types holding a pool implement,
// what the method does with the receiver's pool when every one of those
// implementations does the same (an accessor of a library's client
// interface only reads it: ServerURL; another hands back what holds it:
// Options). A call of a method of such an interface that says nothing
// counts as a use of the pool (transport_spec.go). For a method that can
// hand back a pool, it exports the fresh pool that every type of the
// package implementing it builds (a factory: see factoryPool).
func exportInterfaceFacts(c *checker) {
	if !c.http {
		return // nothing here can hold a pool
	}
	scope := c.pass.Pkg.Scope()
	var impls []types.Type        // the package's types that hold a pool, as pointers
	var ifaces []*types.Interface // its exported interfaces
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if n, ok := tn.Type().(*types.Named); !ok || n.TypeParams().Len() > 0 {
			continue // generic: instantiated elsewhere
		}
		if iface, ok := tn.Type().Underlying().(*types.Interface); ok {
			if tn.Exported() && iface.NumMethods() > 0 {
				ifaces = append(ifaces, iface)
			}
		} else if t := types.NewPointer(tn.Type()); c.pools.holdsPool(t) {
			impls = append(impls, t)
		}
	}
	for _, iface := range ifaces {
		var implementing []types.Type
		for _, t := range impls {
			if types.Implements(t, iface) {
				implementing = append(implementing, t)
			}
		}
		for m := range iface.Methods() {
			if m.Pkg() != c.pass.Pkg || m.Name() == "Close" {
				continue // embedded from another package (its own facts); Close may release it
			}
			var f flow.Fact
			if pf, ok := implsAgree(c, implementing, m); ok {
				f.Params = append(f.Params, pf)
			}
			if c.pools.poolResult(m.Signature().Results()) >= 0 {
				if made, ok := c.Implementations(iface, m); ok && len(made) > 0 {
					if r := implsBuild(c, made); r != nil {
						f.Results = append(f.Results, *r)
					}
				}
			}
			if len(f.Params)+len(f.Results) > 0 {
				c.pass.ExportObjectFact(m, &f)
			}
		}
	}
}

// implsAgree returns what the method m does with its receiver's pool
// when each of impls (one at least), which implement its interface,
// does the same with it, as its summary says.
func implsAgree(c *checker, impls []types.Type, m *types.Func) (flow.ParamFact, bool) {
	var out *flow.ParamFact
	for _, t := range impls {
		obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
		impl, ok := obj.(*types.Func)
		if !ok {
			return flow.ParamFact{}, false
		}
		pf := c.Summary(impl).Param(-1, kindPool)
		if pf.Effect == 0 || out != nil && *out != pf {
			return flow.ParamFact{}, false // nothing known, or they differ
		}
		out = &pf
	}
	if out == nil {
		return flow.ParamFact{}, false
	}
	return *out, true
}
