package flow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// This file holds helpers over Go syntax and types, for the engine and
// the checks. They know no resource and keep no state.

// IdentOf returns e, unparenthesized, if it is an identifier.
func IdentOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// NameOf returns the identifier that names e: e itself, or the selected
// name of x.y (a qualified identifier, a field); nil for anything else.
func NameOf(e ast.Expr) *ast.Ident {
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return x.Sel
	case *ast.Ident:
		return x
	}
	return nil
}

// SameName reports whether e is an identifier (in parentheses or not)
// named name.
func SameName(e ast.Expr, name string) bool {
	id := IdentOf(e)
	return id != nil && id.Name == name
}

// ContainsExpr reports whether list holds e (unparenthesized).
func ContainsExpr(list []ast.Expr, e ast.Expr) bool {
	for _, x := range list {
		if ast.Unparen(x) == e {
			return true
		}
	}
	return false
}

// PosIn reports whether pos lies within node n.
func PosIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// Mentions reports whether n refers to obj (false if obj is nil).
func Mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	if obj == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && id.Name == obj.Name() && info.ObjectOf(id) == obj {
			found = true
		}
		return !found
	})
	return found
}

// MentionsName reports whether the identifier name occurs in e.
func MentionsName(e ast.Node, name string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// IsNil reports whether e is the predeclared nil.
func IsNil(info *types.Info, e ast.Expr) bool {
	id := IdentOf(e)
	if id == nil || id.Name != "nil" {
		return false // the cheap test first: lookups in big maps miss the cache
	}
	_, ok := info.Uses[id].(*types.Nil)
	return ok
}

// IsTrue reports whether e is a constant true.
func IsTrue(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && constant.BoolVal(v)
}

// IsFalse reports whether e is a constant false.
func IsFalse(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && !constant.BoolVal(v)
}

// IsNegative reports whether e is a negative constant number.
func IsNegative(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	return v != nil && (v.Kind() == constant.Int || v.Kind() == constant.Float) && constant.Sign(v) < 0
}

// IsTestFile reports whether pos is in a _test.go file.
func IsTestFile(fset *token.FileSet, pos token.Pos) bool {
	return strings.HasSuffix(fset.File(pos).Name(), "_test.go")
}

// FuncName returns how messages name the function fd declares: "f", or
// "T.m" for a method of T.
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	for recv := fd.Recv.List[0].Type; ; { // *T, T[P], (T): down to T
		switch t := recv.(type) {
		case *ast.StarExpr:
			recv = t.X
		case *ast.ParenExpr:
			recv = t.X
		case *ast.IndexExpr:
			recv = t.X
		case *ast.IndexListExpr:
			recv = t.X
		case *ast.Ident:
			return t.Name + "." + fd.Name.Name
		default:
			return fd.Name.Name
		}
	}
}

// FuncParts returns the signature and body of a function declaration or
// literal (nil, nil for any other node).
func FuncParts(n ast.Node) (*ast.FuncType, *ast.BlockStmt) {
	switch f := n.(type) {
	case *ast.FuncDecl:
		return f.Type, f.Body
	case *ast.FuncLit:
		return f.Type, f.Body
	}
	return nil, nil
}

// EnclosingFunc returns the innermost function declaration or literal
// around cur.
func EnclosingFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	for ; cur.Node() != nil; cur = cur.Parent() { // cheaper than Enclosing, which builds a type mask per call
		switch cur.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return cur, true
		}
	}
	return inspector.Cursor{}, false
}

// EnclosingDecl returns the function declaration around cur, if any.
func EnclosingDecl(cur inspector.Cursor) *ast.FuncDecl {
	for ; cur.Node() != nil; cur = cur.Parent() {
		if fd, ok := cur.Node().(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

// OuterParens returns the outermost parenthesized expression around cur.
func OuterParens(cur inspector.Cursor) inspector.Cursor {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	return cur
}

// EndsInReturn reports whether the block b ends in a return.
func EndsInReturn(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}

// StmtList returns the statements of a block or a case clause n.
func StmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// Following returns the statements after the statement at cur in its
// block or case clause (nil if it is not a statement of one).
func Following(cur inspector.Cursor) []ast.Stmt {
	switch kind, i := cur.ParentEdge(); kind {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
		if list := StmtList(cur.Parent().Node()); i+1 < len(list) {
			return list[i+1:]
		}
	}
	return nil
}

// ReturnsOf returns the return statements of a function body (or of a
// statement in one), not those of the function literals in it.
func ReturnsOf(body ast.Node) []*ast.ReturnStmt {
	var returns []*ast.ReturnStmt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns = append(returns, n)
		}
		return true
	})
	return returns
}

// SpecLHS returns the names a var spec declares, as expressions.
func SpecLHS(spec *ast.ValueSpec) []ast.Expr {
	lhs := make([]ast.Expr, len(spec.Names))
	for i, id := range spec.Names {
		lhs[i] = id
	}
	return lhs
}

// PickLHS returns the left-hand sides that receive result idx of call,
// and its error result, in an assignment lhs = rhs. results are the types
// of the call's results (nil: the error is not wanted).
func PickLHS(lhs, rhs []ast.Expr, call *ast.CallExpr, results *types.Tuple, idx int) (res, err ast.Expr) {
	if len(rhs) == 1 && len(lhs) > 1 {
		if idx >= 0 && idx < len(lhs) {
			res = lhs[idx]
		}
		for i := range results.Len() {
			if i < len(lhs) && IsErrorType(results.At(i).Type()) {
				err = lhs[i]
			}
		}
		return res, err
	}
	for i, r := range rhs {
		if ast.Unparen(r) == call && i < len(lhs) {
			return lhs[i], nil
		}
	}
	return nil, nil
}

