package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// This file is the value-flow layer: where a value goes inside one
// function. It knows no resource; a spec (spec.go) says what the
// fields and methods of the value do to the resource it holds, and the
// summaries of callees say what calls do with their arguments.
//
// Classify answers for one mention of the value; Follow collects every
// use of a value built in a function, whatever the path, through the
// local variables and holders it is copied into; the path search
// (search.go) calls Classify on the nodes of each path.

// A UseKind says what code does with a tracked value at one mention.
type UseKind uint8

const (
	UseRead           UseKind = iota // reads it: a field, a comparison, a callee that only reads it, _ = v
	UseOverwrite                     // the variable that holds it gets another value
	UseReplace                       // the field of a holder that holds it gets another value
	UseUse                           // the spec's use of the resource (a request through a pool)
	UseHold                          // held by a composite literal: follow the literal (Spec.Literal only)
	UseStore                         // copied into a local variable or a field of one (use.into)
	UseDrop                          // evaluated and thrown away: an expression statement
	UseReturn                        // returned to the caller
	UseReleaseOnError                // passed to a callee that releases it when it returns an error
	UseDrain                         // passed to a callee that reads it to its end, which releases it when the callee returns a nil error
	UseReleaseIfTrue                 // passed to a callee that releases it when its bool result is true
	UseReleaseIfFalse                // passed to a callee that releases it when its bool result is false
	UseReleaseEither                 // passed to a callee that releases it when it returns an error, and only when its bool result is true
	UseRelease                       // the spec's release of the resource
	UseEscape                        // anything not followed: stored away, sent, called, a method value, passed to a callee that may keep or release it
)

// A Use is what code does with a tracked value at one mention of it.
type Use struct {
	Kind   UseKind
	Node   ast.Node  // the node that decided: the call, the statement...
	Into   ast.Expr  // UseStore: the left-hand side it is stored into
	At     Place     // where the resource sits in the value used (stored, returned...)
	Result int       // UseReturn: which result; UseStore: which result of a call is stored (-1: the value)
	Deref  bool      // the value was used as non-nil (a field or method was selected)
	Flags  uint8     // what the spec noted on the way
	Depth  int       // how many levels above the mention node is
	Call   bool      // UseEscape: into code the engine cannot see into (a func value, an unknown callee), rather than a store
	Hook   bool      // UseEscape with Call: passed to a func value whose origin is not known, or to an interface's method nothing is known of (a callback, a hook)
	UsedAt ast.Node  // a call on the way that used it and handed it back (a method of a holder that returns another holding it)
	Holder bool      // UseStore: a callee stored it into what Into holds (a setter of Into, an option applied to it)
	Closer bool      // UseEscape: a method value of the release method (Node is the selector), which releases where it is called
	Filled bool      // a callee it was passed to filled it (see Step.Filled)
	_      [0]func() // not comparable
}

