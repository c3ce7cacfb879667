package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

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
	useRead           useKind = iota // reads it: a field, a comparison, a callee that only reads it, _ = v
	useOverwrite                     // the variable that holds it gets another value
	useReplace                       // the field of a holder that holds it gets another value
	useUse                           // the spec's use: a request through a pool
	useHold                          // held by a composite literal: follow the literal (spec.literal only)
	useStore                         // copied into a local variable or a field of one (use.into)
	useDrop                          // evaluated and thrown away: an expression statement
	useReturn                        // returned to the caller
	useReleaseOnError                // passed to a callee that releases it when it returns an error
	useRelease                       // the spec's release: Body.Close, CloseIdleConnections
	useEscape                        // anything not followed: stored away, sent, called, a method value, passed to a callee that may keep or release it
)

// A use is what code does with a tracked value at one mention of it.
type use struct {
	kind   useKind
	node   ast.Node  // the node that decided: the call, the statement...
	into   ast.Expr  // useStore: the left-hand side it is stored into
	at     place     // where the resource sits in the value used (stored, returned...)
	result int       // useReturn: which result; useStore: which result of a call is stored (-1: the value)
	deref  bool      // the value was used as non-nil (a field or method was selected)
	flags  uint8     // what the spec noted on the way
	depth  int       // how many levels above the mention node is
	call   bool      // useEscape: into code the engine cannot see into (a func value, an unknown callee), rather than a store
	usedAt ast.Node  // a call on the way that used it and handed it back (a request through a client that returns a response holding it)
	_      [0]func() // not comparable
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
		case *ast.StarExpr:
			if i >= 2 && isCopy(stack[i-2], parent) {
				e = parent // cc := *c: a shallow copy holds the same resources
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
			call, called := calledAt(stack, i-1)
			switch {
			case st.climb && st.call && called:
				e, p, result = call, st.at, st.result // the method returns what holds it
				u.flags |= s.holderFlags(c, resultType(info, call, result))
				if st.used {
					u.usedAt = call
				}
				i--
				continue
			case st.climb:
				e, p, result = parent, st.at, -1
				continue
			}
			u.kind, u.call = st.kind, st.call
			if called {
				u.node, u.depth = call, u.depth+1 // a method called: the call decides
			}
			return u
		case *ast.CallExpr:
			if parent.Fun == e {
				u.call = true // called: a func value
				break
			}
			st := c.argEffect(s, parent, e, p)
			u.flags |= st.flags
			if st.climb {
				e, p, result = parent, st.at, st.result // the callee returns what holds it
				u.flags |= s.holderFlags(c, resultType(info, parent, result))
				if st.used {
					u.usedAt = parent
				}
				continue
			}
			u.kind, u.call = st.kind, st.call
		case *ast.BinaryExpr:
			u.kind = useRead // a comparison
		case *ast.KeyValueExpr, *ast.CompositeLit:
			lit, kv, field := literalOf(info, stack, i)
			if lit == nil {
				break // a map key, a slice index...
			}
			switch u.kind = s.literal(c, info.TypeOf(lit), kv, field); u.kind {
			case useHold:
				u.flags |= s.holderFlags(c, info.TypeOf(lit))
				if field != nil {
					p = append(place{field.Name()}, p...)
				}
				e, result = lit, -1
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
			u.storeInto(parent.Lhs, parent.Rhs, e, result)
		case *ast.ValueSpec:
			if id, ok := e.(*ast.Ident); ok && slices.Contains(parent.Names, id) {
				u.kind = useOverwrite // var v T: declared again (a loop or a goto came round)
				break
			}
			u.storeInto(specLHS(parent), parent.Values, e, result)
		case *ast.ReturnStmt:
			u.kind = useReturn
			u.result = slices.IndexFunc(parent.Results, func(r ast.Expr) bool { return r == e })
			if len(parent.Results) == 1 && result >= 0 {
				u.result = result // return f(): the result of f that holds it
			}
		case *ast.ExprStmt:
			u.kind = useDrop
		}
		return u
	}
	u.node, u.depth = root, 0
	return u
}

// resultType returns the type of result i of call (its only result if
// i < 0).
func resultType(info *types.Info, call *ast.CallExpr, i int) types.Type {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if i < 0 || i >= tuple.Len() {
			return nil
		}
		return tuple.At(i).Type()
	}
	return t
}

// isCopy reports whether the statement n copies the value of e into a
// variable: v := e, v = e, var v = e.
func isCopy(n ast.Node, e ast.Expr) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return len(n.Lhs) == len(n.Rhs) && slices.Contains(n.Rhs, e)
	case *ast.ValueSpec:
		return len(n.Names) == len(n.Values) && slices.Contains(n.Values, e)
	}
	return false
}

