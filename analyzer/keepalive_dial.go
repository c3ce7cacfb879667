package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file resolves, for the keepalive check, the values it meets to the
// source that builds them: a dial func to the toggles that turn off TCP
// keep-alive in it, a net.Dialer to its KeepAlive settings. It follows
// function values, method values, closures and variables set exactly
// once (the engine's Origin); anything else (a struct field, a parameter, a
// call's result) is unknown, and unknown never reports.

// kaMaxDepth bounds the chains of variables and dial funcs followed.
const kaMaxDepth = 8

// A dialResolver resolves dial funcs and dialers in one package.
type dialResolver struct {
	c    *checker
	info *types.Info
}

// dialSources returns the toggles that turn off TCP keep-alive in the
// dial func e, in this package, and the dial funcs of other packages
// that do so according to their facts. e may be a function or method,
// a method value such as d.DialContext on a net.Dialer, a func literal,
// a variable set once to one of those, or the result of a maker.
func (s *dialResolver) dialSources(e ast.Expr, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	if depth > kaMaxDepth {
		return nil, nil // too deep: give up
	}
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return s.bodyToggles(e.Body, depth+1, seen)
	case *ast.CallExpr:
		fn := flow.CalleeFunc(s.info, e)
		if fn != nil && !e.Ellipsis.IsValid() {
			for _, p := range s.c.Summary(fn.Origin()).Params {
				if p.Kind == kindDialConn && p.Effect&flow.Returns != 0 && p.Index >= 0 && p.Index < len(e.Args) {
					return s.dialSources(e.Args[p.Index], depth+1, seen) // dep.WrapDial("cache", dial): a wrapper of the func it is given
				}
			}
		}
		if fn != nil && fn.Pkg() != s.c.pass.Pkg {
			if r := s.c.Summary(fn.Origin()).Result(kindDialConn); r != nil && s.toggledAt(e, r.When) {
				return []ast.Node{e}, nil // dep.Dialer(false): a maker of dial funcs of another package, known from its fact
			}
			return nil, nil
		}
		for _, r := range makerResults(s.c, e) {
			t, f := s.dialSources(r, depth+1, seen)
			toggles = append(toggles, t...)
			foreign = append(foreign, f...)
		}
		if len(toggles)+len(foreign) == 0 && fn != nil {
			if r := s.c.Summary(fn.Origin()).Result(kindDialConn); r != nil && r.When.Param != 0 && s.toggledAt(e, r.When) {
				return []ast.Node{e}, nil // tunedDial(false): its dial func turns it off with the flag it captures
			}
		}
		return toggles, foreign
	case *ast.IndexExpr:
		return s.dialSources(e.X, depth+1, seen) // an instantiation
	case *ast.IndexListExpr:
		return s.dialSources(e.X, depth+1, seen)
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		if selection, ok := s.info.Selections[e]; ok {
			if selection.Kind() != types.MethodVal {
				return nil, nil // a func-valued field, or a method expression
			}
			m := selection.Obj().(*types.Func)
			if flow.IsMethod(m, "net", "Dialer", "Dial", "DialContext") {
				if t := s.dialerToggle(e.X, depth+1); t != nil {
					return []ast.Node{t}, nil
				}
				return nil, nil
			}
			return s.funcSources(m, depth, seen)
		}
		id = e.Sel // a qualified identifier
	default:
		return nil, nil // a call, an index expression ...: unknown
	}
	switch obj := s.info.Uses[id].(type) {
	case *types.Func:
		return s.funcSources(obj, depth, seen)
	case *types.Var:
		if rhs, zero, ok := s.c.Origin(obj); ok && !zero {
			return s.dialSources(rhs, depth+1, seen)
		}
	}
	return nil, nil
}

// funcSources is dialSources for a function or method fn.
func (s *dialResolver) funcSources(fn *types.Func, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	fn = fn.Origin()
	if fn.Pkg() != s.c.pass.Pkg {
		if s.c.Summary(fn).Result(kindDialConn) != nil {
			return nil, []*types.Func{fn}
		}
		return nil, nil
	}
	if seen[fn] {
		return nil, nil // recursion, or already followed
	}
	seen[fn] = true
	lf := s.c.LocalFunc(fn)
	if lf == nil {
		return nil, nil // no body
	}
	return s.bodyToggles(lf.Body(), depth+1, seen)
}

