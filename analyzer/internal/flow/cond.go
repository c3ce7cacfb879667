package flow

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the conditions of summaries: an effect that happens
// only under a test of a parameter,
//
//	func NewHolder(opts Options) *Holder {
//		h := &Holder{Name: opts.Name}
//		if opts.Open {
//			h.R = Open()   // only when opts.Open is set
//		}
//		return h
//	}
//
// and their evaluation at a call site, where a constant argument (or a
// field left out of a literal) decides them.

// maxDepth bounds the chains of variables and fields followed to a value.
const maxDepth = 8

// conds evaluates conditions, and finds them in a function's body, from
// the uses and writes of its variables.
type conds struct {
	idx *Index
}

// A Condition says when an effect happens: when a parameter, or the
// field at a path inside it, is non-zero (or zero). The zero condition
// (Param 0) holds always.
type Condition struct {
	Param   int    // 1 + the index of the parameter; 0: always
	Field   string // the fields selected from it, joined by dots; "": the parameter itself
	NonZero bool   // the effect happens when it is non-zero (or differs from Const); when it is zero (equals Const) if false
	Const   string // if not empty: the constant it is compared with, as go/constant writes it ("HEAD" in quotes)
}

func (w Condition) String() string {
	if w.Param == 0 {
		return ""
	}
	s := fmt.Sprintf("p%d", w.Param-1)
	if w.Field != "" {
		s += "." + w.Field
	}
	switch {
	case w.Const != "" && w.NonZero:
		s += "!=" + w.Const
	case w.Const != "":
		s += "==" + w.Const
	case !w.NonZero:
		s = "!" + s
	}
	return s
}

// depth returns how many fields w selects from its parameter.
func (w Condition) depth() int {
	if w.Field == "" {
		return 0
	}
	return strings.Count(w.Field, ".") + 1
}

// Not returns the negation of w (which must not be always).
func (w Condition) Not() Condition { w.NonZero = !w.NonZero; return w }

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
func (c *conds) Guard(fn, cur inspector.Cursor) (Condition, bool) {
	return c.GuardFrom(fn, cur, token.NoPos)
}

// GuardFrom is Guard where only the ifs that return after from count:
// the code from there on runs under their test.
//
//	if rt == nil { return nil, errNoTransport }   // before from: not a guard of what follows from
//	resp, err := rt.RoundTrip(req)                // from
func (c *conds) GuardFrom(fn, cur inspector.Cursor, from token.Pos) (Condition, bool) {
	for ; cur.Node() != nil && cur != fn; cur = cur.Parent() {
		parent := cur.Parent()
		if ifs, ok := parent.Node().(*ast.IfStmt); ok && ifs.Init == nil {
			switch cur.Node() {
			case ifs.Body:
				if w, ok := c.paramTest(fn, ifs.Cond, true); ok {
					return w, true
				}
			case ifs.Else:
				if w, ok := c.paramTest(fn, ifs.Cond, false); ok {
					return w, true
				}
			}
		}
		if cc, ok := parent.Node().(*ast.CaseClause); ok && cur.ParentEdgeKind() == edge.CaseClause_Body {
			if w, ok := c.caseTest(fn, parent, cc); ok {
				return w, true
			}
		}
		// An if before cur in its block that returns when its test holds.
		for _, s := range StmtList(parent.Node()) {
			if s == cur.Node() {
				break
			}
			ifs, ok := s.(*ast.IfStmt)
			if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 || ifs.Pos() < from {
				continue
			}
			if _, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ok {
				continue
			}
			if w, ok := c.paramTest(fn, ifs.Cond, false); ok {
				return w, true
			}
		}
	}
	return Condition{}, false
}

