package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// This file resolves, for the keepalive check, the values it meets to the
// source that builds them: a dial func to the toggles that turn off TCP
// keep-alive in it, a net.Dialer to its KeepAlive settings, a Transport to
// its literal. It follows function values, method values, closures and
// variables that are set exactly once; anything else (a struct field, a
// parameter, a call's result) is unknown, and unknown never reports.

// kaMaxDepth bounds the chains of variables and dial funcs followed.
const kaMaxDepth = 8

// A kaSource resolves values for the keepalive check of one package. Its
// index of assignments is built on first use.
type kaSource struct {
	c    *checker
	info *types.Info

	indexed bool
	defs    map[*types.Var][]kaDef // every write to a variable, by variable
	fields  []kaFieldWrite         // every assignment to a struct field

	disabledComputed bool
	disabledLits     map[*ast.CompositeLit]bool // Transport literals given DisableKeepAlives
	disabledVars     map[*types.Var]bool        // Transport variables given DisableKeepAlives
	disabledUnknown  bool                       // some Transport we cannot place gets DisableKeepAlives
}

// A kaDef is one write to a variable.
type kaDef struct {
	pos  token.Pos // the identifier written
	rhs  ast.Expr  // the value; nil if unknown (a tuple, +=, range) or zero
	zero bool      // var v T: the zero value
}

// A kaFieldWrite is an assignment to a struct field: base.field = rhs.
type kaFieldWrite struct {
	stmt  *ast.AssignStmt
	base  ast.Expr
	field *types.Var
	rhs   ast.Expr // nil if unknown (a tuple, +=)
}

func newKASource(c *checker) *kaSource {
	return &kaSource{c: c, info: c.pass.TypesInfo}
}

// index records every write to a variable or a struct field in the package.
func (s *kaSource) index() {
	if s.indexed {
		return
	}
	s.indexed = true
	s.defs = make(map[*types.Var][]kaDef)
	write := func(lhs, rhs ast.Expr, zero bool, stmt *ast.AssignStmt) {
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if v, ok := s.info.ObjectOf(lhs).(*types.Var); ok {
				s.defs[v] = append(s.defs[v], kaDef{pos: lhs.Pos(), rhs: rhs, zero: zero})
			}
		case *ast.SelectorExpr:
			if f := s.fieldOf(lhs); f != nil && stmt != nil {
				s.fields = append(s.fields, kaFieldWrite{stmt: stmt, base: lhs.X, field: f, rhs: rhs})
			}
		}
	}
	for cur := range s.c.cursor().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
					rhs = n.Rhs[i]
				}
				write(lhs, rhs, false, n)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				switch {
				case len(n.Values) == 0:
					write(name, nil, true, nil)
				case len(n.Values) == len(n.Names):
					write(name, n.Values[i], false, nil)
				default:
					write(name, nil, false, nil)
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						write(e, nil, false, nil)
					}
				}
			}
		}
	}
}

// def returns the only value ever given to v, where v is declared with
// it; zero reports that it is declared without one. It fails for
// parameters, results, range and type-switch variables, variables
// assigned more than once, and fields.
func (s *kaSource) def(v *types.Var) (rhs ast.Expr, zero, ok bool) {
	if v == nil || v.IsField() || v.Pkg() != s.c.pass.Pkg {
		return nil, false, false
	}
	s.index()
	defs := s.defs[v]
	if len(defs) != 1 || defs[0].pos != v.Pos() || (defs[0].rhs == nil && !defs[0].zero) {
		return nil, false, false // assigned again, declared elsewhere, or unknown
	}
	return defs[0].rhs, defs[0].zero, true
}

// varOf returns the variable (not a field) that e names, if any.
func (s *kaSource) varOf(e ast.Expr) *types.Var {
	id := identOf(e)
	if id == nil {
		return nil
	}
	v, ok := s.info.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() {
		return nil
	}
	return v
}