// Classify says what the code does with the value at the top of stack
// (an identifier, or the expression that builds the value), which holds
// the resource at p. If the value is a call with several results, result
// is the index of the one tracked. The stack holds the ancestors of the
// value, outermost first; Classify looks no further up than its bottom.
func (c *Engine) Classify(s Spec, stack []ast.Node, p Place, result int) (u Use) {
	info := c.Info
	u.Kind = UseEscape
	defer func() { u.At = p }()
	i := len(stack) - 1
	root := stack[i].(ast.Expr)
	e := root
	for ; i > 0; i-- {
		u.Node, u.Depth = stack[i-1], len(stack)-i
		switch parent := stack[i-1].(type) {
		case *ast.ParenExpr, *ast.SliceExpr: // (x), s[i:j]: the same value, the same elements
			if sl, ok := parent.(*ast.SliceExpr); !ok || sl.X == e {
				e = parent.(ast.Expr)
				continue
			}
		case *ast.UnaryExpr:
			if parent.Op == token.AND && IsStructType(info.TypeOf(e)) {
				e = parent // &v of a struct value: the same object
				continue
			}
		case *ast.IndexExpr:
			if at, ok := elementAt(info, s, parent.X, e, p); ok {
				e, result, p = parent, 0, at // m[k]: the element may hold it (t, ok := m[k]: in t)
				continue
			}
		case *ast.RangeStmt:
			if at, ok := elementAt(info, s, parent.X, e, p); ok {
				u.rangeOver(parent, e) // for _, t := range m: in t, which the loop's body uses
				p = at
				return u
			}
		case *ast.TypeAssertExpr:
			if parent.X == e {
				// x.(T): the same object (t, ok := x.(T): in t; switch
				// t := x.(type): in each clause's t).
				e, result = parent, 0
				continue
			}
		case *ast.StarExpr:
			if i >= 2 && isCopy(stack[i-2], parent) {
				e = parent // cc := *c, T{F: *c}: a shallow copy holds the same resources
				continue
			}
		case *ast.SelectorExpr:
			selection := info.Selections[parent]
			if selection == nil || parent.X != e {
				break
			}
			u.Deref = true
			st := s.Selector(stack, i-1, parent, selection, p)
			u.Flags |= st.Flags
			call, called := CalledAt(stack, i-1)
			switch {
			case st.Climb && st.Call && called:
				e, p, result = call, st.At, st.Result // the method returns what holds it
				u.Flags |= s.HolderFlags(ResultType(info, call, result))
				if st.Used {
					u.UsedAt = call
				}
				i--
				continue
			case st.Climb:
				e, p, result = parent, st.At, -1
				continue
			}
			u.Kind, u.Call = st.Kind, st.Call
			if called {
				u.Node, u.Depth = call, u.Depth+1 // a method called: the call decides
			} else if u.Kind == UseRelease && selection.Kind() == types.MethodVal {
				u.Kind, u.Closer = UseEscape, true // not released here: where the value is called
			}
			return u
		case *ast.CallExpr:
			if parent.Fun == e { // called: a func value
				if u.called(s.Called(info.TypeOf(e)), parent) {
					p = Place{} // into what an argument holds, somewhere
				}
				return u
			}
			if sameLayout(info, parent, e) {
				e = parent // (*ReposService)(&c.common): the same object, its fields where they were
				continue
			}
			st := c.argEffect(s, parent, e, p)
			u.Flags |= st.Flags
			u.Filled = u.Filled || st.Filled
			if st.Into && (!st.Climb || dropped(stack, i-1)) {
				if into := holderArg(parent, st.Holder); into != nil {
					u.Kind, u.Into, u.Holder, p = UseStore, into, true, intoPlace(st.At, p)
					if st.Used {
						u.UsedAt = parent
					}
					return u
				}
				st = Stop(UseEscape)
			}
			if st.Climb {
				e, p, result = parent, st.At, st.Result // the callee returns what holds it
				u.Flags |= s.HolderFlags(ResultType(info, parent, result))
				if st.Used {
					u.UsedAt = parent
				}
				continue
			}
			u.Kind, u.Call, u.Hook = st.Kind, st.Call, st.Hook && !deferredOrGo(stack, i-1)
		case *ast.BinaryExpr:
			u.Kind = UseRead // a comparison
		case *ast.KeyValueExpr, *ast.CompositeLit:
			lit, kv, field := literalOf(info, stack, i)
			if lit == nil {
				break // a map key, a slice index...
			}
			switch u.Kind = s.Literal(info.TypeOf(lit), kv, field); u.Kind {
			case UseHold:
				u.Flags |= s.HolderFlags(info.TypeOf(lit))
				if field != nil {
					p = append(Place{field.Name()}, p...)
				}
				e, result = lit, -1
				if kv != nil {
					i-- // climb past the key-value pair
				}
				u.Kind = UseEscape
				continue
			}
		case *ast.AssignStmt:
			if ContainsExpr(parent.Lhs, e) {
				if e == root {
					u.Kind = UseOverwrite
				} else {
					u.Kind = UseReplace
				}
				break
			}
			if parent.Tok != token.ASSIGN && parent.Tok != token.DEFINE {
				break // x op= v
			}
			u.storeInto(parent.Lhs, parent.Rhs, e, result)
		case *ast.ValueSpec:
			if id, ok := e.(*ast.Ident); ok && slices.Contains(parent.Names, id) {
				u.Kind = UseOverwrite // var v T: declared again (a loop or a goto came round)
				break
			}
			if e == parent.Type && len(parent.Values) == 0 {
				u.storeInto(SpecLHS(parent), []ast.Expr{e}, e, result) // var v T: T's zero value, a resource of its own
				break
			}
			u.storeInto(SpecLHS(parent), parent.Values, e, result)
		case *ast.ReturnStmt:
			u.Kind = UseReturn
			u.Result = slices.IndexFunc(parent.Results, func(r ast.Expr) bool { return r == e })
			if len(parent.Results) == 1 && result >= 0 {
				u.Result = result // return f(): the result of f that holds it
			}
		case *ast.ExprStmt:
			u.Kind = UseDrop
		}
		return u
	}
	u.Node, u.Depth = root, 0
	return u
}

