package flow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

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

// conds evaluates conditions at a call site, from the uses and writes
// of the variables the arguments name.
type conds struct {
	idx *Index
	// assuming: the variables whose every value everyWriteZero is
	// reading, taken as zero where they are given back to themselves.
	assuming map[*types.Var]bool
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
			zero, known := c.zeroBefore(call.Args[len(call.Args)-1], nil, 0, call)
			return zero != w.NonZero, known
		}
		return (len(call.Args) < w.Param) != w.NonZero, true
	}
	arg := CondArg(info, call, w)
	if arg == nil || call.Ellipsis.IsValid() {
		return true, false
	}
	var fields []string
	if w.Field != "" {
		fields = strings.Split(w.Field, ".")
	}
	if w.Negative {
		v := c.constAt(arg, 0)
		if v == nil || len(fields) > 0 || v.Kind() != constant.Int && v.Kind() != constant.Float {
			return true, false
		}
		return constant.Sign(v) < 0, true
	}
	if w.Const != "" {
		v := c.constAt(arg, 0)
		if v == nil || len(fields) > 0 {
			return true, false
		}
		return (v.ExactString() == w.Const) != w.NonZero, true
	}
	if len(fields) == 0 && w.Param > 0 && isInterfaceParam(info, call, w.Param-1) && !IsNil(info, arg) && !types.IsInterface(info.TypeOf(arg)) {
		return w.NonZero, true // a concrete value, even a nil pointer, makes a non-nil interface
	}
	zero, known := c.zeroBefore(arg, fields, 0, call)
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

// zeroBefore reports whether the value of e, or of the field path fields
// inside it, is known to be zero at at (the call whose condition is
// decided, or the test NeverRuns reads), and whether it is known at all.
// A field of a local variable set by statements is decided by the last
// one before at (lastSet); at is nil where that cannot be read (a copy
// of a struct, taken before the statements).
func (c *conds) zeroBefore(e ast.Expr, fields []string, depth int, at ast.Node) (zero, known bool) {
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
		if len(fields) > 0 && zeroResult(c.idx, x, fields) {
			return true, true // DefaultConfig() leaves HTTPClient nil (and its fields: of nothing)
		}
		if len(fields) > 0 {
			if e, rest := fluentField(c.idx, x, fields); e != nil {
				return c.zeroBefore(e, rest, depth+1, at) // New().WithBase(hc).Timeout(t): base is hc
			}
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if len(fields) == 0 {
				return false, true // an address is never nil
			}
			return c.zeroBefore(x.X, fields, depth+1, at)
		}
	case *ast.StarExpr:
		if len(fields) > 0 {
			return c.zeroBefore(x.X, fields, depth+1, at) // (*p).F is p.F
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
				return c.zeroBefore(kv.Value, fields[1:], depth+1, at)
			}
		}
		return IsStructType(info.TypeOf(x)), IsStructType(info.TypeOf(x)) // left out: zero
	case *ast.Ident:
		if _, ok := info.Uses[x].(*types.Func); ok {
			return false, len(fields) == 0 // a function is never nil
		}
		v := VarOf(info, x)
		if v == nil {
			return false, false
		}
		if len(fields) > 0 && mutated(c.idx, v, fields) {
			return false, false // a method of its may have set the field: b.Insecure(), b.SetBase(rt)
		}
		if len(fields) > 0 && slices.ContainsFunc(c.idx.LentAt(v), func(p token.Pos) bool { return at == nil || p < at.Pos() || p >= at.End() }) {
			return false, false // its address passed to the options: for _, opt := range opts { opt(&o) }
		}
		if len(fields) > 0 && c.assuming[v] {
			return true, true // given back to itself (spec = spec.Sandbox()): as its other values
		}
		if len(fields) > 0 && c.FieldsWritten(v) {
			set, ok := c.lastSet(v, fields, at)
			if !ok {
				return false, false
			}
			if set != nil {
				return c.zeroBefore(set, nil, depth+1, at)
			}
		}
		if rhs, zero, ok := c.idx.Origin(v); ok {
			if zero {
				return true, true
			}
			if IsStructType(v.Type()) && VarOf(info, rhs) != nil {
				at = nil // o2 := o copies o: writes to o's fields after it do not reach o2
			}
			return c.zeroBefore(rhs, fields, depth+1, at)
		}
		if len(fields) > 0 && everyWriteZero(c, v, fields, depth) {
			return true, true // spec := NewSpec(u); if sandbox { spec = spec.Sandbox() }
		}
	}
	return false, false
}