// fieldOf returns the struct field that sel selects, or nil.
func (s *kaSource) fieldOf(sel *ast.SelectorExpr) *types.Var {
	if selection, ok := s.info.Selections[sel]; ok && selection.Kind() == types.FieldVal {
		v, _ := selection.Obj().(*types.Var)
		return v
	}
	return nil
}

// isTransportFieldVar reports whether f is the field of http.Transport
// named one of names.
func isTransportFieldVar(f *types.Var, names ...string) bool {
	return isFieldOf(f, "net/http", "Transport", names...)
}

// isFieldOf reports whether f is the field named one of names of
// the package-level struct type pkgPath.typeName.
func isFieldOf(f *types.Var, pkgPath, typeName string, names ...string) bool {
	if f == nil || !f.IsField() || f.Pkg() == nil || f.Pkg().Path() != pkgPath {
		return false
	}
	tn, ok := f.Pkg().Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return false
	}
	for _, name := range names {
		if obj, _, _ := types.LookupFieldOrMethod(tn.Type(), false, f.Pkg(), name); obj == f {
			return true
		}
	}
	return false
}

// isDialResults reports whether results are those of a dial func: a
// net.Conn or *net.TCPConn, then an error.
func isDialResults(t types.Type) bool {
	tuple, ok := t.(*types.Tuple)
	if !ok || tuple.Len() != 2 || !isErrorType(tuple.At(1).Type()) {
		return false
	}
	conn := tuple.At(0).Type()
	return isPointerTo(conn, "net", "TCPConn") || (isNamed(conn, "net", "Conn") && types.IsInterface(conn))
}

// isFalse reports whether e is a constant false.
func (s *kaSource) isFalse(e ast.Expr) bool {
	v := s.info.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && !constant.BoolVal(v)
}

// isNegative reports whether e is a negative constant number.
func (s *kaSource) isNegative(e ast.Expr) bool {
	v := s.info.Types[e].Value
	return v != nil && (v.Kind() == constant.Int || v.Kind() == constant.Float) && constant.Sign(v) < 0
}

// dialSources returns the toggles that turn off TCP keep-alive in the
// dial func e, in this package, and the dial funcs of other packages
// that do so according to their facts. e may be a function or method,
// a method value such as d.DialContext on a net.Dialer, a func literal,
// a variable set once to one of those, or the result of a maker.
func (s *kaSource) dialSources(e ast.Expr, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	if depth > kaMaxDepth {
		return nil, nil // too deep: give up
	}
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return s.bodyToggles(e.Body, depth+1, seen)
	case *ast.CallExpr:
		for _, r := range s.makerResults(e) {
			t, f := s.dialSources(r, depth+1, seen)
			toggles = append(toggles, t...)
			foreign = append(foreign, f...)
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
			if isMethod(m, "net", "Dialer", "Dial", "DialContext") {
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
		if rhs, zero, ok := s.def(obj); ok && !zero {
			return s.dialSources(rhs, depth+1, seen)
		}
	}
	return nil, nil
}

// funcSources is dialSources for a function or method fn.
func (s *kaSource) funcSources(fn *types.Func, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
	fn = fn.Origin()
	if fn.Pkg() != s.c.pass.Pkg {
		if s.c.summary(fn).DialNoKeepAlive {
			return nil, []*types.Func{fn}
		}
		return nil, nil
	}
	if seen[fn] {
		return nil, nil // recursion, or already followed
	}
	seen[fn] = true
	fd := s.c.decl(fn)
	if fd == nil {
		return nil, nil // no body
	}
	return s.bodyToggles(fd.Body, depth+1, seen)
}

// bodyToggles returns the toggles that turn off TCP keep-alive in the
// body of a dial func (not in the func literals nested in it), and the
// dial funcs of other packages it calls that do so:
//
//	conn.(*net.TCPConn).SetKeepAlive(false)
//	ka.SetKeepAlive(false)                        // ka has a SetKeepAlive(bool) error method
//	d := net.Dialer{KeepAlive: -1}                // any net.Dialer it mentions
//	return dialTimeout(network, addr)             // a dial func it calls
func (s *kaSource) bodyToggles(body *ast.BlockStmt, depth int, seen map[*types.Func]bool) (toggles []ast.Node, foreign []*types.Func) {
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
			if lit := netDialerLit(s.info, e); lit != nil && identOf(lhs[i]) != nil {
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
			if s.isKeepAliveOff(n) {
				addToggle(n)
			}
			if isDialResults(s.info.TypeOf(n)) {
				t, f := s.dialSources(n.Fun, depth+1, seen)
				toggles = append(toggles, t...)
				foreign = append(foreign, f...)
			}
		case *ast.CompositeLit:
			if lit := netDialerLit(s.info, n); lit != nil && !held[lit] {
				addToggle(s.dialerLitToggle(lit, nil))
			}
		case *ast.Ident:
			if v := s.varOf(n); v != nil && isNamed(v.Type(), "net", "Dialer") {
				addToggle(s.dialerToggle(n, depth+1))
			}
		}
		return true
	})
	return uniqueNodes(toggles), foreign
}

