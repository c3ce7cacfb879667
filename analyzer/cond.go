package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the conditions of summaries: an effect that happens
// only under a test of a parameter,
//
//	func NewClient(opts Options) *http.Client {
//		c := &http.Client{Timeout: opts.Timeout}
//		if opts.Pooled {
//			c.Transport = &http.Transport{}   // only when opts.Pooled is set
//		}
//		return c
//	}
//
// and their evaluation at a call site, where a constant argument (or a
// field left out of a literal) decides them.

// conds evaluates conditions, and finds them in a function's body, from
// the uses and writes of its variables.
type conds struct {
	idx *flowIndex
}

// A condition says when an effect happens: when a parameter, or the
// field at a path inside it, is non-zero (or zero). The zero condition
// (Param 0) holds always.
type condition struct {
	Param   int    // 1 + the index of the parameter; 0: always
	Field   string // the fields selected from it, joined by dots; "": the parameter itself
	NonZero bool   // the effect happens when it is non-zero; when it is zero if false
}

func (w condition) String() string {
	if w.Param == 0 {
		return ""
	}
	s := fmt.Sprintf("p%d", w.Param-1)
	if w.Field != "" {
		s += "." + w.Field
	}
	if !w.NonZero {
		s = "!" + s
	}
	return s
}

// depth returns how many fields w selects from its parameter.
func (w condition) depth() int {
	if w.Field == "" {
		return 0
	}
	return strings.Count(w.Field, ".") + 1
}

// not returns the negation of w (which must not be always).
func (w condition) not() condition { w.NonZero = !w.NonZero; return w }

// guard returns the condition on a parameter of the function at fn under
// which the code at cur runs, if the code around it tests one: it is in
// the branch of an if whose condition tests the parameter, or after an
// if that tests it and returns.
//
//	if opts.Pooled { <cur> }                  opts.Pooled non-zero
//	if out == nil { return ... }; <cur>       out non-zero
//
// Only parameters the function never assigns (nor their fields) count.
func (c *conds) guard(fn, cur inspector.Cursor) (condition, bool) {
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
		// An if before cur in its block that returns when its test holds.
		for _, s := range stmtList(parent.Node()) {
			if s == cur.Node() {
				break
			}
			ifs, ok := s.(*ast.IfStmt)
			if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 {
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
	return condition{}, false
}

// paramTest returns the condition on a parameter of the function at fn
// that e implies when it evaluates to truth: one of its conjuncts (when
// true) or disjuncts (when false) tests the parameter, or a field of it,
// against zero.
//
//	opts.Pooled    !opts.Pooled    out != nil    cfg.Proxy == ""    n > 0    len(p.Hosts) > 0
func (c *conds) paramTest(fn inspector.Cursor, e ast.Expr, truth bool) (condition, bool) {
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
				return condition{}, false // a || b true, a && b false: neither side is known
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
				return condition{}, false
			}
			w, ok := c.paramPath(fn, lenArg(info, operand))
			w.NonZero = (x.Op == token.NEQ) == truth
			return w, ok
		case token.GTR:
			if !truth || !isZeroValue(info, x.Y) {
				return condition{}, false // x <= 0 may be negative
			}
			w, ok := c.paramPath(fn, lenArg(info, x.X))
			w.NonZero = true
			return w, ok
		}
	}
	w, ok := c.paramPath(fn, e)
	if !ok || !isBool(info.TypeOf(e)) {
		return condition{}, false
	}
	w.NonZero = truth
	return w, true
}

// paramPath returns the condition (without its sense) naming e, a
// parameter of the function at fn or a field path inside it, that the
// function never assigns.
func (c *conds) paramPath(fn inspector.Cursor, e ast.Expr) (condition, bool) {
	var fields []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if fieldOf(c.idx.info, x) == nil {
				return condition{}, false
			}
			fields = append([]string{x.Sel.Name}, fields...)
			e = x.X
			continue
		case *ast.Ident:
			v, ok := c.idx.info.Uses[x].(*types.Var)
			if !ok {
				return condition{}, false
			}
			i := paramIndex(fn.Node(), v)
			if i < 0 || isErrorType(v.Type()) || c.assignedBefore(fn, v, x.Pos()) {
				return condition{}, false // not a parameter, an error (not an option: see tracked.assume), or changed
			}
			return condition{Param: i + 1, Field: strings.Join(fields, ".")}, true
		}
		return condition{}, false
	}
}