// caseTest returns the condition on a parameter of the function at fn
// under which the clause cc, at cur, of a switch without a tag runs: its
// own test, or the negation of an earlier clause's (of any other clause's
// for the default), each a single expression.
func (c *conds) caseTest(fn, cur inspector.Cursor, cc *ast.CaseClause) (Condition, bool) {
	sw, ok := cur.Parent().Parent().Node().(*ast.SwitchStmt)
	if !ok || sw.Tag != nil || sw.Init != nil {
		return Condition{}, false
	}
	if len(cc.List) == 1 {
		if w, ok := c.paramTest(fn, cc.List[0], true); ok {
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
			if w, ok := c.paramTest(fn, other.List[0], false); ok {
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
func (c *conds) paramTest(fn inspector.Cursor, e ast.Expr, truth bool) (Condition, bool) {
	info := c.idx.info
	switch x := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			return c.paramTest(fn, x.X, !truth)
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
			wx, okx := c.paramTest(fn, x.X, truth)
			wy, oky := c.paramTest(fn, x.Y, truth)
			if !okx || oky && wy.depth() > wx.depth() {
				return wy, oky
			}
			return wx, okx
		case token.EQL, token.NEQ:
			operand := x.X
			if isZeroValue(info, x.X) {
				operand = x.Y
			} else if !isZeroValue(info, x.Y) {
				return Condition{}, false
			}
			w, ok := c.paramPath(fn, lenArg(info, operand))
			w.NonZero = (x.Op == token.NEQ) == truth
			return w, ok
		case token.GTR:
			if !truth || !isZeroValue(info, x.Y) {
				return Condition{}, false // x <= 0 may be negative
			}
			w, ok := c.paramPath(fn, lenArg(info, x.X))
			w.NonZero = true
			return w, ok
		}
	}
	w, ok := c.paramPath(fn, e)
	if !ok || !isBool(info.TypeOf(e)) {
		return Condition{}, false
	}
	w.NonZero = truth
	return w, true
}

// paramPath returns the condition (without its sense) naming e, a
// parameter of the function at fn or a field path inside it, that the
// function never assigns.
func (c *conds) paramPath(fn inspector.Cursor, e ast.Expr) (Condition, bool) {
	var fields []string
	for depth := 0; depth <= maxDepth; depth++ {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if FieldOf(c.idx.info, x) == nil {
				return Condition{}, false
			}
			fields = append([]string{x.Sel.Name}, fields...)
			e = x.X
			continue
		case *ast.Ident:
			v, ok := c.idx.info.Uses[x].(*types.Var)
			if !ok {
				return Condition{}, false
			}
			if IsErrorType(v.Type()) || c.assignedBefore(fn, v, x.Pos()) {
				return Condition{}, false // an error (not an option: see tracked.assume), or changed before
			}
			if i := ParamIndex(fn.Node(), v); i >= 0 {
				return Condition{Param: i + 1, Field: strings.Join(fields, ".")}, true
			}
			// A local copy of a parameter (or of a field of one), not
			// changed yet: hc := opts.Client; if hc == nil { ... }
			init, result := declaredWith(fn, v)
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

// assignedBefore reports whether the function at fn assigns v or one of
// its fields before pos (in the source: a test of v then sees the
// caller's argument, unless a loop brings a later assignment round).
func (c *conds) assignedBefore(fn inspector.Cursor, v *types.Var, pos token.Pos) bool {
	for _, use := range c.idx.UsesOf(fn, v) {
		if use.Node().Pos() >= pos {
			break // in source order
		}
		for cur := use; ; cur = cur.Parent() {
			switch p := cur.Parent().Node().(type) {
			case *ast.SelectorExpr, *ast.ParenExpr, *ast.IndexExpr, *ast.StarExpr:
				continue
			case *ast.AssignStmt:
				if ContainsExpr(p.Lhs, cur.Node().(ast.Expr)) {
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

// HoldsAt evaluates w at call, a call of a function whose summary says
// w: whether it holds, and whether the argument decides it (a constant,
// nil, a field left out of a literal, or a local variable set once to
// one of those).
func (c *conds) HoldsAt(call *ast.CallExpr, w Condition) (holds, known bool) {
	if w.Param == 0 {
		return true, true
	}
	info := c.idx.info
	if sig, ok := info.TypeOf(call.Fun).(*types.Signature); ok && sig.Variadic() && w.Param == sig.Params().Len() && w.Field == "" {
		// The variadic parameter: zero when no argument fills it.
		if call.Ellipsis.IsValid() {
			zero, known := c.isZeroAt(call.Args[len(call.Args)-1], nil, 0)
			return zero != w.NonZero, known
		}
		return (len(call.Args) < w.Param) != w.NonZero, true
	}
	if w.Param-1 >= len(call.Args) || call.Ellipsis.IsValid() {
		return true, false
	}
	var fields []string
	if w.Field != "" {
		fields = strings.Split(w.Field, ".")
	}
	arg := call.Args[w.Param-1]
	if w.Const != "" {
		v := c.constAt(arg, 0)
		if v == nil || len(fields) > 0 {
			return true, false
		}
		return (v.ExactString() == w.Const) != w.NonZero, true
	}
	if len(fields) == 0 && isInterfaceParam(info, call, w.Param-1) && !IsNil(info, arg) && !types.IsInterface(info.TypeOf(arg)) {
		return w.NonZero, true // a concrete value, even a nil pointer, makes a non-nil interface
	}
	zero, known := c.isZeroAt(arg, fields, 0)
	if !known {
		return true, false
	}
	return zero != w.NonZero, true
}

// isInterfaceParam reports whether the i-th parameter of the function
// that call calls has an interface type.
func isInterfaceParam(info *types.Info, call *ast.CallExpr, i int) bool {
	sig, ok := info.TypeOf(call.Fun).(*types.Signature)
	if !ok || i >= sig.Params().Len() || sig.Variadic() && i >= sig.Params().Len()-1 {
		return false
	}
	return types.IsInterface(sig.Params().At(i).Type())
}

// isZeroAt reports whether the value of e, or of the field path fields
// inside it, is known to be zero, and whether it is known at all.
func (c *conds) isZeroAt(e ast.Expr, fields []string, depth int) (zero, known bool) {
	info := c.idx.info
	if depth > maxDepth {
		return false, false
	}
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil && len(fields) == 0 {
		return isZeroConst(tv.Value), true
	}
	if IsNil(info, e) {
		return true, true // nil, and the fields of nothing
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if len(fields) == 0 && IsBuiltin(info, x, "new") {
			return false, true // new(T) is never nil
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if len(fields) == 0 {
				return false, true // an address is never nil
			}
			return c.isZeroAt(x.X, fields, depth+1)
		}
	case *ast.FuncLit:
		return false, len(fields) == 0 // a function is never nil
	case *ast.CompositeLit:
		if len(fields) == 0 {
			return false, false
		}
		for _, elt := range x.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return false, false // positional: not worth it
			}
			if SameName(kv.Key, fields[0]) {
				return c.isZeroAt(kv.Value, fields[1:], depth+1)
			}
		}
		return IsStructType(info.TypeOf(x)), IsStructType(info.TypeOf(x)) // left out: zero
	case *ast.Ident:
		if _, ok := info.Uses[x].(*types.Func); ok {
			return false, len(fields) == 0 // a function is never nil
		}
		v := VarOf(info, x)
		if v == nil || len(fields) > 0 && c.fieldsWritten(v) {
			return false, false
		}
		if rhs, zero, ok := c.idx.Origin(v); ok {
			if zero {
				return true, true
			}
			return c.isZeroAt(rhs, fields, depth+1)
		}
	}
	return false, false
}

// constAt returns the constant value of e, or of the local variable e
// names, set once to a constant; nil if it is not known.
func (c *conds) constAt(e ast.Expr, depth int) constant.Value {
	if depth > maxDepth {
		return nil
	}
	if tv, ok := c.idx.info.Types[ast.Unparen(e)]; ok && tv.Value != nil {
		return tv.Value
	}
	if rhs, _, ok := c.idx.Origin(VarOf(c.idx.info, e)); ok && rhs != nil {
		return c.constAt(rhs, depth+1)
	}
	return nil
}

// fieldsWritten reports whether a field of the variable v is assigned
// anywhere in the package.
func (c *conds) fieldsWritten(v *types.Var) bool {
	for _, w := range c.idx.Writes().Fields {
		for base := w.Base; base != nil; {
			switch b := ast.Unparen(base).(type) {
			case *ast.SelectorExpr:
				base = b.X
				continue
			case *ast.Ident:
				if VarOf(c.idx.info, b) == v {
					return true
				}
			}
			break
		}
	}
	return false
}

// isZeroValue reports whether e is a constant zero value or nil.
func isZeroValue(info *types.Info, e ast.Expr) bool {
	if IsNil(info, e) {
		return true
	}
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && isZeroConst(tv.Value)
}

// isZeroConst reports whether v is the zero value of its kind.
func isZeroConst(v constant.Value) bool {
	switch v.Kind() {
	case constant.Bool:
		return !constant.BoolVal(v)
	case constant.String:
		return constant.StringVal(v) == ""
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(v) == 0 && constant.Sign(constant.Imag(v)) == 0
	}
	return false
}

// isBool reports whether t is a boolean type.
func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// lenArg returns x for len(x), and e for any other expression: a slice
// or map whose length is zero is tested as if it were nil.
func lenArg(info *types.Info, e ast.Expr) ast.Expr {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 && IsBuiltin(info, call, "len") {
		return call.Args[0]
	}
	return e
}

// PassedCond returns w, a condition on the parameters of the function
// that call calls, in terms of the parameters of the function at fn, if
// the argument w tests is one of them (or a field of one); always
// otherwise.
//
//	func (c *Client) Get(name string, out any) (*Res, error) {
//		return c.open(name, out)    // fresh when out is nil
func (c *conds) PassedCond(fn inspector.Cursor, call *ast.CallExpr, w Condition) Condition {
	if w.Param-1 >= len(call.Args) || call.Ellipsis.IsValid() {
		return Condition{}
	}
	p, ok := c.paramPath(fn, call.Args[w.Param-1])
	if !ok {
		return Condition{}
	}
	if w.Field != "" {
		p.Field = strings.TrimPrefix(p.Field+"."+w.Field, ".")
	}
	p.NonZero = w.NonZero
	return p
}