// uniqueNodes returns nodes without repeats, in order.
func uniqueNodes(nodes []ast.Node) []ast.Node {
	seen := make(map[ast.Node]bool)
	var out []ast.Node
	for _, n := range nodes {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// isKeepAliveOff reports whether call turns off TCP keep-alive on a
// connection: SetKeepAlive(false) on a *net.TCPConn (or a type that
// embeds one), or on an interface with a SetKeepAlive(bool) method.
// Methods of other concrete types may do anything.
func (s *kaSource) isKeepAliveOff(call *ast.CallExpr) bool {
	fn := calleeFunc(s.info, call)
	if fn == nil || fn.Name() != "SetKeepAlive" || len(call.Args) != 1 || !s.isFalse(call.Args[0]) {
		return false
	}
	recv := fn.Signature().Recv()
	return isMethod(fn, "net", "TCPConn", "SetKeepAlive") || (recv != nil && types.IsInterface(recv.Type()))
}

// netDialerLit returns the net.Dialer literal that e is (or takes the
// address of), or nil.
func netDialerLit(info *types.Info, e ast.Expr) *ast.CompositeLit {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok || !isNamed(info.TypeOf(lit), "net", "Dialer") {
		return nil
	}
	return lit
}

// dialerToggle returns the toggle that turns off TCP keep-alive on the
// net.Dialer e: a literal, a variable set once to a literal,
// new(net.Dialer) or its zero value, or the result of a maker; nil if
// it does not or is unknown.
func (s *kaSource) dialerToggle(e ast.Expr, depth int) ast.Node {
	if depth > kaMaxDepth {
		return nil
	}
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if lit := netDialerLit(s.info, e); lit != nil {
		return s.dialerLitToggle(lit, nil)
	}
	if call, ok := e.(*ast.CallExpr); ok {
		for _, r := range s.makerResults(call) {
			if t := s.dialerToggle(r, depth+1); t != nil {
				return t
			}
		}
		return nil
	}
	v := s.varOf(e)
	rhs, zero, ok := s.def(v)
	switch {
	case !ok:
		return nil // unknown dialer
	case zero:
		return s.dialerLitToggle(nil, v)
	case isNewCall(s.info, rhs, "net", "Dialer"):
		return s.dialerLitToggle(nil, v)
	}
	if lit := netDialerLit(s.info, rhs); lit != nil {
		return s.dialerLitToggle(lit, v)
	}
	return nil // a copy of another dialer, a call ...: unknown
}

// makerResults returns the values that call returns, when it calls a
// function of this package with one result (a maker of dial funcs or
// dialers), read from its return statements:
//
//	func newDialer() *net.Dialer { return &net.Dialer{KeepAlive: -1} }
//	&http.Transport{DialContext: newDialer().DialContext}
func (s *kaSource) makerResults(call *ast.CallExpr) []ast.Expr {
	fn := calleeFunc(s.info, call)
	if fn == nil || fn.Pkg() != s.c.pass.Pkg || fn.Signature().Results().Len() != 1 {
		return nil
	}
	fd := s.c.decl(fn.Origin())
	if fd == nil {
		return nil // no body
	}
	var results []ast.Expr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			if len(n.Results) == 1 {
				results = append(results, n.Results[0])
			}
		}
		return true
	})
	return results
}