// assignedBefore reports whether the function at fn assigns v or one of
// its fields before pos (in the source: a test of v then sees the
// caller's argument, unless a loop brings a later assignment round).
func (c *conds) assignedBefore(fn inspector.Cursor, v *types.Var, pos token.Pos) bool {
	for _, use := range c.idx.usesOf(fn, v) {
		if use.Node().Pos() >= pos {
			break // in source order
		}
		for cur := use; ; cur = cur.Parent() {
			switch p := cur.Parent().Node().(type) {
			case *ast.SelectorExpr, *ast.ParenExpr, *ast.IndexExpr, *ast.StarExpr:
				continue
			case *ast.AssignStmt:
				if containsExpr(p.Lhs, cur.Node().(ast.Expr)) {
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

// paramIndex returns the index of v among the parameters of the function
// declaration or literal fn, or -1.
func paramIndex(fn ast.Node, v *types.Var) int {
	sig, _ := funcParts(fn)
	if sig == nil {
		return -1
	}
	i := 0
	for _, field := range sig.Params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, name := range field.Names {
			if name.Pos() == v.Pos() {
				return i
			}
			i++
		}
	}
	return -1
}

// holdsAt evaluates w at call, a call of a function whose summary says
// w: whether it holds, and whether the argument decides it (a constant,
// nil, a field left out of a literal, or a local variable set once to
// one of those).
func (c *conds) holdsAt(call *ast.CallExpr, w condition) (holds, known bool) {
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
	if len(fields) == 0 && isInterfaceParam(info, call, w.Param-1) && !isNil(info, arg) && !types.IsInterface(info.TypeOf(arg)) {
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
	if depth > kaMaxDepth {
		return false, false
	}
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil && len(fields) == 0 {
		return isZeroConst(tv.Value), true
	}
	if isNil(info, e) {
		return true, true // nil, and the fields of nothing
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if len(fields) == 0 && isBuiltin(info, x, "new") {
			return false, true // new(T) is never nil
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if len(fields) == 0 {
				return false, true // an address is never nil
			}
			return c.isZeroAt(x.X, fields, depth+1)
		}
	case *ast.CompositeLit:
		if len(fields) == 0 {
			return false, false
		}
		for _, elt := range x.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return false, false // positional: not worth it
			}
			if sameName(kv.Key, fields[0]) {
				return c.isZeroAt(kv.Value, fields[1:], depth+1)
			}
		}
		return isStructType(info.TypeOf(x)), isStructType(info.TypeOf(x)) // left out: zero
	case *ast.Ident:
		v := varOf(info, x)
		if v == nil || len(fields) > 0 && c.fieldsWritten(v) {
			return false, false
		}
		if rhs, zero, ok := c.idx.origin(v); ok {
			if zero {
				return true, true
			}
			return c.isZeroAt(rhs, fields, depth+1)
		}
	}
	return false, false
}

// fieldsWritten reports whether a field of the variable v is assigned
// anywhere in the package.
func (c *conds) fieldsWritten(v *types.Var) bool {
	for _, w := range c.idx.writes().fields {
		for base := w.base; base != nil; {
			switch b := ast.Unparen(base).(type) {
			case *ast.SelectorExpr:
				base = b.X
				continue
			case *ast.Ident:
				if varOf(c.idx.info, b) == v {
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
	if isNil(info, e) {
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
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 && isBuiltin(info, call, "len") {
		return call.Args[0]
	}
	return e
}

// isBuiltin reports whether call calls the builtin name.
func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id := identOf(call.Fun)
	if id == nil || id.Name != name {
		return false
	}
	_, ok := info.Uses[id].(*types.Builtin)
	return ok
}

// passedCond returns w, a condition on the parameters of the function
// that call calls, in terms of the parameters of the function at fn, if
// the argument w tests is one of them (or a field of one); always
// otherwise.
//
//	func (c *Client) Get(path string, out any) (*http.Response, error) {
//		return c.do(newRequest(path), out)    // fresh when out is nil
func (c *conds) passedCond(fn inspector.Cursor, call *ast.CallExpr, w condition) condition {
	if w.Param-1 >= len(call.Args) || call.Ellipsis.IsValid() {
		return condition{}
	}
	p, ok := c.paramPath(fn, call.Args[w.Param-1])
	if !ok {
		return condition{}
	}
	if w.Field != "" {
		p.Field = strings.TrimPrefix(p.Field+"."+w.Field, ".")
	}
	p.NonZero = w.NonZero
	return p
}
