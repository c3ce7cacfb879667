package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the helpers that install a dial func on an
// http.Transport they are given: the keepalive check judges their calls
// as it judges the assignment they make, on the caller's Transport.
//
//	func UseShortDial(t *http.Transport) {
//		t.DialContext = (&net.Dialer{KeepAlive: -1}).DialContext
//	}
//
//	t := &http.Transport{}
//	dep.UseShortDial(t)   // reported: t still pools

// transportInstall returns the test of lf's parameters under which lf,
// given an http.Transport in its parameter p, installs on it a dial func
// that turns TCP keep-alive off (zero if none; the test of the install,
// or else of the toggle in lf), and whether it does so, by an assignment
// to the parameter's field; one that also sets DisableKeepAlives does not.
func transportInstall(s *dialResolver, lf *flow.Func, p *types.Var, seen map[*types.Func]bool) (flow.Condition, bool) {
	var install, toggle ast.Node
	disables := false
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			_, lit := n.(*ast.FuncLit)
			return !lit
		}
		for i, lhs := range as.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if !ok || flow.VarOf(s.info, sel.X) != p {
				continue
			}
			switch {
			case sel.Sel.Name == "DisableKeepAlives":
				disables = true
			case install == nil && nethttp.IsDialField(sel.Sel):
				if toggles, foreign := s.dialSources(as.Rhs[i], 1, seen); len(toggles)+len(foreign) > 0 {
					install = as
					if len(toggles) > 0 {
						toggle = toggles[0]
					}
				}
			}
		}
		return true
	})
	if install == nil || disables {
		return flow.Condition{}, false
	}
	w := toggleGuard(s.c, lf, install)
	if w.Param == 0 && toggle != nil {
		w = toggleGuard(s.c, lf, toggle) // if !probes { d.KeepAlive = -1 }; t.DialContext = d.DialContext
	}
	return w, true
}

// callInstalls appends to installs the call at cur of fn, a helper that
// installs a dial func turning TCP keep-alive off on the http.Transport
// it is given (by its summary), given the argument that makes it do so.
func callInstalls(c *checker, cur inspector.Cursor, fn *types.Func, installs []dialInstall) []dialInstall {
	call := cur.Node().(*ast.CallExpr)
	if fn == nil || call.Ellipsis.IsValid() {
		return installs
	}
	info := c.pass.TypesInfo
	params := fn.Signature().Params()
	for i, arg := range call.Args {
		if i >= params.Len() || !flow.IsNamed(params.At(i).Type(), "net/http", "Transport") {
			continue // (the callee's parameter types: no lookup for most calls)
		}
		pf := c.Summary(fn.Origin()).Param(i, kindDialConn)
		if pf.Effect&flow.Uses == 0 || !(&dialResolver{c: c, info: info}).toggledAt(call, pf.When) {
			continue
		}
		in := dialInstall{at: call, helper: fn.Origin(), transport: call, base: arg}
		if _, ok := cur.Parent().Node().(*ast.ExprStmt); ok {
			in.next = lineAfter(c, cur.Parent())
		}
		installs = append(installs, in)
	}
	return installs
}
