package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file resolves, for the keepalive check, a Transport to the
// literal that builds it and to the assignments that turn its pooling
// off.

// transportOrigins resolves Transports in one package. Which of them get
// DisableKeepAlives is computed on first use.
type transportOrigins struct {
	c         *checker
	info      *types.Info
	turnedOff []ast.Expr // Transports given to helpers that turn their pooling off (see turnsOffArgs)

	disabledLits    map[*ast.CompositeLit]bool // Transport literals given DisableKeepAlives
	disabledVars    map[*types.Var]bool        // Transport variables given DisableKeepAlives
	disabledUnknown bool                       // some Transport we cannot place gets DisableKeepAlives
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
func (s *transportOrigins) transportOrigin(e ast.Expr, depth int) trOrigin {
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
		if flow.IsNamed(s.info.TypeOf(e), "net/http", "Transport") {
			return trOrigin{known: true, fix: e, lits: []*ast.CompositeLit{e}}
		}
	case *ast.CallExpr:
		if flow.IsNewOf(s.info, e, nethttp.IsTransportValue) {
			return trOrigin{known: true}
		}
		if flow.IsNamed(s.info.TypeOf(e), "net/http", "Transport") {
			// A helper that builds a Transport that keeps its connections
			// alive, per its summary.
			if r := s.c.Summary(flow.CalleeFunc(s.info, e)).Result(kindPool); r != nil && poolsAt(s.c, e, r) {
				return trOrigin{known: true}
			}
		}
		if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok && flow.IsMethod(flow.CalleeFunc(s.info, e), "net/http", "Transport", "Clone") {
			if nethttp.IsDefaultTransport(s.info, sel.X) {
				return trOrigin{known: true} // DefaultTransport keeps connections alive
			}
			o := s.transportOrigin(sel.X, depth+1)
			o.fix = nil // the literal builds another Transport
			return o
		}
	case *ast.Ident:
		v := flow.VarOf(s.info, e)
		rhs, zero, ok := s.c.Origin(v)
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

// disablesKeepAlives reports whether the Transport of origin o gets (or
// may get) its pooling turned off: in one of its literals, or by an
// assignment to a variable that holds it, or by a helper it is given, or
// by either to a Transport the package's source cannot place.
func (s *transportOrigins) disablesKeepAlives(o trOrigin) bool {
	for _, lit := range o.lits {
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok && flow.IdentOf(kv.Key) != nil && nethttp.TurnsOffPooling(s.info, flow.IdentOf(kv.Key).Name, kv.Value) {
				return true
			}
		}
	}
	if s.disabledLits == nil {
		s.disabledLits = make(map[*ast.CompositeLit]bool)
		s.disabledVars = make(map[*types.Var]bool)
		bases := s.turnedOff
		for _, w := range s.c.Writes().Fields {
			if nethttp.IsTransportField(w.Field, "DisableKeepAlives", "MaxIdleConnsPerHost") && nethttp.TurnsOffPooling(s.info, w.Field.Name(), w.RHS) {
				bases = append(bases, w.Base)
			}
		}
		for _, base := range bases {
			wo := s.transportOrigin(base, 0)
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

// turnsOffArgs appends to out the arguments of call, a call of fn, that
// are Transports fn turns the pooling of off, by its summary (its
// keep-alives turned off for good, or its idle connections closed),
// unless under a test of its arguments known not to hold:
//
//	func ShortLived(t *http.Transport) *http.Transport { t.DisableKeepAlives = true; return t }
func turnsOffArgs(c *checker, call *ast.CallExpr, fn *types.Func, out []ast.Expr) []ast.Expr {
	if fn == nil || call.Ellipsis.IsValid() {
		return out
	}
	params := fn.Signature().Params()
	for i, arg := range call.Args {
		if i >= params.Len() || !flow.IsNamed(params.At(i).Type(), "net/http", "Transport") {
			continue // (the callee's parameter types: no lookup for most calls)
		}
		pf := c.Summary(fn.Origin()).Param(i, kindPool)
		if pf.Effect&flow.Releases == 0 {
			continue
		}
		if holds, known := c.HoldsAt(call, pf.When); known && !holds {
			continue
		}
		out = append(out, arg)
	}
	return out
}
