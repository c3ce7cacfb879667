package flow

import (
	"go/ast"
	"go/types"
)

// A Spec describes one kind of resource to the engine: the value-flow
// layer (classify.go, follow.go), the path search (search.go) and the
// summaries (summary.go) know nothing of the resource, and ask the spec
// what the methods and fields of a value do to the resource it holds.
// Each check holds its spec, with whatever state it needs.
//
// What acquires a resource (a producer call, a construction) is the
// check's own business: it starts the engine there. The engine then
// classifies every use of the value as a read, the spec's use, the
// spec's release, a copy into a local variable or a holder (a composite
// literal, a field of a local value), an overwrite, a drop, a return, or
// an escape it cannot follow.
//
// To add a kind of resource: write its spec, the check that finds its
// acquisitions and starts the engine there (Follow for a resource that
// leaks when dropped by code that runs repeatedly, Search for one that
// must be released on every path), and, if functions can hand it to
// their callers, a Summarizer that records it in Fact.Results.
type Spec interface {
	// Kind is the kind of resource, as summaries name it.
	Kind() Kind
	// Selector says what the selector at stack[i] does to the resource,
	// where its operand holds the resource at p: climb on (the selected
	// field holds it, at Step.At) or stop with a use. The selection is
	// never nil.
	Selector(stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p Place) Step
	// Literal says what a value of type t (a composite literal, or a
	// local variable of its own) does with the resource put in its field
	// (nil if not a field of a struct; kv is the literal's key-value
	// pair, nil if positional or not a literal): holds it (UseHold: the
	// engine follows the holder), reads it, or lets it escape.
	Literal(t types.Type, kv *ast.KeyValueExpr, field *types.Var) UseKind
	// Called says what calling a func value of type t that holds the
	// resource (a closure that captured it) does to it: a use of kind
	// Kind, or (Into) a store into what the call's argument Holder holds.
	Called(t types.Type) Step
	// CanCarry reports whether a parameter of type t could take the
	// resource over; passing the value to any other parameter only reads it.
	CanCarry(t types.Type) bool
	// ParamPlace returns where the resource sits in a parameter of type
	// t that takes it over.
	ParamPlace(t types.Type) Place
	// NothingToRelease reports whether the comparison e, when true, says
	// that v holds nothing to release (a status that says there is nothing).
	NothingToRelease(e *ast.BinaryExpr, v *types.Var) bool
	// HolderFlags returns what the spec notes (see Flow.Flags) when the
	// resource goes into a holder of type t (a literal, a call's result).
	HolderFlags(t types.Type) uint8
}

// A Place says where the resource sits inside a value: the fields to
// select to reach it. An empty place: the value is the resource.
//
//	h          Place{"R"}        the holder's field R holds it
//	h.R        Place{}           the value is the resource
//	w          Place{"h", "R"}   a wrapper of the holder
type Place []string

// A Step is a spec's answer about a selector: climb on (the selector's
// value still holds the resource, at At), or stop with a use of kind
// Kind. Flags are what the spec noted (see Flow.Flags).
type Step struct {
	Climb  bool
	Call   bool  // with Climb: climb to the call of the method, whose result holds the resource; without: an escape into code the engine cannot see
	Hook   bool  // with Call, without Climb: the code is a func value whose origin is not known, or an interface's method
	At     Place // with Climb: where the resource sits then
	Result int   // with Call: which result of the call
	Used   bool  // with Call: the call also used the resource
	Kind   UseKind
	Flags  uint8
	Into   bool // a callee stores it into what its parameter Holder holds (-1: the receiver), at At
	Holder int
	Filled bool // a callee fills it: gives the holder a resource of its own where it has none
}

// Stop returns a step that ends the climb with a use of kind k.
func Stop(k UseKind) Step { return Step{Kind: k} }

// A Kind names the kind of resource a function's parameter or result
// carries, in its summary: each check names its own.
type Kind string
