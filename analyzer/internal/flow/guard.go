package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// guards finds the conditions in a function's body: the tests of its
// parameters under which code runs, and the parameters an argument
// passes on.
type guards struct {
	idx *Index
}

// Guard returns the condition on a parameter of the function at fn under
// which the code at cur runs, if the code around it tests one: it is in
// the branch of an if whose condition tests the parameter, or in a case
// of a switch without a tag whose test, or an earlier case's, tests it,
// or after an if that tests it and returns.
//
//	if opts.Open { <cur> }                    opts.Open non-zero
//	switch { case out == nil: ...; default: <cur> }   out non-zero
//	if out == nil { return ... }; <cur>       out non-zero
//
// Only parameters the function never assigns (nor their fields) count.
func (c *guards) Guard(fn, cur inspector.Cursor) (Condition, bool) {
	w, _, ok := c.guardFrom(fn, cur, token.NoPos, false)
	return w, ok
}

// RecvGuard is Guard where a test of a field of the receiver counts too
// (Condition.Param is then -1): a builder that makes its own resource
// only when it was given none.
//
//	func (b *Builder) Conn() *Conn {
//		if b.base != nil { return b.base }   // recv.base
//		return dial()
//	}
//
// It also returns the test around that one, if any (the zero Condition
// if none): if hc == nil { if insecure { <cur> } }.
func (c *guards) RecvGuard(fn, cur inspector.Cursor) (w, outer Condition, ok bool) {
	w, at, ok := c.guardFrom(fn, cur, token.NoPos, true)
	if ok {
		outer, _, _ = c.guardFrom(fn, at.Parent(), token.NoPos, true)
	}
	return w, outer, ok
}

// TestOf returns the condition on a parameter of the function at fn, or
// a field of its receiver, under which e, a bool expression, evaluates
// to truth (see paramTest).
//
//	DisableKeepAlives: cfg.ShortLived     // false when !p0.ShortLived
//	DisableKeepAlives: f.NoReuse          // false when !recv.NoReuse
func (c *guards) TestOf(fn inspector.Cursor, e ast.Expr, truth bool) (Condition, bool) {
	return c.paramTest(fn, e, truth, true)
}

// GuardFrom is Guard where only the ifs that return after from count:
// the code from there on runs under their test.
//
//	if rt == nil { return nil, errNoTransport }   // before from: not a guard of what follows from
//	resp, err := rt.RoundTrip(req)                // from
func (c *guards) GuardFrom(fn, cur inspector.Cursor, from token.Pos) (Condition, bool) {
	w, _, ok := c.guardFrom(fn, cur, from, false)
	return w, ok
}

// guardFrom is GuardFrom, with tests of the receiver's fields if recv;
// it also returns the node on the way up under the test (an if's body).
func (c *guards) guardFrom(fn, cur inspector.Cursor, from token.Pos, recv bool) (Condition, inspector.Cursor, bool) {
	for ; cur.Node() != nil && cur != fn; cur = cur.Parent() {
		parent := cur.Parent()
		if ifs, ok := parent.Node().(*ast.IfStmt); ok && ifs.Init == nil {
			switch cur.Node() {
			case ifs.Body:
				if w, ok := c.paramTest(fn, ifs.Cond, true, recv); ok {
					return w, cur, true
				}
			case ifs.Else:
				if w, ok := c.paramTest(fn, ifs.Cond, false, recv); ok {
					return w, cur, true
				}
			}
		}
		if cc, ok := parent.Node().(*ast.CaseClause); ok && cur.ParentEdgeKind() == edge.CaseClause_Body {
			if w, ok := c.caseTest(fn, parent, cc, recv); ok {
				return w, cur, true
			}
		}
		// An if before cur in its block that returns when its test holds.
		for _, s := range StmtList(parent.Node()) {
			if s == cur.Node() {
				break
			}
			ifs, ok := s.(*ast.IfStmt)
			if !ok || ifs.Init != nil || ifs.Else != nil || !EndsInReturn(ifs.Body) || ifs.Pos() < from {
				continue
			}
			if w, ok := c.paramTest(fn, ifs.Cond, false, recv); ok {
				return w, cur, true
			}
		}
	}
	return Condition{}, cur, false
}

// caseTest returns the condition on a parameter of the function at fn
// under which the clause cc, at cur, of a switch without a tag runs: its
// own test, or the negation of an earlier clause's (of any other clause's
// for the default), each a single expression.
func (c *guards) caseTest(fn, cur inspector.Cursor, cc *ast.CaseClause, recv bool) (Condition, bool) {
	sw, ok := cur.Parent().Parent().Node().(*ast.SwitchStmt)
	if !ok || sw.Tag != nil || sw.Init != nil {
		return Condition{}, false
	}
	if len(cc.List) == 1 {
		if w, ok := c.paramTest(fn, cc.List[0], true, recv); ok {
			return w, true
		}
	}
	for _, s := range sw.Body.List {
		other := s.(*ast.CaseClause)
		if other == cc {
			if cc.List != nil {
				break // a case: only the earlier ones were false
			}
			continue
		}
		if len(other.List) == 1 {
			if w, ok := c.paramTest(fn, other.List[0], false, recv); ok {
				return w, true
			}
		}
	}
	return Condition{}, false
}