// ZeroAt reports whether the field path fields of e is known to be zero
// at at, a statement or call that reads it, and whether it is known at
// all (see HoldsAt).
func (c *conds) ZeroAt(e ast.Expr, fields []string, at ast.Node) (zero, known bool) {
	return c.zeroBefore(e, fields, 0, at)
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

// FalseAt reports whether e is the constant false, or a local variable
// set once to it:
//
//	keepAlive := false
//	conn.(*net.TCPConn).SetKeepAlive(keepAlive)
func (c *conds) FalseAt(e ast.Expr) bool {
	v := c.constAt(e, 0)
	return v != nil && v.Kind() == constant.Bool && !constant.BoolVal(v)
}

// FieldsWritten reports whether a field of the variable v is assigned
// anywhere in the package.
func (c *conds) FieldsWritten(v *types.Var) bool {
	return len(c.idx.Writes().FieldsOf[v]) > 0
}

// lastSet returns the value that the field path fields of the local
// variable v holds at at, set by a statement: the last assignment to it
// before at, when it is a statement of a list that holds at (every path
// to at runs it, and no other write runs between). It returns nil, true
// when no write comes before at (the variable's value decides), and
// false when the writes leave it unknown: a write inside a closure, to
// a field path inside or around this one, of a value not known, or after
// at with a loop around at (it may run before the next time).
//
//	o := Options{Pooled: true}
//	o.Pooled = false
//	NewPooled(o)    // decided by o.Pooled = false
func (c *conds) lastSet(v *types.Var, fields []string, at ast.Node) (ast.Expr, bool) {
	if at == nil || v.Kind() == types.PackageVar || v.Kind() == types.FieldVar {
		return nil, false
	}
	writes := c.idx.Writes().FieldsOf[v]
	if len(writes) == 0 {
		return nil, true // no field of v is written: its value decides
	}
	s := c.idx.e.Summaries
	site, found := s.cursorOf(at)
	if !found {
		return nil, false
	}
	fn, _ := EnclosingFunc(site)
	loop := hasLoopAround(site)
	var last inspector.Cursor
	var set ast.Expr
	for _, w := range writes {
		base, path, ok := FieldChain(c.idx.info, w.Base)
		if !ok {
			return nil, false // through something other than fields
		}
		if VarOf(c.idx.info, base) != v {
			continue
		}
		path = append(path, w.Field.Name())
		n := min(len(path), len(fields))
		if !slices.Equal(path[:n], fields[:n]) {
			continue // another field
		}
		if w.Pos >= at.Pos() {
			if loop {
				return nil, false
			}
			continue // runs after at
		}
		cur, found := s.cursorOf(w.Stmt)
		if wf, _ := EnclosingFunc(cur); !found || wf != fn || len(path) != len(fields) || w.RHS == nil {
			return nil, false
		}
		last, set = cur, w.RHS
	}
	if set == nil {
		return nil, true
	}
	if StmtList(last.Parent().Node()) == nil || at.Pos() < last.Node().End() || at.Pos() >= last.Parent().Node().End() {
		return nil, false // on some paths to at only
	}
	return set, true
}

// IsZeroValue reports whether e is a constant zero value or nil.
func IsZeroValue(info *types.Info, e ast.Expr) bool {
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

// IsBool reports whether t is a boolean type.
func IsBool(t types.Type) bool {
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

// errResultOf returns the variable that the statement n assigns the error
// result of call to, if any.
//
//	err := check(r)    if err := check(r); err != nil {
func errResultOf(info *types.Info, n ast.Node, call *ast.CallExpr) *types.Var {
	if call == nil {
		return nil
	}
	var lhs, rhs []ast.Expr
	switch n := n.(type) {
	case *ast.AssignStmt:
		lhs, rhs = n.Lhs, n.Rhs
	case *ast.ValueSpec:
		lhs, rhs = SpecLHS(n), n.Values
	default:
		return nil
	}
	_, errLHS := PickLHS(lhs, rhs, call, ResultTypes(info, call, CalleeFunc(info, call)), -1)
	if errLHS == nil && len(lhs) == len(rhs) {
		for i, r := range rhs { // err = check(r): a single error result
			if ast.Unparen(r) == call && IsErrorType(info.TypeOf(call)) {
				errLHS = lhs[i]
			}
		}
	}
	v, _ := info.ObjectOf(IdentOf(errLHS)).(*types.Var)
	return v
}

// boolResultOf returns the variable that the statement n assigns the first
// bool result of call to, if any.
//
//	done := check(resp)    if done := check(resp); done {
func boolResultOf(info *types.Info, n ast.Node, call *ast.CallExpr) *types.Var {
	as, ok := n.(*ast.AssignStmt)
	if !ok || call == nil || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != call {
		return nil
	}
	results, ok := info.TypeOf(call).(*types.Tuple)
	for i := range as.Lhs {
		var rt types.Type
		switch {
		case ok && i < results.Len():
			rt = results.At(i).Type()
		case !ok && i == 0:
			rt = info.TypeOf(call)
		}
		if rt != nil && IsBool(rt) {
			v, _ := info.ObjectOf(IdentOf(as.Lhs[i])).(*types.Var)
			return v
		}
	}
	return nil
}

// NeverRuns reports whether the code at cur sits in a branch that cannot
// run: the then (or else) branch of a test against nil of a local
// variable, or of a field path inside it, whose value there is known to
// be the opposite, from its only assignment and no write to those
// fields before the test, with no loop around the test in the function
// (a write after it could run before it):
//
//	h := &Holder{R: shared}
//	if h.R == nil {
//		h.R = NewRes() // never runs
//	}
func (c *conds) NeverRuns(cur inspector.Cursor) bool {
	info := c.idx.info
	n := cur.Node()
	for p := cur.Parent(); p.Node() != nil; n, p = p.Node(), p.Parent() {
		switch s := p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if n != s.Body && n != s.Else || hasLoopAround(p) {
				continue
			}
			bin, ok := ast.Unparen(s.Cond).(*ast.BinaryExpr)
			if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
				continue
			}
			x := bin.X
			if IsNil(info, x) {
				x = bin.Y
			} else if !IsNil(info, bin.Y) {
				continue
			}
			x, fields, ok := FieldChain(info, x)
			if v := VarOf(info, x); !ok || v == nil || v.Kind() != types.LocalVar {
				continue
			}
			zero, known := c.zeroBefore(x, fields, 0, s)
			runsWhenNil := (bin.Op == token.EQL) == (n == s.Body)
			if known && zero != runsWhenNil {
				return true
			}
		}
	}
	return false
}

// hasLoopAround reports whether a loop of its function encloses cur.
func hasLoopAround(cur inspector.Cursor) bool {
	for p := cur.Parent(); p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		}
	}
	return false
}

// succeeded reports whether e only tests that the call that gave v its
// resource, and errVar its error, succeeded: the error is nil (err ==
// nil), or v is not (v != nil).
func succeeded(info *types.Info, e ast.Expr, v, errVar *types.Var) bool {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || !IsNil(info, b.Y) {
		return false
	}
	x := VarOf(info, b.X)
	return b.Op == token.EQL && x == errVar && x != nil || b.Op == token.NEQ && x == v
}