// isNewCall reports whether e is new(pkgPath.name).
func isNewCall(info *types.Info, e ast.Expr, pkgPath, name string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	b, ok := info.Uses[identOf(call.Fun)].(*types.Builtin)
	return ok && b.Name() == "new" && isPointerTo(info.TypeOf(call), pkgPath, name)
}

// dialerLitToggle returns the toggle that turns off TCP keep-alive on a
// net.Dialer built by lit (if not nil) and held in v (if not nil), or nil.
// Per net's documentation, probes are off when KeepAlive is negative and
// KeepAliveConfig.Enable is false, so every write to KeepAlive must be a
// negative constant and every write to KeepAliveConfig must leave Enable
// false. KeepAliveConfig{Enable: false} with a KeepAlive of zero turns
// nothing off (probes run at the default period), so it is not a toggle.
// The toggle is the first write to KeepAlive.
func (s *kaSource) dialerLitToggle(lit *ast.CompositeLit, v *types.Var) ast.Node {
	var keepAlive []ast.Node // KeyValueExpr or AssignStmt
	var values []ast.Expr
	if lit != nil {
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok || identOf(kv.Key) == nil {
				continue
			}
			switch identOf(kv.Key).Name {
			case "KeepAlive":
				keepAlive = append(keepAlive, kv)
				values = append(values, kv.Value)
			case "KeepAliveConfig":
				if !s.isConfigOff(kv.Value) {
					return nil // probes configured, or unknown
				}
			}
		}
	}
	if v != nil {
		s.index()
		for _, w := range s.fields {
			switch {
			case isFieldOf(w.field, "net", "Dialer", "KeepAlive") && s.varOf(w.base) == v:
				keepAlive = append(keepAlive, w.stmt)
				values = append(values, w.rhs)
			case isFieldOf(w.field, "net", "Dialer", "KeepAliveConfig") && s.varOf(w.base) == v:
				if w.rhs == nil || !s.isConfigOff(w.rhs) {
					return nil
				}
			case isFieldOf(w.field, "net", "KeepAliveConfig", "Enable"):
				if sel, ok := ast.Unparen(w.base).(*ast.SelectorExpr); ok && s.varOf(sel.X) == v &&
					(w.rhs == nil || !s.isFalse(w.rhs)) {
					return nil
				}
			}
		}
	}
	if len(keepAlive) == 0 {
		return nil // KeepAlive zero: default probes
	}
	for _, val := range values {
		if val == nil || !s.isNegative(val) {
			return nil // a non-negative or unknown period somewhere
		}
	}
	return keepAlive[0]
}

// isConfigOff reports whether e is a net.KeepAliveConfig literal whose
// Enable is absent or false.
func (s *kaSource) isConfigOff(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok || !isNamed(s.info.TypeOf(lit), "net", "KeepAliveConfig") {
		return false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false // positional: Enable is first
		}
		if id := identOf(kv.Key); id != nil && id.Name == "Enable" && !s.isFalse(kv.Value) {
			return false
		}
	}
	return true
}

// A trOrigin says what builds a Transport value, as far as the package's
// source tells.
type trOrigin struct {
	known bool
	fix   *ast.CompositeLit   // the literal that builds it, to add DisableKeepAlives to
	lits  []*ast.CompositeLit // literals it comes from (itself or by Clone)
	vars  []*types.Var        // variables that hold it on the way
}

