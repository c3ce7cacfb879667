package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file holds the body check's resource as the engine sees it.

// bodySpec is the body check's resource: the Body of a response, which
// the holder must close.
type bodySpec struct {
	info *types.Info
	c    *checker // for the summaries of holders' methods
}

func (bodySpec) Kind() flow.Kind { return kindBody }

// responsePlace is where a response holds the resource: its Body.
var responsePlace = flow.Place{"Body"}

func (s bodySpec) Selector(stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p flow.Place) flow.Step {
	if _, called := flow.CalledAt(stack, i); called && slices.Equal(p, nethttp.RestyRawPlace) && flow.IsMethod(selection.Obj().(*types.Func), nethttp.Resty, "Response", "RawBody") {
		return flow.Step{Climb: true, Call: true, At: flow.Place{}} // resp.RawBody(): the body itself
	}
	if len(p) > 0 {
		// The field path of the selection, embedded fields included:
		// result.Body is result.Response.Body for a struct that embeds
		// the response.
		path := flow.SelectionPath(selection)
		if selection.Kind() == types.FieldVal {
			if len(path) <= len(p) && slices.Equal(path, p[:len(path)]) {
				return flow.Step{Climb: true, At: p[len(path):]}
			}
			return flow.Stop(flow.UseRead) // another field: StatusCode, Header...
		}
		// A method of the response itself (promoted or not) only reads
		// it; a method of a holder of the user's may close it.
		embedded := path[:len(path)-1]
		if recv := selection.Obj().(*types.Func).Signature().Recv(); recv == nil || !flow.IsNamed(recv.Type(), "net/http", "Response") ||
			len(embedded) > len(p) || !slices.Equal(embedded, p[:len(embedded)]) || !slices.Equal(p[len(embedded):], responsePlace) {
			if flow.IsNamed(selection.Recv(), nethttp.Resty, "Response") {
				return flow.Stop(flow.UseRead) // resty's accessors only read
			}
			return s.holderMethod(stack, i, selection, embedded, p)
		}
	}
	switch sel.Sel.Name {
	case "Close":
		if len(p) > 0 {
			return flow.Stop(flow.UseEscape)
		}
		return flow.Stop(flow.UseRelease) // (a method value releases where it is called)
	case "Write":
		if len(p) > 0 {
			return flow.Stop(flow.UseEscape) // Response.Write closes the body
		}
	}
	return flow.Stop(flow.UseRead) // Read, Cookies, Location...
}

// holderMethod says what a call of the method selection of a holder of
// the response, a library's response type reached through the embedded
// fields embedded, does to the response at p: what the method's summary
// says of its receiver (IsError only reads it), or it may close it.
func (s bodySpec) holderMethod(stack []ast.Node, i int, selection *types.Selection, embedded []string, p flow.Place) flow.Step {
	fn := selection.Obj().(*types.Func)
	call, called := flow.CalledAt(stack, i)
	recv := fn.Signature().Recv()
	if !called || recv == nil || len(embedded) > len(p) || !slices.Equal(embedded, p[:len(embedded)]) {
		return flow.Stop(flow.UseEscape)
	}
	if at, ok := bodyPlace(recv.Type()); !ok || !slices.Equal(at, p[len(embedded):]) {
		return flow.Stop(flow.UseEscape) // held elsewhere than its summary says
	}
	pf := s.c.Summary(fn).Param(-1, kindBody)
	if pf.Effect == 0 {
		return flow.Stop(flow.UseEscape)
	}
	return s.c.EffectAt(s, call, pf, p[len(embedded):])
}

// literal lets a struct field hold a response or its Body (the search
// follows the struct), unless its type cannot take it over:
// &io.LimitedReader{R: resp.Body}.
func (bodySpec) Literal(t types.Type, kv *ast.KeyValueExpr, field *types.Var) flow.UseKind {
	switch {
	case field == nil:
		return flow.UseEscape // an element of a slice or map
	case !carriesOwnership(field.Type(), true) && !isHolder(field.Type()):
		if kv != nil {
			return flow.UseRead
		}
		return flow.UseEscape
	}
	return flow.UseHold
}

// CanCarry reports whether a parameter of type t could take over a
// response or its Body: one of those, a struct that holds one, or a
// slice, array or map of them (func closeAll(rs []*http.Response)).
func (bodySpec) CanCarry(t types.Type) bool {
	if e, ok := t.Underlying().(interface{ Elem() types.Type }); ok {
		if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
			if _, isChan := t.Underlying().(*types.Chan); !isChan {
				t = e.Elem() // a slice, an array or a map: what its elements can carry
			}
		}
	}
	return carriesOwnership(t, true) || holdsResponse(t)
}

// holdsResponse reports whether t is a struct, or a pointer to one, with
// a field that can carry a response or its Body.
func holdsResponse(t types.Type) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if carriesOwnership(f.Type(), false) || isHolder(f.Type()) {
			return true
		}
	}
	return false
}

// isHolder reports whether t is a library's response type (see
// holderPlace): a struct that embeds one, or has a field of one, takes
// over the response it holds (type Stream struct{ *streamReader }).
func isHolder(t types.Type) bool {
	_, ok := holderPlace(t)
	return ok
}

// NothingToRelease reports whether e compares v.StatusCode (or a
// variable given it once: code := resp.StatusCode) with a status whose
// response has nothing to close for the caller: 101 Switching Protocols
// (the body is the hijacked connection, handed to whoever speaks the
// new protocol), 204 No Content and 304 Not Modified (no body).
func (s bodySpec) NothingToRelease(e *ast.BinaryExpr, v *types.Var) bool {
	info := s.info
	for _, pair := range [][2]ast.Expr{{e.X, e.Y}, {e.Y, e.X}} {
		x := ast.Unparen(pair[0])
		if id, ok := x.(*ast.Ident); ok {
			if code, ok := info.Uses[id].(*types.Var); ok && code.Kind() == types.LocalVar {
				if rhs, _, ok := s.c.Origin(code); ok && rhs != nil {
					x = ast.Unparen(rhs)
				}
			}
		}
		sel, ok := x.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "StatusCode" || info.ObjectOf(flow.IdentOf(sel.X)) != v {
			continue
		}
		if tv, ok := info.Types[pair[1]]; ok && tv.Value != nil {
			switch tv.Value.ExactString() {
			case "101", "204", "304":
				return true
			}
		}
	}
	return false
}

func (bodySpec) HolderFlags(types.Type) uint8 { return 0 }

// Called says that calling a func value that holds a response lets the
// response escape: what it does with it is not seen.
func (bodySpec) Called(types.Type) flow.Step { return flow.Stop(flow.UseEscape) }

// ParamPlace returns where a parameter of type t that takes a response
// over holds the body: in its Body field if it is a response, or itself.
func (bodySpec) ParamPlace(t types.Type) flow.Place {
	if nethttp.IsResponse(t) {
		return responsePlace
	}
	return flow.Place{}
}

// carriesOwnership reports whether a parameter of type t could take
// over a response or its Body: a *http.Response, an interface with a
// Close method, or (if anyIface) the empty interface or a type parameter.
func carriesOwnership(t types.Type, anyIface bool) bool {
	if nethttp.IsResponse(t) {
		return true
	}
	if u, ok := t.Underlying().(*types.Interface); ok {
		if u.Empty() {
			return anyIface
		}
		return flow.HasMethod(t, "Close")
	}
	_, isTypeParam := types.Unalias(t).(*types.TypeParam)
	return isTypeParam && anyIface
}
