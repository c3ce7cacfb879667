package analyzer

import (
	"go/ast"
	"go/types"
)

// A spec describes one kind of resource to the engine: the value-flow
// layer (flow.go), the path search (search.go) and the summaries
// (summary.go) know nothing of net/http, and ask the spec what the
// methods and fields of a value do to the resource it holds. Each check
// file holds its spec: bodySpec (body.go), poolSpec (transport.go).
//
// What acquires a resource (a producer call, a construction) is the
// check's own business: it starts the engine there. The engine then
// classifies every use of the value as a read, the spec's use (a request
// through a pool), the spec's release (closing the body or the idle
// connections), a copy into a local variable or a holder (a composite
// literal, a field of a local value), an overwrite, a drop, a return, or
// an escape it cannot follow.
//
// To add a kind of resource: write its spec, the check that finds its
// acquisitions and starts the engine there (follow for a resource that
// leaks when dropped by code that runs repeatedly, search for one that
// must be released on every path), and, if functions can hand it to
// their callers, a summarizer that records it in funcFact.Results.
type spec interface {
	// kind is the kind of resource, as summaries name it.
	kind() resourceKind
	// selector says what the selector at stack[i] does to the resource,
	// where its operand holds the resource at p: climb on (the selected
	// field holds it, at step.at) or stop with a use. The selection is
	// never nil.
	selector(c *checker, stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p place) step
	// literal says what a value of type t (a composite literal, or a
	// local variable of its own) does with the resource put in its field
	// (nil if not a field of a struct; kv is the literal's key-value
	// pair, nil if positional or not a literal): holds it (useHold: the
	// engine follows the holder), reads it, or lets it escape.
	literal(c *checker, t types.Type, kv *ast.KeyValueExpr, field *types.Var) useKind
	// canCarry reports whether a parameter of type t could take the
	// resource over; passing the value to any other parameter only reads it.
	canCarry(t types.Type) bool
	// nothingToRelease reports whether the comparison e, when true, says
	// that v holds nothing to release (a response with no body to close).
	nothingToRelease(c *checker, e *ast.BinaryExpr, v *types.Var) bool
	// holderFlags returns what the spec notes (see flow.flags) when the
	// resource goes into a holder of type t (a literal, a call's result).
	holderFlags(c *checker, t types.Type) uint8
}

// A place says where the resource sits inside a value: the fields to
// select to reach it. An empty place: the value is the resource.
//
//	resp       place{"Body"}        the response holds the body to close
//	resp.Body  place{}
//	client     place{"Transport"}   the client holds the pool
type place []string

// A step is a spec's answer about a selector: climb on (the selector's
// value still holds the resource, at at), or stop with a use of kind kind.
// flags are what the spec noted (see flow.flags).
type step struct {
	climb  bool
	call   bool  // with climb: climb to the call of the method, whose result holds the resource; without: an escape into code the engine cannot see
	at     place // with climb: where the resource sits then
	result int   // with call: which result of the call
	used   bool  // with call: the call also used the resource
	kind   useKind
	flags  uint8
}

// stop returns a step that ends the climb with a use of kind k.
func stop(k useKind) step { return step{kind: k} }

// A resourceKind names the kind of resource a function's result carries,
// in its summary.
type resourceKind uint8

const (
	kindNone     resourceKind = iota
	kindBody                  // a response whose Body the caller must close
	kindPool                  // a connection pool that keeps idle connections
	kindDialConn              // a connection with TCP keep-alive turned off (the result of a dial func)
)

func (k resourceKind) String() string {
	switch k {
	case kindBody:
		return "body"
	case kindPool:
		return "pool"
	case kindDialConn:
		return "noKeepAliveConn"
	}
	return "none"
}
