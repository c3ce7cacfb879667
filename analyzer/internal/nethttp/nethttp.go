// Package nethttp holds what httpleakcheck knows of net/http, the rest of
// the standard library and a few client libraries: which calls produce a
// response to close, which types hold a connection pool and what turns
// its pooling off, which dialers turn TCP keep-alive off, which calls
// never return, and the cloud SDKs whose clients build a pool of their
// own. It keeps no state; the checks and the engine's hooks ask it.
package nethttp

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what the checks know of responses: the calls that
// produce one, and the signatures of handlers and round trippers.

// ImportsHTTP reports whether pkg imports net/http, directly or through
// its dependencies: only then can its code hold a response, a transport
// or a dialer installed on one.
func ImportsHTTP(pkg *types.Package) bool {
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

// IsResponse reports whether t is *http.Response.
func IsResponse(t types.Type) bool { return flow.IsPointerTo(t, "net/http", "Response") }

// Retryable is go-retryablehttp, whose client returns net/http responses.
const Retryable = "github.com/hashicorp/go-retryablehttp"

// Resty is go-resty/resty/v2. What its facts cannot say (whether a
// request parses, and so closes, its response) is tabled here.
const Resty = "github.com/go-resty/resty/v2"

// RestyRawPlace is where a resty Response holds the body its caller must
// close when the request did not parse it.
var RestyRawPlace = flow.Place{"RawResponse", "Body"}

// IsRestyRawResponse reports whether call sends a resty request that
// does not parse, and so does not close, its response: a request method
// on a chain that sets SetDoNotParseResponse(true). The caller must close
// resp.RawBody().
//
//	resp, err := client.R().SetDoNotParseResponse(true).Get(u)
func IsRestyRawResponse(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	if fn == nil || fn.Signature().Results().Len() != 2 || !flow.IsPointerTo(fn.Signature().Results().At(0).Type(), Resty, "Response") ||
		!flow.IsMethod(fn, Resty, "Request", "Get", "Post", "Put", "Patch", "Delete", "Options", "Execute", "Send") {
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
		if m := flow.CalleeFunc(info, inner); flow.IsMethod(m, Resty, "Request", "SetDoNotParseResponse") {
			return len(inner.Args) == 1 && flow.IsTrue(info, inner.Args[0])
		}
		e = inner.Fun
	}
}

// IsRestyCloseConnection reports whether call is resty's
// client.SetCloseConnection(true): every request then closes its
// connection, so the pool keeps none idle.
func IsRestyCloseConnection(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	return flow.IsMethod(fn, Resty, "Client", "SetCloseConnection") && len(call.Args) == 1 && flow.IsTrue(info, call.Args[0])
}

// KnownProducer says whether fn is a function whose response the caller
// must close, known without a summary: its result index (-1 for none),
// whether the response only comes from an http.RoundTripper interface,
// and whether fn is known at all.
//
// Head is left out: a HEAD response has no body (http.NoBody), and its
// connection returns to the pool without a Close.
func KnownProducer(fn *types.Func) (idx int, viaRT, known bool) {
	switch {
	case flow.IsFunc(fn, "net/http", "Get", "Post", "PostForm"),
		flow.IsMethod(fn, "net/http", "Client", "Do", "Get", "Post", "PostForm"),
		flow.IsMethod(fn, "net/http", "Transport", "RoundTrip"),
		flow.IsFunc(fn, Retryable, "Get", "Post", "PostForm"),
		flow.IsMethod(fn, Retryable, "Client", "Do", "Get", "Post", "PostForm"):
		return 0, false, true
	case flow.IsMethod(fn, "net/http", "RoundTripper", "RoundTrip"):
		return 0, true, true
	case flow.IsFunc(fn, "net/http", "Head"), flow.IsMethod(fn, "net/http", "Client", "Head"):
		return -1, false, true
	}
	return -1, false, false
}

// IsRoundTripMethod reports whether fn is a method with the signature of
// http.RoundTripper's RoundTrip:
//
//	func (T) RoundTrip(*http.Request) (*http.Response, error)
func IsRoundTripMethod(fn *types.Func) bool {
	sig := fn.Signature()
	return fn.Name() == "RoundTrip" && sig.Recv() != nil && sig.Params().Len() == 1 && sig.Results().Len() == 2 &&
		flow.IsPointerTo(sig.Params().At(0).Type(), "net/http", "Request") && IsResponse(sig.Results().At(0).Type()) &&
		flow.IsErrorType(sig.Results().At(1).Type())
}

// IsInterfaceProducer reports whether fn is a method of an interface
// that returns a response and an error: a client abstraction (Do, Get,
// Post ... of an HTTPClient or Doer interface, a library's client
// interface) whose implementations hand the caller a response to close.
// Like http.RoundTripper's, its responses are left alone in tests, which
// fake such interfaces with canned, body-less responses.
func IsInterfaceProducer(fn *types.Func) bool {
	sig := fn.Signature()
	return sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) && ReturnsResponse(sig)
}

// ReturnsResponse reports whether sig returns a response and an error, as
// Client.Do does. A func value of that type whose origin is not known (a
// parameter, a struct field: do func(*http.Request) (*http.Response,
// error)) is a client abstraction, as an interface's method is.
func ReturnsResponse(sig *types.Signature) bool {
	return sig.Results().Len() == 2 && IsResponse(sig.Results().At(0).Type()) && flow.IsErrorType(sig.Results().At(1).Type())
}

// IsClone reports whether fn clones a Transport: http.Transport's Clone,
// or a Clone method of an interface that returns an *http.Transport.
func IsClone(fn *types.Func) bool {
	if flow.IsMethod(fn, "net/http", "Transport", "Clone") {
		return true
	}
	sig := fn.Signature()
	return fn.Name() == "Clone" && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) &&
		sig.Params().Len() == 0 && sig.Results().Len() == 1 && flow.IsPointerTo(sig.Results().At(0).Type(), "net/http", "Transport")
}

// IsRequestMethod reports whether fn sends a request through the pool of
// its receiver.
func IsRequestMethod(fn *types.Func) bool {
	return flow.IsMethod(fn, "net/http", "Client", "Do", "Get", "Head", "Post", "PostForm") ||
		flow.IsMethod(fn, "net/http", "Transport", "RoundTrip") ||
		flow.IsMethod(fn, "net/http", "RoundTripper", "RoundTrip") ||
		flow.IsMethod(fn, HTTP2Pkg, "Transport", "RoundTrip", "RoundTripOpt") ||
		flow.IsMethod(fn, HTTP3Pkg, "Transport", "RoundTrip", "RoundTripOpt")
}

// IsHandlerSig reports whether t is the signature of an HTTP handler:
//
//	func(http.ResponseWriter, *http.Request)
func IsHandlerSig(t types.Type) bool {
	sig, ok := t.(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	return flow.IsNamed(sig.Params().At(0).Type(), "net/http", "ResponseWriter") &&
		flow.IsPointerTo(sig.Params().At(1).Type(), "net/http", "Request")
}
