package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
)

// This file holds what the checks know of net/http, net and a few other
// standard packages: every rule once. It keeps no state.

// importsHTTP reports whether pkg imports net/http, directly or through
// its dependencies: only then can its code hold a response, a transport
// or a dialer installed on one.
func importsHTTP(pkg *types.Package) bool {
	seen := make(map[*types.Package]bool)
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if p.Path() == "net/http" {
			return true
		}
		if seen[p] {
			return false
		}
		seen[p] = true
		return slices.ContainsFunc(p.Imports(), visit)
	}
	return visit(pkg)
}

// isResponse reports whether t is *http.Response.
func isResponse(t types.Type) bool { return isPointerTo(t, "net/http", "Response") }

// retryable is go-retryablehttp, whose client returns net/http responses.
const retryable = "github.com/hashicorp/go-retryablehttp"

// resty is go-resty/resty/v2. What its facts cannot say (whether a
// request parses, and so closes, its response) is tabled here.
const resty = "github.com/go-resty/resty/v2"

// restyRawPlace is where a resty Response holds the body its caller must
// close when the request did not parse it.
var restyRawPlace = place{"RawResponse", "Body"}

// isRestyRawResponse reports whether call sends a resty request that
// does not parse, and so does not close, its response: a request method
// on a chain that sets SetDoNotParseResponse(true). The caller must close
// resp.RawBody().
//
//	resp, err := client.R().SetDoNotParseResponse(true).Get(u)
func isRestyRawResponse(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	if fn == nil || fn.Signature().Results().Len() != 2 || !isPointerTo(fn.Signature().Results().At(0).Type(), resty, "Response") ||
		!isMethod(fn, resty, "Request", "Get", "Post", "Put", "Patch", "Delete", "Options", "Execute", "Send") {
		return false
	}
	for e := call.Fun; ; {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
		if !ok {
			return false // the chain starts here (a variable: not followed)
		}
		if m := calleeFunc(info, inner); isMethod(m, resty, "Request", "SetDoNotParseResponse") {
			return len(inner.Args) == 1 && isTrue(info, inner.Args[0])
		}
		e = inner.Fun
	}
}

// isRestyCloseConnection reports whether call is resty's
// client.SetCloseConnection(true): every request then closes its
// connection, so the pool keeps none idle.
func isRestyCloseConnection(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	return isMethod(fn, resty, "Client", "SetCloseConnection") && len(call.Args) == 1 && isTrue(info, call.Args[0])
}

// isTrue reports whether e is a constant true.
func isTrue(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && constant.BoolVal(v)
}

// knownProducer says whether fn is a function whose response the caller
// must close, known without a summary: its result index (-1 for none),
// whether the response only comes from an http.RoundTripper interface,
// and whether fn is known at all.
//
// Head is left out: a HEAD response has no body (http.NoBody), and its
// connection returns to the pool without a Close.
func knownProducer(fn *types.Func) (idx int, viaRT, known bool) {
	switch {
	case isFunc(fn, "net/http", "Get", "Post", "PostForm"),
		isMethod(fn, "net/http", "Client", "Do", "Get", "Post", "PostForm"),
		isMethod(fn, "net/http", "Transport", "RoundTrip"),
		isFunc(fn, retryable, "Get", "Post", "PostForm"),
		isMethod(fn, retryable, "Client", "Do", "Get", "Post", "PostForm"):
		return 0, false, true
	case isMethod(fn, "net/http", "RoundTripper", "RoundTrip"):
		return 0, true, true
	case isFunc(fn, "net/http", "Head"), isMethod(fn, "net/http", "Client", "Head"):
		return -1, false, true
	}
	return -1, false, false
}

// isRoundTripMethod reports whether fn is a method with the signature of
// http.RoundTripper's RoundTrip:
//
//	func (T) RoundTrip(*http.Request) (*http.Response, error)
func isRoundTripMethod(fn *types.Func) bool {
	sig := fn.Signature()
	return fn.Name() == "RoundTrip" && sig.Recv() != nil && sig.Params().Len() == 1 && sig.Results().Len() == 2 &&
		isPointerTo(sig.Params().At(0).Type(), "net/http", "Request") && isResponse(sig.Results().At(0).Type()) &&
		isErrorType(sig.Results().At(1).Type())
}

// isInterfaceProducer reports whether fn is a method of an interface
// that returns a response and an error: a client abstraction (Do, Get,
// Post ... of an HTTPClient or Doer interface, a library's client
// interface) whose implementations hand the caller a response to close.
// Like http.RoundTripper's, its responses are left alone in tests, which
// fake such interfaces with canned, body-less responses.
func isInterfaceProducer(fn *types.Func) bool {
	sig := fn.Signature()
	return sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) && sig.Results().Len() == 2 &&
		isResponse(sig.Results().At(0).Type()) && isErrorType(sig.Results().At(1).Type())
}