// paramTest returns the condition on a parameter of the function at fn
// that e implies when it evaluates to truth: one of its conjuncts (when
// true) or disjuncts (when false) tests the parameter, or a field of it,
// against zero.
//
//	opts.Open    !opts.Open    out != nil    cfg.Proxy == ""    n > 0    len(p.Hosts) > 0
func (c *guards) paramTest(fn inspector.Cursor, e ast.Expr, truth, recv bool) (Condition, bool) {
	info := c.idx.info
	switch x := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			return c.paramTest(fn, x.X, !truth, recv)
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LAND, token.LOR:
			if (x.Op == token.LAND) != truth {
				return Condition{}, false // a || b true, a && b false: neither side is known
			}
			// Both sides hold: take the test of a field, the option,
			// rather than a nil check that guards it.
			//
			//	if cfg == nil || !cfg.Insecure { return }
			wx, okx := c.paramTest(fn, x.X, truth, recv)
			wy, oky := c.paramTest(fn, x.Y, truth, recv)
			if !okx || oky && wy.depth() > wx.depth() {
				return wy, oky
			}
			return wx, okx
		case token.EQL, token.NEQ:
			operand := x.X
			if IsZeroValue(info, x.X) {
				operand = x.Y
			} else if !IsZeroValue(info, x.Y) {
				return Condition{}, false
			}
			w, ok := c.paramPath(fn, lenArg(info, operand), recv)
			w.NonZero = (x.Op == token.NEQ) == truth
			return w, ok
		case token.GTR:
			if !truth || !IsZeroValue(info, x.Y) {
				return Condition{}, false // x <= 0 may be negative
			}
			w, ok := c.paramPath(fn, lenArg(info, x.X), recv)
			w.NonZero = true
			return w, ok
		}
	}
	w, ok := c.paramPath(fn, e, recv)
	if !ok || !IsBool(info.TypeOf(e)) {
		return Condition{}, false
	}
	w.NonZero = truth
	return w, true
}

// paramPath returns the condition (without its sense) naming e, a
// parameter of the function at fn or a field path inside it (or, if
// recv, a field path inside its receiver), that the function never
// assigns.
func (c *guards) paramPath(fn inspector.Cursor, e ast.Expr, recv bool) (Condition, bool) {
	return c.fieldPath(fn, e, nil, recv)
}

// fieldPath is paramPath for the field path fields inside e.
func (c *guards) fieldPath(fn inspector.Cursor, e ast.Expr, fields []string, recv bool) (Condition, bool) {
	for depth := 0; depth <= maxDepth; depth++ {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if FieldOf(c.idx.info, x) == nil {
				return Condition{}, false
			}
			fields = append([]string{x.Sel.Name}, fields...)
			e = x.X
			continue
		case *ast.UnaryExpr, *ast.CompositeLit:
			// A local copy's literal: c := &Client{hc: opts.HTTPClient}; if c.hc == nil
			if len(fields) > 0 {
				if val := LitField(x, fields[0]); val != nil {
					e, fields = val, fields[1:]
					continue
				}
			}
			return Condition{}, false
		case *ast.Ident:
			v, ok := c.idx.info.Uses[x].(*types.Var)
			if !ok {
				return Condition{}, false
			}
			if IsErrorType(v.Type()) || c.assignedBefore(fn, v, x.Pos(), fields) {
				return Condition{}, false // an error (not an option: see tracked.assume), or changed before
			}
			if i := ParamIndex(fn.Node(), v); i >= 0 {
				return Condition{Param: i + 1, Field: strings.Join(fields, ".")}, true
			}
			if recv && len(fields) > 0 && IsRecvOf(fn.Node(), v) {
				return Condition{Param: -1, Field: strings.Join(fields, ".")}, true
			}
			// A local copy of a parameter (or of a field of one), not
			// changed yet: hc := opts.Client; if hc == nil { ... }
			init, result := DeclaredWith(fn, v)
			if init == nil || result != 0 {
				return Condition{}, false
			}
			e = init
			continue
		}
		return Condition{}, false
	}
	return Condition{}, false
}

