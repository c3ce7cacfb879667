package analyzer

import (
	"go/ast"
	"go/token"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file holds the tests of a constructor's parameters under which
// the Transport it builds keeps its connections alive, when its
// DisableKeepAlives comes from the caller: given in the literal
// (keepAliveTest), or assigned after it is built (keepAliveAssigned).

// keepAliveTest returns the test of lf's parameters under which the
// Transport literal lit keeps its connections alive, when its only
// field that may turn pooling off is DisableKeepAlives, given an option
// of the caller's:
//
//	func New(cfg Config) *Client {
//		return &Client{hc: &http.Client{Transport: &http.Transport{DisableKeepAlives: cfg.ShortLived}}}   // when(!p0.ShortLived)
func keepAliveTest(c *checker, lf *flow.Func, lit *ast.CompositeLit) (flow.Condition, bool) {
	if lit == nil {
		return flow.Condition{}, false
	}
	info := c.pass.TypesInfo
	var value ast.Expr
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		id := flow.IdentOf(kv.Key)
		switch {
		case id == nil || !nethttp.TurnsOffPooling(info, id.Name, kv.Value):
		case id.Name != "DisableKeepAlives":
			return flow.Condition{}, false
		default:
			value = kv.Value
		}
	}
	if value == nil {
		return flow.Condition{}, false
	}
	return keepAliveValue(c, lf, value)
}

// keepAliveAssigned returns the test of lf's parameters under which the
// pool that fl follows keeps its connections alive, when the only
// statement of lf that may turn its pooling off assigns its
// DisableKeepAlives a value of the caller's, on every path (a statement
// of lf's body, not under a test):
//
//	tr := NewPooledTransport()
//	tr.DisableKeepAlives = o.disableKeepAlives   // when(!p0.disableKeepAlives), options applied to o
func keepAliveAssigned(c *checker, lf *flow.Func, fl *flow.Flow) (flow.Condition, bool) {
	info := c.pass.TypesInfo
	var value ast.Expr
	for _, st := range lf.Body().List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for k, lhs := range as.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if ok && sel.Sel.Name == "DisableKeepAlives" && value == nil && slices.Contains(fl.Vars, flow.VarOf(info, sel.X)) {
				value = as.Rhs[k]
			}
		}
	}
	if value == nil || countTurnsOff(c, lf) != 1 {
		return flow.Condition{}, false
	}
	return keepAliveValue(c, lf, value)
}

// keepAliveOffUnder returns the test of lf's parameters under which a
// pool lf builds, whose keep-alives a constant turns off (fl says so),
// keeps its idle connections: lf turns them off only in an if of its
// body, the one place that may turn pooling off, and the test is the
// if's, false.
//
//	t := &http.Transport{MaxIdleConnsPerHost: o.MaxIdle}
//	if o.DisableKeepAlives {
//		t.DisableKeepAlives = true   // kept alive when(!p0.DisableKeepAlives)
//	}
func keepAliveOffUnder(c *checker, lf *flow.Func, fl *flow.Flow) (flow.Condition, bool) {
	info := c.pass.TypesInfo
	for _, st := range lf.Body().List {
		ifs, ok := st.(*ast.IfStmt)
		if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
			continue
		}
		as, ok := ifs.Body.List[0].(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !flow.IsTrue(info, as.Rhs[0]) {
			continue
		}
		if sel, ok := ast.Unparen(as.Lhs[0]).(*ast.SelectorExpr); ok && sel.Sel.Name == "DisableKeepAlives" && slices.Contains(fl.Vars, flow.VarOf(info, sel.X)) {
			if countTurnsOff(c, lf) != 1 {
				return flow.Condition{}, false
			}
			return c.TestOf(lf.Cur(), ifs.Cond, false)
		}
	}
	return flow.Condition{}, false
}

// countTurnsOff counts the assignments in lf that may turn a pool's
// pooling off (DisableKeepAlives not known false, MaxIdleConnsPerHost
// below zero).
func countTurnsOff(c *checker, lf *flow.Func) int {
	n := 0
	ast.Inspect(lf.Body(), func(node ast.Node) bool {
		if as, ok := node.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for k, lhs := range as.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && nethttp.TurnsOffPooling(c.pass.TypesInfo, sel.Sel.Name, as.Rhs[k]) {
					n++
				}
			}
		}
		return true
	})
	return n
}

// keepAliveValue returns the test of lf's parameters under which value,
// given to a Transport's DisableKeepAlives, is false: a test of a
// parameter, or of the options lf applies (see optionsTest).
func keepAliveValue(c *checker, lf *flow.Func, value ast.Expr) (flow.Condition, bool) {
	if cond, ok := c.TestOf(lf.Cur(), value, false); ok {
		return cond, true
	}
	return optionsTest(c, lf, value, false)
}