// elementAt returns where an element of x holds the resource, when x is
// e, a map or slice that holds it somewhere (at no known place p): where
// a value of the element's type does.
func elementAt(info *types.Info, s Spec, x, e ast.Expr, p Place) (Place, bool) {
	elem := elemType(info.TypeOf(e))
	if x != e || len(p) != 0 || elem == nil {
		return nil, false
	}
	return s.ParamPlace(elem), true
}

// rangeOver sets u for a range over e, the map or slice that holds the
// resource: stored into the value variable, or only read without one.
func (u *Use) rangeOver(rng *ast.RangeStmt, e ast.Expr) {
	if rng.Value == nil {
		u.Kind = UseRead
		return
	}
	u.Node = rng.Value
	u.storeInto([]ast.Expr{rng.Value}, []ast.Expr{e}, e, -1)
}

// called sets u for a call of the func value that holds the resource,
// as the spec's st says, and reports whether it stores it into what an
// argument holds (an option applied).
func (u *Use) called(st Step, call *ast.CallExpr) bool {
	if into := holderArg(call, st.Holder); st.Into && into != nil {
		u.Kind, u.Into, u.Holder = UseStore, into, true
		return true
	}
	u.Kind, u.Call = st.Kind, true
	return false
}

// dropped reports whether the result of the call at stack[i] is
// dropped: the call is a statement, or assigned to _.
func dropped(stack []ast.Node, i int) bool {
	if i < 1 {
		return false
	}
	switch n := stack[i-1].(type) {
	case *ast.ExprStmt:
		return true
	case *ast.AssignStmt:
		return len(n.Lhs) == len(n.Rhs) && len(n.Lhs) == 1 && SameName(n.Lhs[0], "_")
	}
	return false
}

// holderArg returns the expression that call gives its parameter i (-1:
// the receiver of the method it calls), or nil.
func holderArg(call *ast.CallExpr, i int) ast.Expr {
	if i < 0 {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
		return nil
	}
	if i < len(call.Args) && !call.Ellipsis.IsValid() {
		return call.Args[i]
	}
	return nil
}

// intoPlace returns where the resource sits in a holder that a callee
// stored a value into, at path, when the value holds it at p: nowhere
// known if path is (the holder holds it somewhere).
func intoPlace(path, p Place) Place {
	if len(path) == 0 {
		return Place{}
	}
	return append(slices.Clip(path), p...)
}

// ResultType returns the type of result i of call (its only result if
// i < 0).
func ResultType(info *types.Info, call *ast.CallExpr, i int) types.Type {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if i < 0 || i >= tuple.Len() {
			return nil
		}
		return tuple.At(i).Type()
	}
	return t
}

