package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
)

// This file is the value-flow layer: where a value goes inside one
// function. It knows nothing of net/http; a spec (spec.go) says what the
// fields and methods of the value do to the resource it holds, and the
// summaries of callees say what calls do with their arguments.
//
// classify answers for one mention of the value; follow collects every
// use of a value built in a function, whatever the path, through the
// local variables and holders it is copied into; the path search
// (search.go) calls classify on the nodes of each path.

// A useKind says what code does with a tracked value at one mention.
type useKind uint8

const (
	useRead      useKind = iota // reads it: a field, a comparison, a callee that only reads it, _ = v
	useOverwrite                // the variable that holds it gets another value
	useReplace                  // the field of a holder that holds it gets another value
	useUse                      // the spec's use: a request through a pool
	useHold                     // held by a composite literal: follow the literal (spec.literal only)
	useStore                    // copied into a local variable or a field of one (use.into)
	useDrop                     // evaluated and thrown away: an expression statement
	useReturn                   // returned to the caller
	useRelease                  // the spec's release: Body.Close, CloseIdleConnections
	useEscape                   // anything not followed: stored away, sent, called, a method value, passed to a callee that may keep or release it
)

// A use is what code does with a tracked value at one mention of it.
type use struct {
	kind  useKind
	node  ast.Node  // the node that decided: the call, the statement...
	into  ast.Expr  // useStore: the left-hand side it is stored into
	at    place     // where the resource sits in the value used (stored, returned...)
	deref bool      // the value was used as non-nil (a field or method was selected)
	flags uint8     // what the spec noted on the way
	depth int       // how many levels above the mention node is
	_     [0]func() // not comparable
}

// classify says what the code does with the value at the top of stack
// (an identifier, or the expression that builds the value), which holds
// the resource at p. If the value is a call with several results, result
// is the index of the one tracked. The stack holds the ancestors of the
// value, outermost first; classify looks no further up than its bottom.
func (c *checker) classify(s spec, stack []ast.Node, p place, result int) (u use) {
	info := c.pass.TypesInfo
	u.kind = useEscape
	defer func() { u.at = p }()
	i := len(stack) - 1
	root := stack[i].(ast.Expr)
	e := root
	for ; i > 0; i-- {
		u.node, u.depth = stack[i-1], len(stack)-i
		switch parent := stack[i-1].(type) {
		case *ast.ParenExpr:
			e = parent
			continue
		case *ast.UnaryExpr:
			if parent.Op == token.AND && isStructType(info.TypeOf(e)) {
				e = parent // &v of a struct value: the same object
				continue
			}
		case *ast.SelectorExpr:
			selection := info.Selections[parent]
			if selection == nil || parent.X != e {
				break
			}
			u.deref = true
			st := s.selector(c, stack, i-1, parent, selection, p)
			u.flags |= st.flags
			if st.climb {
				e, p = parent, st.at
				continue
			}
			u.kind = st.kind
			if i >= 2 {
				if call, ok := stack[i-2].(*ast.CallExpr); ok && call.Fun == parent {
					u.node, u.depth = call, u.depth+1 // a method called: the call decides
				}
			}
			return u
		case *ast.CallExpr:
			if parent.Fun != e && c.argReads(s, parent, e) {
				u.kind = useRead
			}
		case *ast.BinaryExpr:
			u.kind = useRead // a comparison
		case *ast.KeyValueExpr, *ast.CompositeLit:
			lit, kv, field := literalOf(info, stack, i)
			if lit == nil {
				break // a map key, a slice index...
			}
			switch u.kind = s.literal(c, info.TypeOf(lit), kv, field); u.kind {
			case useHold:
				if field != nil {
					p = append(place{field.Name()}, p...)
				}
				e = lit
				if kv != nil {
					i-- // climb past the key-value pair
				}
				u.kind = useEscape
				continue
			}
		case *ast.AssignStmt:
			if containsExpr(parent.Lhs, e) {
				if e == root {
					u.kind = useOverwrite
				} else {
					u.kind = useReplace
				}
				break
			}
			if parent.Tok != token.ASSIGN && parent.Tok != token.DEFINE {
				break // x op= v
			}
			u.storeInto(parent.Lhs, parent.Rhs, e, root, result)
		case *ast.ValueSpec:
			u.storeInto(specLHS(parent), parent.Values, e, root, result)
		case *ast.ReturnStmt:
			u.kind = useReturn
		case *ast.ExprStmt:
			u.kind = useDrop
		}
		return u
	}
	u.node, u.depth = root, 0
	return u
}

// storeInto sets u for lhs = rhs, where e, among rhs, is the value (or
// rhs is the single call root, whose result is tracked): a store into
// the matching left-hand side, or a read for _.
func (u *use) storeInto(lhs, rhs []ast.Expr, e, root ast.Expr, result int) {
	var into ast.Expr
	switch {
	case len(lhs) == len(rhs):
		if k := slices.IndexFunc(rhs, func(r ast.Expr) bool { return ast.Unparen(r) == e || r == e }); k >= 0 {
			into = lhs[k]
		}
	case len(rhs) == 1 && e == root && result >= 0 && result < len(lhs):
		into = lhs[result] // v, err := f()
	}
	if into == nil {
		return
	}
	if sameName(into, "_") {
		u.kind = useRead
		return
	}
	u.kind, u.into = useStore, into
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
		field, _ := info.ObjectOf(identOf(kv.Key)).(*types.Var)
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

// argReads reports whether passing e as an argument of call only reads
// it: the parameter's type cannot take the resource over, or the callee
// is known to only read it.
func (c *checker) argReads(s spec, call *ast.CallExpr, e ast.Expr) bool {
	for k, a := range call.Args {
		if ast.Unparen(a) == e || a == e {
			return c.paramReads(s, call, k)
		}
	}
	return false
}

// paramReads reports whether the k-th argument of call is only read.
func (c *checker) paramReads(s spec, call *ast.CallExpr, k int) bool {
	info := c.pass.TypesInfo
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return false // a conversion: the value lives on
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	params := sig.Params()
	n := params.Len()
	idx := k
	var pt types.Type
	switch {
	case sig.Variadic() && k >= n-1:
		if call.Ellipsis.IsValid() {
			return false
		}
		idx = n - 1
		pt = params.At(n - 1).Type().(*types.Slice).Elem()
	case k < n:
		pt = params.At(k).Type()
	default:
		return false
	}
	if !s.canCarry(pt) {
		return true
	}
	fn := calleeFunc(info, call)
	if fn == nil {
		return false
	}
	if readsOnly(fn) {
		return true
	}
	switch eff, when := c.summary(fn).param(idx); eff {
	case effBorrows:
		return true
	case effReleases:
		// A callee that releases it only under a condition its argument
		// does not decide may not release it: the caller still owes it.
		holds, known := c.holdsAt(call, when)
		return when.Param != 0 && !(known && holds)
	}
	return false
}

// stackOf returns the node at cur and its ancestors up to the function
// at fn, outermost first: the stack classify reads.
func stackOf(cur, fn inspector.Cursor) []ast.Node {
	var stack []ast.Node
	for ; cur.Node() != nil && cur != fn; cur = cur.Parent() {
		stack = append(stack, cur.Node())
	}
	slices.Reverse(stack)
	return stack
}
