package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file says which calls hand their caller a response to close: the
// tables (net/http, client interfaces), the summaries of functions, the
// funcs a generic helper forwards, and func values whose origin is not
// known.

// A produced says what a call of a function produces: the index of the
// result that is a fresh response (-1 if none), whether it only ever
// comes from an http.RoundTripper interface, and the condition on the
// callee's parameters under which it is fresh.
type produced struct {
	idx       int
	in        flow.Place // where the Body sits in the result: nil if it is a response, or in a library's response type (holderPlace)
	viaRT     bool
	when      flow.Condition
	withError bool // it may come with a non-nil error
	onlyError bool // and only with one (flow.ResultFact.OnlyWithError)
	drained   bool // read to its end: its connection given back, its Close still owed
}

// producer says what call, a call of fn (nil if unknown), produces. A
// HEAD request produces nothing to close: its response has no body, and
// its connection goes back to the pool at once.
func producer(c *checker, fn *types.Func, call *ast.CallExpr) produced {
	if fn == nil {
		if fn, _ = c.FuncValue(call); fn == nil {
			// fetch := func(...) (*http.Response, error) {...}; fetch(u),
			// or do(req), a.do(req): a func value given elsewhere
			return funcArgProduced(c, ast.Unparen(call.Fun))
		}
	}
	if p, known := tableProduced(fn); known {
		return p
	}
	r := c.Summary(fn).Result(kindBody)
	if nethttp.IsRoundTripMethod(fn) {
		// A round tripper of the user's: its response is the caller's to
		// close, whatever its body shows. (One whose summary says nothing
		// is treated as a fake in tests.)
		return produced{idx: 0, viaRT: r == nil || r.ViaRoundTripper}
	}
	if fw, ok := forwarded(c, fn, call); ok || r == nil {
		return fw // what the func it is given returns (its own result may only be the func's)
	}
	return resultProduced(r)
}

// bodyAt returns where the Body sits in a value of type t that holds it
// at in: in a response if in is empty and t is one; t itself (a stream
// a wrapper returns: resp.Body as an io.ReadCloser) if it is not.
func bodyAt(in flow.Place, t types.Type) flow.Place {
	switch {
	case len(in) > 0:
		return in
	case t != nil && !nethttp.IsResponse(t) && carriesOwnership(t, false):
		return flow.Place{}
	}
	return responsePlace
}

// tableProduced says what a call of fn produces if the tables know fn
// (net/http's clients, a client interface's method).
func tableProduced(fn *types.Func) (produced, bool) {
	if idx, viaRT, known := nethttp.KnownProducer(fn); known {
		return produced{idx: idx, viaRT: viaRT}, true
	}
	if nethttp.IsInterfaceProducer(fn) {
		return produced{idx: 0, viaRT: true}, true
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		if in, ok := returnsHolder(fn.Signature()); ok {
			return produced{idx: 0, in: in, viaRT: true}, true
		}
	}
	return produced{}, false
}

// returnsHolder returns where the Body sits in the first result of sig
// if sig returns, with an error, a library's response type that holds
// the Body itself (holderPlace: esapi's Response, an SDK's object
// output): a method of an interface, or a func value whose origin is not
// known, of that type hands the caller a stream to close, as one that
// returns a *http.Response does (esapi's API is a struct of such funcs).
// A type that holds the whole *http.Response is left out: libraries
// often read and close its body before they return it (resty, go-github),
// which only their source tells.
//
//	type Info func(o ...func(*InfoRequest)) (*Response, error)
func returnsHolder(sig *types.Signature) (flow.Place, bool) {
	if sig.Results().Len() != 2 || !flow.IsErrorType(sig.Results().At(1).Type()) {
		return nil, false
	}
	in, ok := holderPlace(sig.Results().At(0).Type())
	return in, ok && slices.Equal(in, responsePlace)
}

