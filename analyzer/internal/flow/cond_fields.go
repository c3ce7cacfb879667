package flow

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
)

// This file holds what a call says of the fields of a value, for the
// conditions on them (see conds.zeroBefore): a constructor's result that
// leaves fields zero, a setter in a chain, a method that may set them.

// zeroResult reports whether call, a call of a function whose summary
// says so, returns a value whose field path fields is zero (or a field
// on that path: the fields of nothing).
func zeroResult(idx *Index, call *ast.CallExpr, fields []string) bool {
	fn := CalleeFunc(idx.info, call)
	if fn == nil {
		return false
	}
	for _, r := range idx.e.Summary(fn).Results {
		if r.Index == 0 && r.Zero != "" && slices.ContainsFunc(strings.Split(r.Zero, ","), func(z string) bool {
			return hasPrefix(Place(fields), Place(strings.Split(z, ".")))
		}) {
			return true
		}
	}
	return false
}

// mutated reports whether a method with a pointer receiver called on v
// may set the field path fields of v: its summary of the receiver says
// it writes the path (or around it), or says nothing of the receiver.
func mutated(idx *Index, v *types.Var, fields []string) bool {
	for _, call := range idx.MutatorsOf(v) {
		fn := CalleeFunc(idx.info, call)
		if fn == nil {
			return true
		}
		params := idx.e.Summary(fn).Params
		if !slices.ContainsFunc(params, func(p ParamFact) bool { return p.Index < 0 }) || slices.ContainsFunc(params, func(p ParamFact) bool { return p.Index < 0 && p.WritesAny(fields) }) {
			return true
		}
	}
	return false
}

// fluentField returns where the field path fields of what call returns
// comes from, by its callee's summary, and the path left inside it: an
// argument that the callee returns at that field (a setter), or the
// receiver, returned whole by a method that sets nothing on the path
// (another setter of a builder); nil if not known.
func fluentField(idx *Index, call *ast.CallExpr, fields []string) (ast.Expr, []string) {
	fn := CalleeFunc(idx.info, call)
	if fn == nil || call.Ellipsis.IsValid() {
		return nil, nil
	}
	var recv ast.Expr
	for _, p := range idx.e.Summary(fn).Params {
		if p.Effect&Returns == 0 || p.Result != 0 {
			continue
		}
		w := Condition{Param: p.Index + 1}
		if p.Index < 0 {
			w.Param = -1 // the receiver
		}
		arg := CondArg(idx.info, call, w)
		if arg == nil {
			continue
		}
		path := strings.Split(p.Path, ".")
		switch {
		case p.Path == "" && p.Index < 0 && p.WritesAny(fields):
			return nil, nil // a setter of a field on the path, or around it: b.Insecure()
		case p.Path == "" && p.Index < 0 && !hasPrefix(Place(fields), Place(strings.Split(p.Sets, "."))):
			recv = arg
		case p.Path != "" && hasPrefix(Place(fields), Place(path)):
			return arg, fields[len(path):]
		}
	}
	return recv, fields
}

// everyWriteZero reports whether every value given to v, a local
// variable assigned more than once and none of whose fields is set by a
// statement, leaves the field path fields zero: a builder given back a
// setter's copy on some paths only (spec = spec.Sandbox()).
func everyWriteZero(c *conds, v *types.Var, fields []string, depth int) bool {
	if v.Kind() != types.LocalVar || c.FieldsWritten(v) {
		return false
	}
	defs := c.idx.WritesTo(v)
	if len(defs) < 2 {
		return false
	}
	if c.assuming == nil {
		c.assuming = make(map[*types.Var]bool)
	}
	c.assuming[v] = true
	defer delete(c.assuming, v)
	for _, d := range defs {
		if d.RHS == nil {
			if d.Zero {
				continue // var spec Spec
			}
			return false // (a tuple's, a range's)
		}
		if zero, known := c.zeroBefore(d.RHS, fields, depth+1, nil); !zero || !known {
			return false
		}
	}
	return true
}
