package analyzer

import (
	"go/ast"
	"go/types"
	"iter"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what the summaries of functions say for the body
// check of their parameters: those a function only reads, closes only
// under a condition on another parameter or on its error path, replaces
// the body of, or wraps in what it returns. body_fresh.go holds what
// they say of a result that hands the caller a fresh response.

// summarizeBodyParams records in f the parameters of lf, of a type that
// could take over a response or its Body, that it only reads, or closes
// only under a test of another parameter.
func summarizeBodyParams(c *checker, lf *flow.Func, f *flow.Fact) {
	sig := lf.Sig()
	if recv := sig.Recv(); recv != nil {
		summarizeHolderParam(c, lf, f, -1, recv)
	}
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if sig.Variadic() && i == params.Len()-1 {
			continue // a variadic parameter: left unknown
		}
		if summarizeHolderParam(c, lf, f, i, p) {
			continue
		}
		summarizeCallback(c, lf, f, i, p)
		if !carriesOwnership(p.Type(), c.http) {
			// Callers can see from the type that it does not close it;
			// but a reader it reads to its end gives back what it held.
			if flow.HasMethod(p.Type(), "Read") && p.Name() != "" && p.Name() != "_" {
				if eff, _ := bodyParamEffect(c, lf, i, p); eff == flow.Drains {
					f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: eff})
				}
			}
			continue
		}
		if p.Name() == "" || p.Name() == "_" {
			f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: flow.Borrows})
			continue
		}
		eff, when := bodyParamEffect(c, lf, i, p)
		if eff == 0 {
			eff = releasesOnResult(c, lf, p)
		}
		if eff == flow.Borrows && noBodyIfTrue(c, lf, p) {
			eff = flow.ReleasesIfTrue // true only where the response has no body: nothing left to close
		}
		if eff == 0 {
			if r, at, ok := wrapsCloser(c, lf, p); ok {
				f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: flow.Returns, Result: r, Path: strings.Join(at, ".")})
				continue
			}
		}
		if eff != 0 {
			f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: eff, When: when})
		}
	}
}

// summarizeHolderParam records in f what lf does with the response in
// its parameter p (the i-th; -1: the receiver) if p is of a library's
// response type (holderPlace), as for a response: a method that only
// reads it (go-github's Response.TokenExpiration), or closes it when it
// returns an error. It reports whether p is of such a type.
//
//	func (r *Response) IsError() bool { return r.StatusCode > 299 }   // recv:body:borrows
func summarizeHolderParam(c *checker, lf *flow.Func, f *flow.Fact, i int, p *types.Var) bool {
	if _, ok := holderPlace(p.Type()); !ok {
		return false
	}
	eff, when := flow.Borrows, flow.Condition{}
	if p.Name() != "" && p.Name() != "_" {
		if eff, when = bodyParamEffect(c, lf, i, p); eff == 0 {
			eff = releasesOnResult(c, lf, p)
		}
	}
	if eff != 0 {
		f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindBody, Effect: eff, When: when})
	}
	return true
}

// bodyPlace returns where a value of type t holds a response's Body:
// the Body of a response, or of the response that a library's response
// type holds (holderPlace); ok is false if it holds none.
func bodyPlace(t types.Type) (flow.Place, bool) {
	if nethttp.IsResponse(t) {
		return responsePlace, true
	}
	return holderPlace(t)
}

// bodyParamEffect says what lf does with the response or closer in its
// parameter p (the i-th): only reads it; releases it only when another
// parameter passes a test, and only reads it otherwise; replaces its Body
// without closing it (the caller's later close closes the replacement);
// reads it to its end (and maybe swaps in a copy) when it returns a nil
// error; or anything.
//
//	func decode(resp *http.Response, out any) error {
//		if out == nil {
//			return nil // the caller keeps the body
//		}
//		defer resp.Body.Close()
func bodyParamEffect(c *checker, lf *flow.Func, i int, p *types.Var) (flow.Effect, flow.Condition) {
	at, _ := bodyPlace(p.Type())
	var when flow.Condition
	replaces, drains, released, shows := false, false, false, false
	var releases []inspector.Cursor
	for use := range identUses(c, lf.Cur(), p) {
		stack := flow.StackOf(use, lf.Cur())
		switch u := c.Classify(c.body, stack, at, -1); u.Kind {
		case flow.UseRead:
			continue
		case flow.UseEscape:
			if u.Hook {
				shows = true // p.OnRequestEnd(req, resp): a hook, which may take it over
				continue
			}
		case flow.UseDrain:
			drains = true
			continue
		case flow.UseReplace:
			if !wrapsBody(stack, p, c.pass.TypesInfo) {
				replaces = true
				continue
			}
		case flow.UseRelease:
			if w, ok := c.Guard(lf.Cur(), use); ok && w.Param != i+1 && (when.Param == 0 || w == when) {
				when = w
				continue
			}
			released = true
			releases = append(releases, use)
			continue
		}
		return 0, flow.Condition{}
	}
	if shows {
		if released || replaces || drains || when.Param != 0 {
			return 0, flow.Condition{}
		}
		return flow.Shows, flow.Condition{} // a caller's wrapper that returns it after the call is still its producer
	}
	if released {
		// Closed: on every path (a closing helper, which may read it to
		// its end first), or on some only (nothing to say).
		if when.Param != 0 || replaces {
			return 0, flow.Condition{}
		}
		if eff := releasedUnderResult(c, lf, releases); eff != 0 {
			return eff, flow.Condition{}
		}
		if leaks, _, _, drained := c.SearchParam(flow.Target{Spec: c.body, V: p, At: at}, lf.Node()); len(leaks) > 0 || drained {
			return 0, flow.Condition{}
		}
		if drains {
			return flow.Releases | flow.ReadsFirst, flow.Condition{} // drains and closes
		}
		return flow.Releases, flow.Condition{}
	}
	switch {
	case drains && when.Param == 0 && drainsOnReturn(c, lf, p, at):
		// Read to its end, and maybe swapped for a copy (a tracing
		// wrapper): what it held is given back when the error is nil.
		return flow.Drains, flow.Condition{}
	case replaces && when.Param == 0:
		return flow.Replaces, flow.Condition{}
	case replaces:
		return 0, flow.Condition{}
	case when.Param != 0:
		return flow.Releases, when
	}
	return flow.Borrows, flow.Condition{}
}