// calledAt returns the call at stack[i-1] if the selector at stack[i] is
// the function it calls.
func calledAt(stack []ast.Node, i int) (*ast.CallExpr, bool) {
	if i < 1 {
		return nil, false
	}
	call, ok := stack[i-1].(*ast.CallExpr)
	return call, ok && call.Fun == stack[i]
}

// storeInto sets u for lhs = rhs, where e, among rhs, is the value (or
// rhs is the single call e, whose result result is tracked): a store into
// the matching left-hand side, or a read for _.
func (u *use) storeInto(lhs, rhs []ast.Expr, e ast.Expr, result int) {
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

// argEffect says what passing e, which holds the resource at p, as an
// argument of call does to the resource: it only reads it (the
// parameter's type cannot take it over, or the callee is known to only
// read it), the callee's summary says what it does (uses, releases,
// returns it in a result: climb on), or it escapes into the callee.
func (c *checker) argEffect(s spec, call *ast.CallExpr, e ast.Expr, p place) step {
	for k, a := range call.Args {
		if ast.Unparen(a) == e || a == e {
			return c.paramEffect(s, call, k, p)
		}
	}
	return stop(useEscape)
}

// paramEffect is argEffect for the k-th argument of call.
func (c *checker) paramEffect(s spec, call *ast.CallExpr, k int, p place) step {
	info := c.pass.TypesInfo
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return stop(useEscape) // a conversion: the value lives on
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return stop(useEscape)
	}
	params := sig.Params()
	n := params.Len()
	idx := k
	var pt types.Type
	switch {
	case sig.Variadic() && k >= n-1:
		if call.Ellipsis.IsValid() {
			return stop(useEscape)
		}
		idx = n - 1
		pt = params.At(n - 1).Type().(*types.Slice).Elem()
	case k < n:
		pt = params.At(k).Type()
	default:
		return stop(useEscape)
	}
	if !s.canCarry(pt) {
		return stop(useRead)
	}
	if id := identOf(call.Fun); id != nil {
		if b, ok := info.Uses[id].(*types.Builtin); ok {
			if b.Name() == "append" {
				return step{climb: true, call: true} // the new slice holds it
			}
			return stop(useEscape)
		}
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && !sig.Variadic() {
		return c.literalParamEffect(s, lit, idx)
	}
	fn := calleeFunc(info, call)
	if fn == nil {
		return step{kind: useEscape, call: true} // a func value
	}
	if readsOnly(fn) {
		return stop(useRead)
	}
	return c.effectAt(s, call, c.summary(fn).param(idx, s.kind()))
}

// literalParamEffect says what the function literal lit, called in place,
// does with its parameter idx: judged by its body, as a function's
// summary would be.
//
//	defer func(body io.ReadCloser) {}(resp.Body)    only reads: the caller still owes the close
func (c *checker) literalParamEffect(s spec, lit *ast.FuncLit, idx int) step {
	info := c.pass.TypesInfo
	var v *types.Var
	i := 0
	for _, field := range lit.Type.Params.List {
		for _, name := range field.Names {
			if i == idx {
				v, _ = info.Defs[name].(*types.Var)
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	if v == nil {
		return stop(useRead) // unnamed or _: never used
	}
	at := place{}
	if isResponse(v.Type()) {
		at = responsePlace
	}
	kind := useRead
	var stack []ast.Node
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			switch u := c.classify(s, stack, at, -1); u.kind {
			case useRead, useDrop:
			case useRelease:
				kind = max(kind, useRelease)
			default:
				kind = useEscape
			}
		}
		return kind != useEscape
	})
	return stop(kind)
}

// effectAt turns what a callee's summary says of a parameter, or of its
// receiver, into a step of the value passed there by call.
func (c *checker) effectAt(s spec, call *ast.CallExpr, pf paramFact) step {
	e := pf.Effect
	switch {
	case e&effKeeps != 0:
		return stop(useEscape)
	case e&effReleasesOnError != 0:
		return stop(useReleaseOnError)
	case e&effReplaces != 0:
		return stop(useReplace)
	case e&effReleases != 0:
		if pf.When.Param == 0 {
			return stop(useRelease)
		}
		// A callee that releases it only under a condition its argument
		// does not decide may not release it: the caller still owes it.
		if holds, known := c.holdsAt(call, pf.When); known && holds {
			return stop(useRelease)
		}
		return stop(useRead)
	case e&effReturns != 0:
		return step{climb: true, call: true, at: splitPath(pf.Path), result: pf.Result, used: e&effUses != 0}
	case e&effUses != 0:
		return stop(useUse)
	case e&(effBorrows|effFills) != 0:
		return stop(useRead)
	}
	return step{kind: useEscape, call: true} // nothing known of it
}

// splitPath returns the place a fact's field path names.
func splitPath(path string) place {
	if path == "" {
		return place{}
	}
	return strings.Split(path, ".")
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