// isClone reports whether fn clones a Transport: http.Transport's Clone,
// or a Clone method of an interface that returns an *http.Transport.
func isClone(fn *types.Func) bool {
	if isMethod(fn, "net/http", "Transport", "Clone") {
		return true
	}
	sig := fn.Signature()
	return fn.Name() == "Clone" && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) &&
		sig.Params().Len() == 0 && sig.Results().Len() == 1 && isPointerTo(sig.Results().At(0).Type(), "net/http", "Transport")
}

// isRequestMethod reports whether fn sends a request through the pool of
// its receiver.
func isRequestMethod(fn *types.Func) bool {
	return isMethod(fn, "net/http", "Client", "Do", "Get", "Head", "Post", "PostForm") ||
		isMethod(fn, "net/http", "Transport", "RoundTrip") ||
		isMethod(fn, "net/http", "RoundTripper", "RoundTrip") ||
		isMethod(fn, http2Pkg, "Transport", "RoundTrip", "RoundTripOpt") ||
		isMethod(fn, http3Pkg, "Transport", "RoundTrip", "RoundTripOpt")
}

// readsOnly reports whether fn is known to only read its arguments: the
// fmt and log printers, the testing loggers, and httputil.DumpResponse
// (which drains the body and puts a copy back, so the caller's duty to
// close is unchanged).
func readsOnly(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt":
		return true
	case "log", "testing":
		switch fn.Name() {
		case "Print", "Printf", "Println", "Log", "Logf", "Error", "Errorf", "Output":
			return true
		}
	case "net/http/httputil":
		return fn.Name() == "DumpResponse"
	}
	return false
}

// isHTTPClient reports whether t is (a pointer to) http.Client.
func isHTTPClient(t types.Type) bool { return isNamed(t, "net/http", "Client") }

// isTransportValue reports whether t is http.Transport itself, not a
// pointer to it.
func isTransportValue(t types.Type) bool {
	return !isPointerType(t) && isNamed(t, "net/http", "Transport")
}

// isPoolType reports whether t is (a pointer to) http.Transport,
// http.Client or http.RoundTripper.
func isPoolType(t types.Type) bool {
	return isNamed(t, "net/http", "Transport", "Client", "RoundTripper") || isOtherTransport(t)
}

// The packages of the HTTP/2 and HTTP/3 transports, which pool their
// connections like net/http's.
const (
	http2Pkg = "golang.org/x/net/http2"
	http3Pkg = "github.com/quic-go/quic-go/http3"
)

// isOtherTransport reports whether t is (a pointer to) an HTTP/2 or
// HTTP/3 Transport.
func isOtherTransport(t types.Type) bool {
	return isNamed(t, http2Pkg, "Transport") || isNamed(t, http3Pkg, "Transport")
}

// holdsPoolDepth is how deep in fields canHoldPool looks for a pool: an
// SDK's service holds its options, which hold the http.Client, which holds
// the Transport.
const holdsPoolDepth = 3