// assignedBefore reports whether the function at fn assigns v, or the
// field path fields inside it, before pos (in the source: a test of it
// then sees the caller's argument, unless a loop brings a later
// assignment round). Assignments to other fields do not count, nor does
// a default given to a field on the path, or to v, only where it is nil
// (a test of a field below then sees the caller's argument whenever it
// had one there):
//
//	if c == nil { c = def }
//	if c.Inner == nil { c.Inner = def.Inner }
//	if c.Inner.R == nil { ... }           // a test of the caller's c.Inner.R
func (c *guards) assignedBefore(fn inspector.Cursor, v *types.Var, pos token.Pos, fields []string) bool {
	for _, use := range c.idx.UsesOf(fn, v) {
		if use.Node().Pos() >= pos {
			break // in source order
		}
		var path Place  // the fields of v selected on the way up
		opaque := false // an element or a pointee on the way: no path known below
		for cur := use; ; cur = cur.Parent() {
			switch p := cur.Parent().Node().(type) {
			case *ast.SelectorExpr:
				if !opaque {
					path = append(path, p.Sel.Name)
				}
				continue
			case *ast.IndexExpr, *ast.StarExpr:
				opaque = true
				continue
			case *ast.ParenExpr:
				continue
			case *ast.AssignStmt:
				if !ContainsExpr(p.Lhs, cur.Node().(ast.Expr)) {
					break
				}
				switch {
				case !hasPrefix(Place(fields), path) && !hasPrefix(path, Place(fields)):
					// another field
				case !opaque && len(path) < len(fields) && nilDefault(c.idx.info, cur.Parent(), v, path):
					// a default where it was nil
				default:
					return true
				}
			case *ast.UnaryExpr:
				if p.Op == token.AND {
					return true // its address is taken: anything may change it
				}
			case *ast.IncDecStmt:
				return true
			}
			break
		}
	}
	return false
}

// nilDefault reports whether the assignment at as runs only where the
// field path of v it assigns is nil: the only statement of
//
//	if v.path == nil { v.path = ... }
func nilDefault(info *types.Info, as inspector.Cursor, v *types.Var, path Place) bool {
	block, ok := as.Parent().Node().(*ast.BlockStmt)
	if !ok || len(block.List) != 1 {
		return false
	}
	ifs, ok := as.Parent().Parent().Node().(*ast.IfStmt)
	if !ok || ifs.Body != block || ifs.Init != nil || ifs.Else != nil {
		return false
	}
	b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL {
		return false
	}
	tested := b.X
	if IsNil(info, tested) {
		tested = b.Y
	} else if !IsNil(info, b.Y) {
		return false
	}
	base, fields, ok := FieldChain(info, tested)
	return ok && VarOf(info, base) == v && slices.Equal(fields, path)
}

// PassedCond returns w, a condition on the parameters of the function
// that call calls, in terms of the parameters of the function at fn, if
// the argument w tests is one of them (or a field of one); always
// otherwise.
//
//	func (c *Client) Get(name string, out any) (*Res, error) {
//		return c.open(name, out)    // fresh when out is nil
func (c *guards) PassedCond(fn inspector.Cursor, call *ast.CallExpr, w Condition) Condition {
	return passedCond(c, fn, call, w, false)
}

// PassedCondRecv is PassedCond, where the argument may also be a field of
// the receiver of the function at fn (a builder's config: return
// NewClient(b.cfg), when(!p0.HTTPClient) is when(!recv.cfg.HTTPClient)).
func (c *guards) PassedCondRecv(fn inspector.Cursor, call *ast.CallExpr, w Condition) Condition {
	return passedCond(c, fn, call, w, true)
}

// passedCond is PassedCond, and PassedCondRecv if recv.
func passedCond(c *guards, fn inspector.Cursor, call *ast.CallExpr, w Condition, recv bool) Condition {
	if call.Ellipsis.IsValid() {
		// f(as, opts...): the options are the function's own, forwarded
		// whole; a test of the slice is a test of its parameter.
		if w.Param != len(call.Args) || w.Field != "" || w.Const != "" {
			return Condition{}
		}
		p, ok := c.paramPath(fn, call.Args[w.Param-1], false)
		if !ok || p.Field != "" {
			return Condition{}
		}
		p.NonZero = w.NonZero
		return p
	}
	arg := CondArg(c.idx.info, call, w)
	if arg == nil {
		return Condition{}
	}
	var fields []string // the path tested inside arg, which may be a literal of the caller: NewTransport(Options{DisableKeepAlives: b.noReuse})
	if w.Field != "" {
		fields = strings.Split(w.Field, ".")
	}
	p, ok := c.fieldPath(fn, arg, fields, recv)
	if !ok {
		return Condition{}
	}
	p.NonZero, p.Const = w.NonZero, w.Const
	return p
}

// CompositeOf returns the composite literal that e is, or whose address
// it is (&T{...}); nil if neither.
func CompositeOf(e ast.Expr) *ast.CompositeLit {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, _ := e.(*ast.CompositeLit)
	return lit
}

// LitField returns the value that e, a composite literal or its address,
// gives its field named field (nil if none: left out, or not a literal).
func LitField(e ast.Expr, field string) ast.Expr {
	lit := CompositeOf(e)
	if lit == nil {
		return nil
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok && SameName(kv.Key, field) {
			return kv.Value
		}
	}
	return nil
}