// funcValueProduced says what a call of the func value f, whose origin
// is not known, produces: a response when its type returns one (or a
// library's response type) with an error, as Client.Do does (left alone
// in tests, like a client interface's, which tests fake).
//
//	type API struct{ do func(*http.Request) (*http.Response, error) }
//	resp, err := a.do(req)
func funcValueProduced(c *checker, f ast.Expr) produced {
	tv, ok := c.pass.TypesInfo.Types[f]
	if !ok || tv.IsType() {
		return produced{idx: -1} // a conversion
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return produced{idx: -1}
	}
	if nethttp.ReturnsResponse(sig) {
		return produced{idx: 0, viaRT: true}
	}
	if in, ok := returnsHolder(sig); ok {
		return produced{idx: 0, in: in, viaRT: true}
	}
	return produced{idx: -1}
}

// resultProduced says what a call produces whose callee's summary says
// r of its result (nil: nothing).
func resultProduced(r *flow.ResultFact) produced {
	if r == nil {
		return produced{idx: -1}
	}
	return produced{idx: r.Index, in: flow.SplitPath(r.Path), viaRT: r.ViaRoundTripper, when: r.When, withError: r.WithError, onlyError: r.OnlyWithError, drained: r.Drained}
}

// forwarded says what call, a call of fn, produces through a func that
// it is given and whose results fn returns as its own (a generic retry
// helper, flow.Forwards): a fresh response if the func returns one. It
// also reports whether fn forwards what any func it is given returns:
// then that decides, whatever fn's own summary says.
//
//	resp, err := backoff.Retry(ctx, func() (*http.Response, error) {
//		return http.Get(u)
//	})
func forwarded(c *checker, fn *types.Func, call *ast.CallExpr) (produced, bool) {
	found := false
	for _, p := range append(flow.ParametricForwards(fn), c.Summary(fn).Params...) {
		if p.Effect&flow.Forwards == 0 || p.Index >= len(call.Args) || p.Path != "" {
			continue // (one kept in a field of the result: not a response's place)
		}
		found = true
		if r := funcArgProduced(c, ast.Unparen(call.Args[p.Index])); r.idx == p.From && (len(r.in) == 0 || forwardsType(c, call, p)) {
			return produced{idx: p.Result, in: r.in, viaRT: r.viaRT, withError: r.withError, drained: r.drained}, true
		}
	}
	return produced{idx: -1}, found
}

// forwardsType reports whether call, which forwards as p says, hands
// back its func argument's result in a result of the same type: then a
// library's response type that holds the body comes back with the body
// at the same place (not through an any, say).
func forwardsType(c *checker, call *ast.CallExpr, p flow.ParamFact) bool {
	info := c.pass.TypesInfo
	ft := info.TypeOf(call.Args[p.Index])
	if ft == nil {
		return false
	}
	fs, ok := ft.Underlying().(*types.Signature)
	if !ok || p.From >= fs.Results().Len() {
		return false
	}
	got := flow.ResultType(info, call, p.Result)
	return got != nil && types.Identical(got, fs.Results().At(p.From).Type())
}

// funcArgProduced says what a call of the func value f produces: a
// function literal, a function or method value, a local variable given
// one of those, or a func value given elsewhere.
//
//	backoff.Retry(ctx, client.Do)
//	op := func() (*http.Response, error) { ... }; backoff.Retry(ctx, op)
func funcArgProduced(c *checker, f ast.Expr) produced {
	lit, _ := f.(*ast.FuncLit)
	fn := flow.FuncNamed(c.pass.TypesInfo, f)
	if fn == nil && lit == nil {
		fn, lit = c.FuncOf(f)
	}
	switch {
	case lit != nil:
		return resultProduced(c.FuncLitSummary(lit).Result(kindBody))
	case fn != nil:
		if p, known := tableProduced(fn); known {
			return p
		}
		return resultProduced(c.Summary(fn).Result(kindBody))
	}
	return funcValueProduced(c, f)
}

// closesThroughClose reports whether the Close method of t, a library's
// response type, closes the response it holds (its summary says so), or
// t has none: its users close the body through it, or through the field.
func closesThroughClose(c *checker, t types.Type) bool {
	m, _, _ := types.LookupFieldOrMethod(t, true, nil, "Close")
	fn, ok := m.(*types.Func)
	if !ok {
		return true
	}
	return c.Summary(fn).Param(-1, kindBody).Effect&flow.Releases != 0
}