// canHoldPool reports whether a value of type t can be or hold a
// connection pool: an http.Transport, Client or RoundTripper (or a
// pointer to one), or a struct (or a pointer to one) with a field that
// can, up to depth levels down.
func canHoldPool(t types.Type, depth int) bool {
	if isPoolType(t) || isSDKClientType(t) {
		return true
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || depth == 0 {
		return false
	}
	for f := range st.Fields() {
		if canHoldPool(f.Type(), depth-1) {
			return true
		}
	}
	return false
}

// turnsOffPooling reports whether setting the Transport field named
// field to value (nil: unknown) stops it from pooling connections, or
// may: DisableKeepAlives set to anything but a constant false, or
// MaxIdleConnsPerHost to a negative constant (Transport then keeps no
// idle connection, an undocumented effect).
func turnsOffPooling(info *types.Info, field string, value ast.Expr) bool {
	switch field {
	case "DisableKeepAlives":
		return value == nil || !isFalse(info, value)
	case "MaxIdleConnsPerHost":
		return value != nil && isNegative(info, value)
	}
	return false
}

// optionTurnsOffPooling reports whether an argument of call is a
// transport option that turns pooling off, or may: a func literal that
// takes an *http.Transport and sets its DisableKeepAlives (see
// turnsOffPooling).
//
//	client.WithTransportOptions(func(t *http.Transport) { t.DisableKeepAlives = true })
func optionTurnsOffPooling(info *types.Info, call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		lit, ok := arg.(*ast.FuncLit)
		if !ok || lit.Type.Params.NumFields() != 1 || len(lit.Type.Params.List[0].Names) != 1 {
			continue
		}
		param := info.Defs[lit.Type.Params.List[0].Names[0]]
		if param == nil || !isPointerTo(param.Type(), "net/http", "Transport") {
			continue
		}
		off := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return !off
			}
			for i, lhs := range as.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && info.Uses[identOf(sel.X)] == param && turnsOffPooling(info, sel.Sel.Name, as.Rhs[i]) {
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

// chainTurnsOffPooling reports whether call, or a call in the chain of
// method calls it is made on, is given a transport option that turns
// pooling off (see optionTurnsOffPooling):
//
//	b.WithTransportOptions(func(t *http.Transport) { t.DisableKeepAlives = true }).WithTimeout(d)
func chainTurnsOffPooling(info *types.Info, call *ast.CallExpr) bool {
	for call != nil {
		if optionTurnsOffPooling(info, call) {
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

// litTurnsOffPooling reports whether a Transport literal turns pooling
// off, or may (see turnsOffPooling).
func litTurnsOffPooling(info *types.Info, lit *ast.CompositeLit) bool {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id := identOf(kv.Key); id != nil && turnsOffPooling(info, id.Name, kv.Value) {
				return true
			}
		}
	}
	return false
}

// isFalse reports whether e is a constant false.
func isFalse(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && !constant.BoolVal(v)
}

// isNegative reports whether e is a negative constant number.
func isNegative(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && (v.Kind() == constant.Int || v.Kind() == constant.Float) && constant.Sign(v) < 0
}

// dialFields are the http.Transport fields that hold a dial func.
var dialFields = []string{"Dial", "DialContext", "DialTLS", "DialTLSContext"}

// isDialField reports whether key names one of the http.Transport fields
// that hold a dial func.
func isDialField(key *ast.Ident) bool {
	return key != nil && slices.Contains(dialFields, key.Name)
}

// isTransportField reports whether f is the field of http.Transport
// named one of names.
func isTransportField(f *types.Var, names ...string) bool {
	return isFieldOf(f, "net/http", "Transport", names...)
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

// isKeepAliveOff reports whether call turns off TCP keep-alive on a
// connection: SetKeepAlive(false) on a *net.TCPConn (or a type that
// embeds one), or on an interface with a SetKeepAlive(bool) method.
// Methods of other concrete types may do anything.
func isKeepAliveOff(info *types.Info, call *ast.CallExpr) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); !ok || sel.Sel.Name != "SetKeepAlive" {
		return false // the cheap test first
	}
	fn := calleeFunc(info, call)
	if fn == nil || len(call.Args) != 1 || !isFalse(info, call.Args[0]) {
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

// dialerLitKeepAlive returns the KeepAlive settings of a net.Dialer
// literal: the fields that set KeepAlive, and whether its KeepAliveConfig
// (if set) may enable probes. Per net's documentation, probes are off
// when KeepAlive is negative and KeepAliveConfig.Enable is false.
func dialerLitKeepAlive(info *types.Info, lit *ast.CompositeLit) (keepAlive []*ast.KeyValueExpr, configOn bool) {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok || identOf(kv.Key) == nil {
			continue
		}
		switch identOf(kv.Key).Name {
		case "KeepAlive":
			keepAlive = append(keepAlive, kv)
		case "KeepAliveConfig":
			configOn = configOn || !isConfigOff(info, kv.Value)
		}
	}
	return keepAlive, configOn
}

// keepsDialerKeepAlive reports whether x is a net.Dialer literal (or its
// address) that leaves TCP keep-alive on: no KeepAliveConfig, and no
// KeepAlive that is negative or not a constant.
func keepsDialerKeepAlive(info *types.Info, x ast.Expr) bool {
	lit := netDialerLit(info, x)
	if lit == nil {
		return false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false
		}
		switch id := identOf(kv.Key); {
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

// isConfigOff reports whether e is a net.KeepAliveConfig literal whose
// Enable is absent or false.
func isConfigOff(info *types.Info, e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok || !isNamed(info.TypeOf(lit), "net", "KeepAliveConfig") {
		return false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return false // positional: Enable is first
		}
		if id := identOf(kv.Key); id != nil && id.Name == "Enable" && !isFalse(info, kv.Value) {
			return false
		}
	}
	return true
}

// isDefaultTransport reports whether e is http.DefaultTransport.(*http.Transport).
func isDefaultTransport(info *types.Info, e ast.Expr) bool {
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
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "net/http" && v.Name() == "DefaultTransport"
}

// isHandlerSig reports whether t is the signature of an HTTP handler:
//
//	func(http.ResponseWriter, *http.Request)
func isHandlerSig(t types.Type) bool {
	sig, ok := t.(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	return isNamed(sig.Params().At(0).Type(), "net/http", "ResponseWriter") &&
		isPointerTo(sig.Params().At(1).Type(), "net/http", "Request")
}

// isDialerValue reports whether t is net.Dialer itself, not a pointer to
// it.
func isDialerValue(t types.Type) bool { return !isPointerType(t) && isNamed(t, "net", "Dialer") }