// bodyToggles returns the toggles that turn off TCP keep-alive in the
// body of a dial func (not in the func literals nested in it), and the
// dial funcs of other packages it calls that do so:
//
//	conn.(*net.TCPConn).SetKeepAlive(false)
//	ka.SetKeepAlive(false)                        // ka has a SetKeepAlive(bool) error method
//	d := net.Dialer{KeepAlive: -1}                // any net.Dialer it mentions
//	return dialTimeout(network, addr)             // a dial func it calls
func (s *dialResolver) bodyToggles(body *ast.BlockStmt, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	held := make(map[*ast.CompositeLit]bool) // Dialer literals stored in a variable
	addToggle := func(t ast.Node) {
		if t != nil {
			toggles = append(toggles, t)
		}
	}
	hold := func(lhs, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, e := range rhs {
			if lit := nethttp.NetDialerLit(s.info, e); lit != nil && flow.IdentOf(lhs[i]) != nil {
				held[lit] = true // resolved, with its later writes, through the variable
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function
		case *ast.AssignStmt:
			hold(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			var lhs []ast.Expr
			for _, id := range n.Names {
				lhs = append(lhs, id)
			}
			hold(lhs, n.Values)
		case *ast.CallExpr:
			if nethttp.IsKeepAliveOff(s.info, n) || nethttp.IsSetKeepAlive(s.info, n) && s.c.FalseAt(n.Args[0]) || keepAliveOffValue(s.c, n) {
				addToggle(n)
			}
			if nethttp.IsDialResults(s.info.TypeOf(n)) {
				t, f := s.dialSources(n.Fun, depth+1, seen)
				toggles = append(toggles, t...)
				foreign = append(foreign, f...)
			} else if t, f := s.helperToggles(n, depth+1, seen); len(t)+len(f) > 0 {
				toggles = append(toggles, t...)
				foreign = append(foreign, f...)
			}
		case *ast.CompositeLit:
			if lit := nethttp.NetDialerLit(s.info, n); lit != nil && !held[lit] {
				addToggle(dialerLitToggle(s.c, lit, nil))
			}
		case *ast.Ident:
			if v := flow.VarOf(s.info, n); v != nil && flow.IsNamed(v.Type(), "net", "Dialer") {
				addToggle(s.dialerToggle(n, depth+1))
			}
		}
		return true
	})
	return uniqueNodes(toggles), foreign
}

// keepAliveOffValue reports whether call calls, through a local func
// value, SetKeepAlive bound to a connection, with false (or a variable
// set once to it):
//
//	setKeepAlive := conn.(*net.TCPConn).SetKeepAlive
//	setKeepAlive(false)
func keepAliveOffValue(c *checker, call *ast.CallExpr) bool {
	if _, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || len(call.Args) != 1 || !c.FalseAt(call.Args[0]) {
		return false // the cheap tests first
	}
	fn, _ := c.FuncValue(call)
	return nethttp.IsSetKeepAliveFunc(fn)
}

// helperToggles returns the toggles of a helper that call hands a
// connection or a dialer to, which turns TCP keep-alive off on it:
//
//	conn, err := d.DialContext(ctx, network, addr)
//	...
//	tune(conn)   // func tune(c net.Conn) { c.(*net.TCPConn).SetKeepAlive(false) }
//
// A helper of another package says so in its summary.
func (s *dialResolver) helperToggles(call *ast.CallExpr, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	if depth > kaMaxDepth || !slices.ContainsFunc(call.Args, func(e ast.Expr) bool { return nethttp.IsConnOrDialer(s.info.TypeOf(e)) }) {
		return nil, nil
	}
	fn := flow.CalleeFunc(s.info, call)
	if fn == nil {
		return nil, nil
	}
	fn = fn.Origin()
	if fn.Pkg() != s.c.pass.Pkg {
		for _, pf := range connParams(s, fn, call) {
			if s.toggledAt(call, pf.When) {
				return nil, []*types.Func{fn}
			}
		}
		return nil, nil
	}
	if seen[fn] {
		return nil, nil
	}
	seen[fn] = true
	lf := s.c.LocalFunc(fn)
	if lf == nil {
		return nil, nil
	}
	if toggles, foreign = s.bodyToggles(lf.Body(), depth+1, seen); len(toggles)+len(foreign) > 0 {
		return toggles, foreign
	}
	if w, ok := flagToggle(s, lf, false, depth); ok && s.toggledAt(call, w) {
		return []ast.Node{call}, nil // tune(conn, false): the call turns it off
	}
	return nil, nil
}

// toggledAt reports whether a helper that turns keep-alive off under the
// condition w (on its flag parameter) does so at call: the argument
// decides it (a constant false); one that does not decide is taken not to.
func (s *dialResolver) toggledAt(call *ast.CallExpr, w flow.Condition) bool {
	holds, known := s.c.HoldsAt(call, w)
	return holds && known
}

// dialerToggle returns the toggle that turns off TCP keep-alive on the
// net.Dialer e: a literal, a variable set once to a literal,
// new(net.Dialer) or its zero value, or the result of a maker; nil if
// it does not or is unknown.
func (s *dialResolver) dialerToggle(e ast.Expr, depth int) ast.Node {
	if depth > kaMaxDepth {
		return nil
	}
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if lit := nethttp.NetDialerLit(s.info, e); lit != nil {
		return dialerLitToggle(s.c, lit, nil)
	}
	if call, ok := e.(*ast.CallExpr); ok {
		if fn := flow.CalleeFunc(s.info, call); fn != nil && fn.Pkg() != s.c.pass.Pkg {
			if r := s.c.Summary(fn.Origin()).Result(kindDialConn); r != nil && s.toggledAt(call, r.When) {
				return call // dep.NewDialer(): a maker of another package, known from its fact
			}
			return nil
		}
		for _, r := range makerResults(s.c, call) {
			if t := s.dialerToggle(r, depth+1); t != nil && togglesFor(s.c, call, t) {
				return t
			}
			if keepAliveArg(s.c, call, r) {
				return call // newDialer(-1): the maker's KeepAlive is its argument
			}
		}
		return nil
	}
	if sel, ok := e.(*ast.SelectorExpr); ok {
		if s.info.Selections[sel] == nil {
			return foreignDialer(s.c, sel) // dep.Dialer
		}
		if val := fieldOrigin(s.c, sel); val != nil {
			return s.dialerToggle(val, depth+1) // cfg.dialer: the dialer its literal gives the field
		}
		return nil
	}
	return s.varToggle(flow.VarOf(s.info, e), depth)
}

// foreignDialer returns sel, a qualified identifier (dep.Dialer), if it
// names a variable of another package whose facts say that its dialer
// turns TCP keep-alive off (exportDialerVars); nil otherwise.
func foreignDialer(c *checker, sel *ast.SelectorExpr) ast.Node {
	if v, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && c.VarFact(v).Result(kindDialConn) != nil {
		return sel
	}
	return nil
}

// varToggle is dialerToggle for the dialer in the variable v of this
// package.
func (s *dialResolver) varToggle(v *types.Var, depth int) ast.Node {
	rhs, zero, ok := s.c.Origin(v)
	switch {
	case !ok:
		return nil // unknown dialer
	case zero:
		return dialerLitToggle(s.c, nil, v)
	case flow.IsNewOf(s.info, rhs, nethttp.IsDialerValue):
		return dialerLitToggle(s.c, nil, v)
	}
	if lit := nethttp.NetDialerLit(s.info, rhs); lit != nil {
		return dialerLitToggle(s.c, lit, v)
	}
	if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && len(keepAliveWrites(s.c, v)) == 0 {
		return s.dialerToggle(call, depth+1) // d := newDialer(): the maker's, unless d's are set after
	}
	return nil // a copy of another dialer ...: unknown
}

// fieldOrigin returns the value that the field chain sel (v.f.g) has
// for good: the one the literal that v is declared with (given no other
// value) gives that field, when the package writes no field of v
// anywhere, nor takes the address of v or of a field; nil otherwise.
//
//	var cfg = config{dialer: &net.Dialer{KeepAlive: -1}}
//	... DialContext: cfg.dialer.DialContext
func fieldOrigin(c *checker, sel *ast.SelectorExpr) ast.Expr {
	info := c.pass.TypesInfo
	base, fields, ok := flow.FieldChain(info, sel)
	v := flow.VarOf(info, base)
	if !ok || v == nil || len(fields) == 0 {
		return nil
	}
	val, _, ok := c.Origin(v)
	if !ok {
		return nil
	}
	if c.FieldsWritten(v) || c.Writes().Addressed[v] {
		return nil // a field of v set somewhere, or maybe (its address is taken): not the literal's for good
	}
	for _, f := range fields {
		if val = flow.LitField(val, f); val == nil {
			return nil // left out (the zero value), or not a literal
		}
	}
	return val
}

// togglesFor reports whether the toggle t, in the maker that call
// calls, turns probes off for call's arguments: it is not under a test of
// the maker's parameters, or call's arguments pass that test.
//
//	func newDialer(keepAlive bool) *net.Dialer {
//		d := &net.Dialer{}
//		if !keepAlive {
//			d.KeepAlive = -1   // off for newDialer(false) only
//		}
func togglesFor(c *checker, call *ast.CallExpr, t ast.Node) bool {
	lf := c.LocalFunc(flow.CalleeFunc(c.pass.TypesInfo, call).Origin())
	if lf == nil {
		return true
	}
	w := toggleGuard(c, lf, t)
	if w.Param == 0 {
		return true
	}
	holds, known := c.HoldsAt(call, w)
	return holds && known
}

// toggleGuard returns the test of lf's parameters that the toggle t, in
// lf, is under; the zero Condition if none.
func toggleGuard(c *checker, lf *flow.Func, t ast.Node) flow.Condition {
	cur, ok := lf.Cur().FindNode(t)
	if !ok {
		return flow.Condition{} // in another function: a maker's maker
	}
	w, ok := c.Guard(lf.Cur(), cur)
	if !ok {
		return flow.Condition{}
	}
	return w
}