// isCopy reports whether n copies the value of e somewhere: into a
// variable (v := e, v = e, var v = e), a field or element of a composite
// literal (T{F: e}, T{e}), or a result (return e).
func isCopy(n ast.Node, e ast.Expr) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return len(n.Lhs) == len(n.Rhs) && slices.Contains(n.Rhs, e)
	case *ast.ValueSpec:
		return len(n.Names) == len(n.Values) && slices.Contains(n.Values, e)
	case *ast.KeyValueExpr:
		return n.Value == e
	case *ast.CompositeLit:
		return slices.Contains(n.Elts, e)
	case *ast.ReturnStmt:
		return slices.Contains(n.Results, e)
	}
	return false
}

// storeInto sets u for lhs = rhs, where e, among rhs, is the value (or
// rhs is the single call e, whose result result is tracked): a store into
// the matching left-hand side, or a read for _.
func (u *Use) storeInto(lhs, rhs []ast.Expr, e ast.Expr, result int) {
	var into ast.Expr
	switch {
	case len(lhs) == len(rhs):
		if k := slices.IndexFunc(rhs, func(r ast.Expr) bool { return ast.Unparen(r) == e || r == e }); k >= 0 {
			into = lhs[k]
		}
	case len(rhs) == 1 && result >= 0 && result < len(lhs):
		into = lhs[result] // v, err := f()
	}
	if into == nil {
		return
	}
	if SameName(into, "_") {
		u.Kind = UseRead
		return
	}
	u.Kind, u.Into = UseStore, into
}

// literalOf returns the composite literal that holds the value at
// stack[i] as an element, with its key-value pair (nil if positional)
// and the struct field it initializes (nil if not a struct's).
func literalOf(info *types.Info, stack []ast.Node, i int) (*ast.CompositeLit, *ast.KeyValueExpr, *types.Var) {
	e := stack[i]
	var kv *ast.KeyValueExpr
	if x, ok := stack[i-1].(*ast.KeyValueExpr); ok {
		if x.Value != e || i < 2 {
			return nil, nil, nil // a key
		}
		kv, i = x, i-1
	}
	lit, ok := stack[i-1].(*ast.CompositeLit)
	if !ok {
		return nil, nil, nil
	}
	st, ok := info.TypeOf(lit).Underlying().(*types.Struct)
	if !ok {
		return lit, kv, nil
	}
	if kv != nil {
		field, _ := info.ObjectOf(IdentOf(kv.Key)).(*types.Var)
		if field == nil || !field.IsField() {
			return lit, kv, nil
		}
		return lit, kv, field
	}
	if k := slices.Index(lit.Elts, e.(ast.Expr)); k >= 0 && k < st.NumFields() {
		return lit, nil, st.Field(k)
	}
	return lit, nil, nil
}

// deferredOrGo reports whether the call at stack[i] is the call of a
// defer or go statement: it runs after the function returns, or beside
// it.
func deferredOrGo(stack []ast.Node, i int) bool {
	if i < 1 {
		return false
	}
	switch st := stack[i-1].(type) {
	case *ast.DeferStmt:
		return st.Call == stack[i]
	case *ast.GoStmt:
		return st.Call == stack[i]
	}
	return false
}

// sameLayout reports whether call converts e to a type with the same
// fields, as a pointer or not: the converted value is the same object,
// with the resource at the same place.
//
//	type RepositoriesService service
//	c.Repositories = (*RepositoriesService)(&c.common)
func sameLayout(info *types.Info, call *ast.CallExpr, e ast.Expr) bool {
	if len(call.Args) != 1 || !isConversion(info, call) {
		return false
	}
	from, to := info.TypeOf(e), info.TypeOf(call)
	if from == nil || to == nil {
		return false
	}
	if fp, ok := from.Underlying().(*types.Pointer); ok {
		tp, ok := to.Underlying().(*types.Pointer)
		if !ok {
			return false
		}
		from, to = fp.Elem(), tp.Elem()
	}
	_, isStruct := from.Underlying().(*types.Struct)
	return isStruct && types.Identical(from.Underlying(), to.Underlying())
}