// transportOrigin returns the origin of the Transport e: a literal,
// new(http.Transport), a zero var, http.DefaultTransport.(*http.Transport).Clone(),
// the Clone of a known Transport, or a variable set once to one of those.
func (s *kaSource) transportOrigin(e ast.Expr, depth int) trOrigin {
	if depth > kaMaxDepth {
		return trOrigin{}
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return s.transportOrigin(e.X, depth+1)
		}
	case *ast.StarExpr:
		return s.transportOrigin(e.X, depth+1)
	case *ast.CompositeLit:
		if isNamed(s.info.TypeOf(e), "net/http", "Transport") {
			return trOrigin{known: true, fix: e, lits: []*ast.CompositeLit{e}}
		}
	case *ast.CallExpr:
		if isNewCall(s.info, e, "net/http", "Transport") {
			return trOrigin{known: true}
		}
		if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok && isMethod(calleeFunc(s.info, e), "net/http", "Transport", "Clone") {
			if s.isDefaultTransport(sel.X) {
				return trOrigin{known: true} // DefaultTransport keeps connections alive
			}
			o := s.transportOrigin(sel.X, depth+1)
			o.fix = nil // the literal builds another Transport
			return o
		}
	case *ast.Ident:
		v := s.varOf(e)
		rhs, zero, ok := s.def(v)
		if !ok {
			return trOrigin{}
		}
		o := trOrigin{known: true}
		if !zero {
			o = s.transportOrigin(rhs, depth+1)
		}
		o.vars = append(o.vars, v)
		return o
	}
	return trOrigin{}
}

// isDefaultTransport reports whether e is http.DefaultTransport.(*http.Transport).
func (s *kaSource) isDefaultTransport(e ast.Expr) bool {
	ta, ok := ast.Unparen(e).(*ast.TypeAssertExpr)
	if !ok {
		return false
	}
	var id *ast.Ident
	switch x := ast.Unparen(ta.X).(type) {
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.Ident:
		id = x
	}
	v, ok := s.info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "net/http" && v.Name() == "DefaultTransport"
}

// disablesKeepAlives reports whether the Transport of origin o gets (or
// may get) its pooling turned off: in one of its literals, or by an
// assignment to a variable that holds it, or to a Transport the package's
// source cannot place.
func (s *kaSource) disablesKeepAlives(o trOrigin) bool {
	for _, lit := range o.lits {
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok && identOf(kv.Key) != nil && s.turnsOffPooling(identOf(kv.Key).Name, kv.Value) {
				return true
			}
		}
	}
	if !s.disabledComputed {
		s.disabledComputed = true
		s.disabledLits = make(map[*ast.CompositeLit]bool)
		s.disabledVars = make(map[*types.Var]bool)
		s.index()
		for _, w := range s.fields {
			if !isTransportFieldVar(w.field, "DisableKeepAlives", "MaxIdleConnsPerHost") || !s.turnsOffPooling(w.field.Name(), w.rhs) {
				continue // another field, or pooling stays on
			}
			wo := s.transportOrigin(w.base, 0)
			if !wo.known {
				s.disabledUnknown = true
				continue
			}
			for _, lit := range wo.lits {
				s.disabledLits[lit] = true
			}
			for _, v := range wo.vars {
				s.disabledVars[v] = true
			}
		}
	}
	if s.disabledUnknown {
		return true
	}
	for _, lit := range o.lits {
		if s.disabledLits[lit] {
			return true
		}
	}
	for _, v := range o.vars {
		if s.disabledVars[v] {
			return true
		}
	}
	return false
}

// turnsOffPooling reports whether setting the Transport field named field
// to value (nil: unknown) may stop it from pooling connections:
// DisableKeepAlives set to anything but false, or MaxIdleConnsPerHost to
// a negative constant (Transport then keeps no idle connection, an
// undocumented effect).
func (s *kaSource) turnsOffPooling(field string, value ast.Expr) bool {
	switch field {
	case "DisableKeepAlives":
		return value == nil || !s.isFalse(value)
	case "MaxIdleConnsPerHost":
		return value != nil && s.isNegative(value)
	}
	return false
}
