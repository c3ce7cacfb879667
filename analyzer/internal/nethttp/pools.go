package nethttp

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what the checks know of connection pools: the types
// that hold one, and what turns their pooling off.

// IsHTTPClient reports whether t is (a pointer to) http.Client.
func IsHTTPClient(t types.Type) bool { return flow.IsNamed(t, "net/http", "Client") }

// IsTransportValue reports whether t is http.Transport itself, not a
// pointer to it.
func IsTransportValue(t types.Type) bool {
	return !flow.IsPointerType(t) && flow.IsNamed(t, "net/http", "Transport")
}

// IsPoolType reports whether t is (a pointer to) http.Transport,
// http.Client or http.RoundTripper.
func IsPoolType(t types.Type) bool {
	return flow.IsNamed(t, "net/http", "Transport", "Client", "RoundTripper") || IsOtherTransport(t)
}

// The packages of the HTTP/2 and HTTP/3 transports, which pool their
// connections like net/http's.
const (
	HTTP2Pkg = "golang.org/x/net/http2"
	HTTP3Pkg = "github.com/quic-go/quic-go/http3"
)

// IsOtherTransport reports whether t is (a pointer to) an HTTP/2 or
// HTTP/3 Transport.
func IsOtherTransport(t types.Type) bool {
	return flow.IsNamed(t, HTTP2Pkg, "Transport") || flow.IsNamed(t, HTTP3Pkg, "Transport")
}

// HoldsPoolDepth is how deep in fields CanHoldPool looks for a pool: an
// SDK's service holds its options, which hold the http.Client, which holds
// the Transport.
const HoldsPoolDepth = 3

// PoolTypes knows the connection pool types that the code of one package
// can see: net/http's Client and Transport, and the HTTP/2 and HTTP/3
// Transports, found in its import graph on first use.
type PoolTypes struct {
	pkg   *types.Package
	ptrs  []types.Type // pointers to the pool types, once found
	found bool
	http  map[*types.Package]bool // whether a package imports net/http
}

// NewPoolTypes returns the pool types that pkg can see.
func NewPoolTypes(pkg *types.Package) *PoolTypes { return &PoolTypes{pkg: pkg} }

// CanHoldPool reports whether a value of type t can be or hold a
// connection pool: an http.Transport, Client or RoundTripper (or a
// pointer to one), an interface that a pool implements (see
// IsPoolInterface), a type that holds says can (if not nil: the caller's
// own kinds of holder), or a struct (or a pointer to one) with a field
// that can, up to depth levels down.
func (p *PoolTypes) CanHoldPool(t types.Type, depth int, holds func(types.Type) bool) bool {
	if IsPoolType(t) || IsSDKClientType(t) || p.IsPoolInterface(t) || holds != nil && holds(t) {
		return true
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil && named.TypeArgs().Len() == 0 && !p.importsHTTP(named.Obj().Pkg()) {
		return false // declared where net/http cannot be reached: none of its fields can hold a pool
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || depth == 0 {
		return false
	}
	for f := range st.Fields() {
		if p.CanHoldPool(f.Type(), depth-1, holds) {
			return true
		}
	}
	return false
}

// requestMethods are the methods of the pool types that send a request.
var requestMethods = []string{"Do", "Get", "Head", "Post", "PostForm", "RoundTrip", "RoundTripOpt"}

// IsPoolInterface reports whether t is an interface that may hold a
// pool: a client interface, one of whose methods returns a response (a
// generated client's ClientInterface, whose implementation holds the
// pool); one that an HTTP library (a package that imports net/http, but
// not net/http's own) declares with a method that may do I/O, one that
// takes a context or returns an error (its client or backend:
// graphql.Client, stripe.Backend; not a metric or a logger); or one that a pool type implements and that asks for
// a method sending a request (a Doer or HTTPClient, Do(*http.Request)
// (*http.Response, error); a round tripper). A pool kept in such a value
// is still the pool.
func (p *PoolTypes) IsPoolInterface(t types.Type) bool {
	iface, ok := types.Unalias(t).Underlying().(*types.Interface)
	if !ok || iface.Empty() || IsPoolType(t) {
		return false
	}
	named, _ := types.Unalias(t).(*types.Named)
	library := named != nil && named.Obj().Pkg() != nil && !strings.HasPrefix(named.Obj().Pkg().Path(), "net/http") &&
		p.importsHTTP(named.Obj().Pkg())
	asksRequest := false
	for m := range iface.Methods() {
		if slices.Contains(requestMethods, m.Name()) {
			asksRequest = true
		}
		if isClientMethod(m.Signature()) || library && mayDoIO(m.Signature()) {
			return true
		}
	}
	if !asksRequest {
		return false
	}
	for _, ptr := range p.pointers() {
		if types.Implements(ptr, iface) {
			return true
		}
	}
	return false
}

// mayDoIO reports whether sig takes a context.Context or returns an error.
func mayDoIO(sig *types.Signature) bool {
	for v := range sig.Params().Variables() {
		if flow.IsNamed(v.Type(), "context", "Context") {
			return true
		}
	}
	return sig.Results().Len() > 0 && flow.IsErrorType(sig.Results().At(sig.Results().Len()-1).Type())
}

// isClientMethod reports whether sig returns an *http.Response.
func isClientMethod(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if IsResponse(v.Type()) {
			return true
		}
	}
	return false
}

// IsRequestInterfaceMethod reports whether fn is a method of an interface
// that a pool implements (see IsPoolInterface) that sends a request:
// calling it on a value that holds the pool uses the pool.
func (p *PoolTypes) IsRequestInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && slices.Contains(requestMethods, fn.Name()) && p.IsPoolInterface(recv.Type())
}

