package nethttp

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what the keepalive check knows of dial funcs and
// net.Dialers: the Transport fields that hold a dial func, and what turns
// TCP keep-alive off.

// DialFields are the http.Transport fields that hold a dial func.
var DialFields = []string{"Dial", "DialContext", "DialTLS", "DialTLSContext"}

// IsDialField reports whether key names one of the http.Transport fields
// that hold a dial func.
func IsDialField(key *ast.Ident) bool {
	return key != nil && slices.Contains(DialFields, key.Name)
}

// IsTransportField reports whether f is the field of http.Transport
// named one of names.
func IsTransportField(f *types.Var, names ...string) bool {
	return flow.IsFieldOf(f, "net/http", "Transport", names...)
}

// IsDialResults reports whether results are those of a dial func: a
// net.Conn or *net.TCPConn, then an error.
func IsDialResults(t types.Type) bool {
	tuple, ok := t.(*types.Tuple)
	if !ok || tuple.Len() != 2 || !flow.IsErrorType(tuple.At(1).Type()) {
		return false
	}
	conn := tuple.At(0).Type()
	return flow.IsPointerTo(conn, "net", "TCPConn") || (flow.IsNamed(conn, "net", "Conn") && types.IsInterface(conn))
}

// IsKeepAliveOff reports whether call turns off TCP keep-alive on a
// connection: SetKeepAlive(false) on a *net.TCPConn (or a type that
// embeds one), or on an interface with a SetKeepAlive(bool) method; or
// SetKeepAliveConfig given a literal whose Enable is false (a
// connection's config, unlike a dialer's, turns probes off by itself).
// Methods of other concrete types may do anything.
func IsKeepAliveOff(info *types.Info, call *ast.CallExpr) bool {
	if IsSetKeepAlive(info, call) {
		return flow.IsFalse(info, call.Args[0])
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "SetKeepAliveConfig" || len(call.Args) != 1 || !IsConfigOff(info, call.Args[0]) {
		return false
	}
	fn := flow.CalleeFunc(info, call)
	if fn == nil {
		return false
	}
	recv := fn.Signature().Recv()
	return flow.IsMethod(fn, "net", "TCPConn", "SetKeepAliveConfig") || (recv != nil && types.IsInterface(recv.Type()))
}

// IsSetKeepAlive reports whether call sets TCP keep-alive on a connection
// (to its one argument): SetKeepAlive on a *net.TCPConn (or a type that
// embeds one), or on an interface with a SetKeepAlive(bool) method.
func IsSetKeepAlive(info *types.Info, call *ast.CallExpr) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); !ok || sel.Sel.Name != "SetKeepAlive" || len(call.Args) != 1 {
		return false // the cheap test first
	}
	return IsSetKeepAliveFunc(flow.CalleeFunc(info, call))
}

// IsSetKeepAliveFunc reports whether fn is SetKeepAlive of a
// *net.TCPConn, or of an interface (see IsSetKeepAlive).
func IsSetKeepAliveFunc(fn *types.Func) bool {
	if fn == nil || fn.Name() != "SetKeepAlive" {
		return false
	}
	recv := fn.Signature().Recv()
	return flow.IsMethod(fn, "net", "TCPConn", "SetKeepAlive") || (recv != nil && types.IsInterface(recv.Type()))
}

// NetDialerLit returns the net.Dialer literal that e is (or takes the
// address of), or nil.
func NetDialerLit(info *types.Info, e ast.Expr) *ast.CompositeLit {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok || !flow.IsNamed(info.TypeOf(lit), "net", "Dialer") {
		return nil
	}
	return lit
}

// DialerLitKeepAlive returns the KeepAlive settings of a net.Dialer
// literal: the fields that set KeepAlive, and whether its KeepAliveConfig
// (if set) may enable probes. Per net's documentation, probes are off
// when KeepAlive is negative and KeepAliveConfig.Enable is false. value
// returns what an expression holds (the literal a variable was set to
// for good), or the expression itself.
func DialerLitKeepAlive(info *types.Info, lit *ast.CompositeLit, value func(ast.Expr) ast.Expr) (keepAlive []*ast.KeyValueExpr, configOn bool) {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok || flow.IdentOf(kv.Key) == nil {
			continue
		}
		switch flow.IdentOf(kv.Key).Name {
		case "KeepAlive":
			keepAlive = append(keepAlive, kv)
		case "KeepAliveConfig":
			configOn = configOn || !IsConfigOff(info, value(kv.Value))
		}
	}
	return keepAlive, configOn
}

// KeepsDialerKeepAlive reports whether x is a net.Dialer literal (or its
// address) that leaves TCP keep-alive on: no KeepAliveConfig, and no
// KeepAlive that is negative or not a constant.
func KeepsDialerKeepAlive(info *types.Info, x ast.Expr) bool {
	lit := NetDialerLit(info, x)
	if lit == nil {
		return false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false
		}
		switch id := flow.IdentOf(kv.Key); {
		case id == nil, id.Name == "KeepAliveConfig":
			return false
		case id.Name == "KeepAlive":
			if v := info.Types[kv.Value].Value; v == nil || constant.Sign(v) < 0 {
				return false
			}
		}
	}
	return true
}

// IsConfigOff reports whether e is a net.KeepAliveConfig literal whose
// Enable is absent or false.
func IsConfigOff(info *types.Info, e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok || !flow.IsNamed(info.TypeOf(lit), "net", "KeepAliveConfig") {
		return false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false // positional: Enable is first
		}
		if id := flow.IdentOf(kv.Key); id != nil && id.Name == "Enable" && !flow.IsFalse(info, kv.Value) {
			return false
		}
	}
	return true
}

// IsDialerValue reports whether t is net.Dialer itself, not a pointer to
// it.
func IsDialerValue(t types.Type) bool {
	return !flow.IsPointerType(t) && flow.IsNamed(t, "net", "Dialer")
}

// IsConnOrDialer reports whether a value of type t is a connection or a
// dialer whose TCP keep-alive a helper could turn off.
func IsConnOrDialer(t types.Type) bool {
	return t != nil && flow.IsNamed(t, "net", "Conn", "TCPConn", "Dialer")
}