// drainsOnReturn reports whether lf has read the body in its parameter p
// (which holds it at at) to its end whenever it returns without an
// error: every path that returns with it held otherwise returns an
// error that may not be nil (the read's, told to the caller).
//
//	func readAll(resp *http.Response) ([]byte, error) { return io.ReadAll(resp.Body) }
//	func mustRead(resp *http.Response) []byte {
//		b, err := io.ReadAll(resp.Body)
//		if err != nil {
//			panic(err)
//		}
//		return b
func drainsOnReturn(c *checker, lf *flow.Func, p *types.Var, at flow.Place) bool {
	results := lf.Sig().Results()
	leaks, _, _, drained := c.SearchParam(flow.Target{Spec: c.body, V: p, At: at}, lf.Node())
	for _, l := range leaks {
		if l.Ret == nil || results.Len() == 0 || !flow.IsErrorType(results.At(results.Len()-1).Type()) {
			return false // held on a path that says nothing of a failure
		}
		if len(l.Ret.Results) == results.Len() && flow.IsNil(c.pass.TypesInfo, l.Ret.Results[results.Len()-1]) {
			return false // held, and no error said
		}
	}
	return drained || len(leaks) > 0 // read to its end, or the read's error returned
}

// wrapsCloser returns the result of lf that carries on the resource in
// its parameter p, and where it sits in it: a closer wrapped by a result
// that closes it when closed itself, as http.MaxBytesReader does (p goes
// into what lf returns, and that result has a Close method; io.NopCloser
// takes an io.Reader: it cannot close what it wraps), or a response put
// in a library's response type that holds one.
//
//	func newResponse(r *http.Response) *Response { return &Response{Response: r} }
func wrapsCloser(c *checker, lf *flow.Func, p *types.Var) (int, flow.Place, bool) {
	at, mode := flow.Place{}, flow.TrustCalls
	if nethttp.IsResponse(p.Type()) {
		at, mode = responsePlace, 0 // any call it goes to may close it
	}
	fl := c.FollowVar(c.body, lf.Cur(), p, at, mode)
	results := lf.Sig().Results()
	if !fl.Returned || fl.ReturnedTwice || fl.Escapes || fl.Released || fl.ReturnedIn < 0 || fl.ReturnedIn >= results.Len() {
		return 0, nil, false
	}
	t := results.At(fl.ReturnedIn).Type()
	if nethttp.IsResponse(p.Type()) {
		place, ok := holderPlace(t)
		return fl.ReturnedIn, fl.ReturnedAt, ok && slices.Equal(fl.ReturnedAt, place)
	}
	return fl.ReturnedIn, nil, flow.HasMethod(t, "Close")
}

// holderPlace returns where a library's response type t (or a pointer
// to one) holds a response's Body, whose users close it through there:
// in the exported field that holds a *http.Response, embedded or not
// (go-github's Response embeds one: Place{"Response", "Body"}), or in
// a field Body of an interface type with a Close method (esapi's
// Response: Place{"Body"}), or in an unexported field that holds one
// when the type has a Close method (a stream its users close). A struct
// with two such fields has none (which one holds the fresh response
// cannot be told from the type), nor has a type of net/http.
func holderPlace(t types.Type) (flow.Place, bool) {
	orig := t
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() == "net/http" {
		return nil, false // (a Request's Response is the one that caused a redirect)
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil, false
	}
	var place flow.Place
	for f := range st.Fields() {
		switch {
		case nethttp.IsResponse(f.Type()):
			if place != nil || !f.Exported() && !flow.HasMethod(orig, "Close") {
				return nil, false // (an unexported one its users close through its Close)
			}
			place = flow.Place{f.Name(), "Body"}
		case f.Name() == "Body" && types.IsInterface(f.Type()) && flow.HasMethod(f.Type(), "Close"):
			if place != nil {
				return nil, false
			}
			place = responsePlace
		}
	}
	if place == nil {
		return nil, false
	}
	return place, true
}

// identUses yields the identifiers in the function at fn that use v.
// (Unlike the engine's UsesOf, it keeps no index: summaries look at few
// variables of each function.)
func identUses(c *checker, fn inspector.Cursor, v *types.Var) iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if id := cur.Node().(*ast.Ident); id.Name == v.Name() && c.pass.TypesInfo.Uses[id] == v && !yield(cur) {
				return
			}
		}
	}
}