// importsHTTP is ImportsHTTP, remembered per package (and so for every
// package of its imports on the way: the import graph has no cycles).
func (p *PoolTypes) importsHTTP(pkg *types.Package) bool {
	imports, ok := p.http[pkg]
	if !ok {
		if p.http == nil {
			p.http = make(map[*types.Package]bool)
		}
		imports = pkg.Path() == "net/http" || slices.ContainsFunc(pkg.Imports(), p.importsHTTP)
		p.http[pkg] = imports
	}
	return imports
}

// pointers returns the pointers to the pool types the package can see.
func (p *PoolTypes) pointers() []types.Type {
	if p.found {
		return p.ptrs
	}
	p.found = true
	seen := make(map[*types.Package]bool)
	var visit func(pkg *types.Package)
	visit = func(pkg *types.Package) {
		if seen[pkg] {
			return
		}
		seen[pkg] = true
		var names []string
		switch pkg.Path() {
		case "net/http":
			names = []string{"Client", "Transport"}
		case HTTP2Pkg, HTTP3Pkg:
			names = []string{"Transport"}
		}
		for _, name := range names {
			if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok {
				p.ptrs = append(p.ptrs, types.NewPointer(tn.Type()))
			}
		}
		for _, imp := range pkg.Imports() {
			visit(imp)
		}
	}
	visit(p.pkg)
	return p.ptrs
}

// TurnsOffPooling reports whether setting the Transport field named
// field to value (nil: unknown) stops it from pooling connections, or
// may: DisableKeepAlives set to anything but a constant false, or
// MaxIdleConnsPerHost to a negative constant (Transport then keeps no
// idle connection, an undocumented effect).
func TurnsOffPooling(info *types.Info, field string, value ast.Expr) bool {
	switch field {
	case "DisableKeepAlives":
		return value == nil || !flow.IsFalse(info, value)
	case "MaxIdleConnsPerHost":
		return value != nil && flow.IsNegative(info, value)
	}
	return false
}

// OptionTurnsOffPooling reports whether an argument of call is a
// transport option that turns pooling off, or may: a func literal that
// takes an *http.Transport and sets its DisableKeepAlives (see
// TurnsOffPooling).
//
//	client.WithTransportOptions(func(t *http.Transport) { t.DisableKeepAlives = true })
func OptionTurnsOffPooling(info *types.Info, call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		lit, ok := arg.(*ast.FuncLit)
		if !ok || lit.Type.Params.NumFields() != 1 || len(lit.Type.Params.List[0].Names) != 1 {
			continue
		}
		param := info.Defs[lit.Type.Params.List[0].Names[0]]
		if param == nil || !flow.IsPointerTo(param.Type(), "net/http", "Transport") {
			continue
		}
		off := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return !off
			}
			for i, lhs := range as.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && info.Uses[flow.IdentOf(sel.X)] == param && TurnsOffPooling(info, sel.Sel.Name, as.Rhs[i]) {
					off = true
				}
			}
			return !off
		})
		if off {
			return true
		}
	}
	return false
}

// ChainTurnsOffPooling reports whether call, or a call in the chain of
// method calls it is made on, is given a transport option that turns
// pooling off (see optionTurnsOffPooling):
//
//	b.WithTransportOptions(func(t *http.Transport) { t.DisableKeepAlives = true }).WithTimeout(d)
func ChainTurnsOffPooling(info *types.Info, call *ast.CallExpr) bool {
	for call != nil {
		if OptionTurnsOffPooling(info, call) {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		call, _ = ast.Unparen(sel.X).(*ast.CallExpr)
	}
	return false
}

// LitTurnsOffPooling reports whether a Transport literal turns pooling
// off, or may (see turnsOffPooling).
func LitTurnsOffPooling(info *types.Info, lit *ast.CompositeLit) bool {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id := flow.IdentOf(kv.Key); id != nil && TurnsOffPooling(info, id.Name, kv.Value) {
				return true
			}
		}
	}
	return false
}

// LitKeepAlivesOff reports whether the Transport literal lit turns
// keep-alives off by a constant (DisableKeepAlives: true), and pooling
// in no other way: code that sets DisableKeepAlives back to false makes
// it a pool.
func LitKeepAlivesOff(info *types.Info, lit *ast.CompositeLit) bool {
	off := false
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch id := flow.IdentOf(kv.Key); {
		case id == nil:
		case id.Name == "DisableKeepAlives":
			if !flow.IsTrue(info, kv.Value) {
				return false
			}
			off = true
		case TurnsOffPooling(info, id.Name, kv.Value):
			return false
		}
	}
	return off
}

// IsDefaultTransport reports whether e is http.DefaultTransport.(*http.Transport).
func IsDefaultTransport(info *types.Info, e ast.Expr) bool {
	ta, ok := ast.Unparen(e).(*ast.TypeAssertExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[flow.NameOf(ta.X)].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "net/http" && v.Name() == "DefaultTransport"
}