// CalleeFunc returns the function or method called by call, if static
// or an interface method; nil for builtins, conversions and func values.
func CalleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// ResultTypes returns the types of the results of call, a call of fn
// (nil if unknown): from fn's signature, without a lookup in the type
// checker's map of expressions, unless fn is generic.
func ResultTypes(info *types.Info, call *ast.CallExpr, fn *types.Func) *types.Tuple {
	if fn != nil {
		if sig := fn.Signature(); sig.TypeParams().Len() == 0 && sig.RecvTypeParams().Len() == 0 {
			return sig.Results()
		}
	}
	t, _ := info.TypeOf(call).(*types.Tuple)
	return t
}

// VarOf returns the variable (not a field) that e names, if any.
func VarOf(info *types.Info, e ast.Expr) *types.Var {
	id := IdentOf(e)
	if id == nil {
		return nil
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() {
		return nil
	}
	return v
}

// SelectionPath returns the names of the fields a selection goes
// through, the embedded ones included, and last the field or method
// selected.
func SelectionPath(selection *types.Selection) []string {
	index := selection.Index()
	path := make([]string, 0, len(index))
	t := selection.Recv()
	for _, k := range index[:len(index)-1] {
		if ptr, ok := t.Underlying().(*types.Pointer); ok {
			t = ptr.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || k >= st.NumFields() {
			break
		}
		path = append(path, st.Field(k).Name())
		t = st.Field(k).Type()
	}
	return append(path, selection.Obj().Name())
}

// FieldOf returns the struct field that sel selects, or nil.
func FieldOf(info *types.Info, sel *ast.SelectorExpr) *types.Var {
	if selection, ok := info.Selections[sel]; ok && selection.Kind() == types.FieldVal {
		v, _ := selection.Obj().(*types.Var)
		return v
	}
	return nil
}

// ParamIndex returns the index of v among the parameters of the function
// declaration or literal fn, or -1.
func ParamIndex(fn ast.Node, v *types.Var) int {
	sig, _ := FuncParts(fn)
	if sig == nil {
		return -1
	}
	return fieldIndex(sig.Params, v)
}

// ResultIndex returns the index of v among the named results of the
// function declaration or literal fn, or -1.
func ResultIndex(fn ast.Node, v *types.Var) int {
	sig, _ := FuncParts(fn)
	if sig == nil || sig.Results == nil {
		return -1
	}
	return fieldIndex(sig.Results, v)
}

// fieldIndex returns the index of v in the parameter or result list.
func fieldIndex(list *ast.FieldList, v *types.Var) int {
	i := 0
	for _, field := range list.List {
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

// CalledAt returns the call at stack[i-1] if the selector at stack[i] is
// the function it calls.
func CalledAt(stack []ast.Node, i int) (*ast.CallExpr, bool) {
	if i < 1 {
		return nil, false
	}
	call, ok := stack[i-1].(*ast.CallExpr)
	return call, ok && call.Fun == stack[i]
}

// StackOf returns the node at cur and its ancestors up to the function
// at fn, outermost first: the stack that Classify reads.
func StackOf(cur, fn inspector.Cursor) []ast.Node {
	var stack []ast.Node
	for ; cur.Node() != nil && cur != fn; cur = cur.Parent() {
		stack = append(stack, cur.Node())
	}
	slices.Reverse(stack)
	return stack
}

// FuncNamed returns the function or method that the func value e names
// (f, pkg.F, x.Method, T.Method), or nil.
func FuncNamed(info *types.Info, e ast.Expr) *types.Func {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[e].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			fn, _ := sel.Obj().(*types.Func)
			return fn
		}
		fn, _ := info.Uses[e.Sel].(*types.Func)
		return fn
	}
	return nil
}

// AssignedTo returns the left-hand side that stmt, an assignment or a
// declaration with values, gives the value rhs to one for one; nil if
// it gives it none.
//
//	f := rhs    var f = rhs    a, f = x, rhs
func AssignedTo(stmt ast.Node, rhs ast.Expr) ast.Expr {
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if k := slices.Index(s.Rhs, rhs); k >= 0 && len(s.Lhs) == len(s.Rhs) {
			return s.Lhs[k]
		}
	case *ast.ValueSpec:
		if k := slices.Index(s.Values, rhs); k >= 0 && len(s.Names) == len(s.Values) {
			return s.Names[k]
		}
	}
	return nil
}

// LocalAssignedTo returns the local variable (not _) that the value n, in
// stack, is assigned or declared with, one for one; nil if none.
//
//	closeBody := resp.Body.Close
func LocalAssignedTo(info *types.Info, stack []ast.Node, n ast.Node) *types.Var {
	i := slices.Index(stack, n)
	e, ok := n.(ast.Expr)
	if i < 1 || !ok {
		return nil
	}
	f, ok := info.ObjectOf(IdentOf(AssignedTo(stack[i-1], e))).(*types.Var)
	if !ok || f.Name() == "_" || f.Kind() != types.LocalVar {
		return nil
	}
	return f
}

// InspectStack walks the syntax under root in depth-first order, as
// ast.Inspect does, calling f for each node with its ancestors from root
// down, the node last; f returns whether to go into its children.
func InspectStack(root ast.Node, f func(stack []ast.Node) bool) {
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if !f(stack) {
			stack = stack[:len(stack)-1]
			return false
		}
		return true
	})
}
