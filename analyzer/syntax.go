package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// This file holds helpers over Go syntax and types. They know nothing of
// net/http and keep no state.

// identOf returns e, unparenthesized, if it is an identifier.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// sameName reports whether e is an identifier (in parentheses or not)
// named name.
func sameName(e ast.Expr, name string) bool {
	id := identOf(e)
	return id != nil && id.Name == name
}

// containsExpr reports whether list holds e (unparenthesized).
func containsExpr(list []ast.Expr, e ast.Expr) bool {
	for _, x := range list {
		if ast.Unparen(x) == e {
			return true
		}
	}
	return false
}

// posIn reports whether pos lies within node n.
func posIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// mentions reports whether n refers to obj (false if obj is nil).
func mentions(info *types.Info, n ast.Node, obj types.Object) bool {
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

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	id := identOf(e)
	if id == nil || id.Name != "nil" {
		return false // the cheap test first: lookups in big maps miss the cache
	}
	_, ok := info.Uses[id].(*types.Nil)
	return ok
}

// isTestFile reports whether pos is in a _test.go file.
func isTestFile(fset *token.FileSet, pos token.Pos) bool {
	return strings.HasSuffix(fset.File(pos).Name(), "_test.go")
}

// funcName returns how messages name the function fd declares: "f", or
// "T.m" for a method of T.
func funcName(fd *ast.FuncDecl) string {
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

// funcParts returns the signature and body of a function declaration or
// literal (nil, nil for any other node).
func funcParts(n ast.Node) (*ast.FuncType, *ast.BlockStmt) {
	switch f := n.(type) {
	case *ast.FuncDecl:
		return f.Type, f.Body
	case *ast.FuncLit:
		return f.Type, f.Body
	}
	return nil, nil
}

// enclosingFunc returns the innermost function declaration or literal
// around cur.
func enclosingFunc(cur inspector.Cursor) (inspector.Cursor, bool) {
	for ; cur.Node() != nil; cur = cur.Parent() { // cheaper than Enclosing, which builds a type mask per call
		switch cur.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return cur, true
		}
	}
	return inspector.Cursor{}, false
}

// enclosingDecl returns the function declaration around cur, if any.
func enclosingDecl(cur inspector.Cursor) *ast.FuncDecl {
	for ; cur.Node() != nil; cur = cur.Parent() {
		if fd, ok := cur.Node().(*ast.FuncDecl); ok {
			return fd
		}
	}
	return nil
}

// outerParens returns the outermost parenthesized expression around cur.
func outerParens(cur inspector.Cursor) inspector.Cursor {
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	return cur
}

// stmtList returns the statements of a block or a case clause n.
func stmtList(n ast.Node) []ast.Stmt {
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

// following returns the statements after the statement at cur in its
// block or case clause (nil if it is not a statement of one).
func following(cur inspector.Cursor) []ast.Stmt {
	switch kind, i := cur.ParentEdge(); kind {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
		if list := stmtList(cur.Parent().Node()); i+1 < len(list) {
			return list[i+1:]
		}
	}
	return nil
}

// returnsOf returns the return statements of a function body, not those
// of the function literals in it.
func returnsOf(body *ast.BlockStmt) []*ast.ReturnStmt {
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

// specLHS returns the names a var spec declares, as expressions.
func specLHS(spec *ast.ValueSpec) []ast.Expr {
	lhs := make([]ast.Expr, len(spec.Names))
	for i, id := range spec.Names {
		lhs[i] = id
	}
	return lhs
}

// pickLHS returns the left-hand sides that receive result idx of call,
// and its error result, in an assignment lhs = rhs. results are the types
// of the call's results (nil: the error is not wanted).
func pickLHS(lhs, rhs []ast.Expr, call *ast.CallExpr, results *types.Tuple, idx int) (res, err ast.Expr) {
	if len(rhs) == 1 && len(lhs) > 1 {
		if idx >= 0 && idx < len(lhs) {
			res = lhs[idx]
		}
		for i := range results.Len() {
			if i < len(lhs) && isErrorType(results.At(i).Type()) {
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

// calleeFunc returns the function or method called by call, if static
// or an interface method; nil for builtins, conversions and func values.
func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// resultTypes returns the types of the results of call, a call of fn
// (nil if unknown): from fn's signature, without a lookup in the type
// checker's map of expressions, unless fn is generic.
func resultTypes(info *types.Info, call *ast.CallExpr, fn *types.Func) *types.Tuple {
	if fn != nil {
		if sig := fn.Signature(); sig.TypeParams().Len() == 0 && sig.RecvTypeParams().Len() == 0 {
			return sig.Results()
		}
	}
	t, _ := info.TypeOf(call).(*types.Tuple)
	return t
}

// isNamed reports whether t is (an alias for) the package-level type
// pkgPath.name for one of names, or a pointer to one.
func isNamed(t types.Type, pkgPath string, names ...string) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() &&
		obj.Pkg().Path() == pkgPath && slices.Contains(names, obj.Name())
}

// isPointerTo reports whether t is *pkgPath.name.
func isPointerTo(t types.Type, pkgPath, name string) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	return ok && isNamed(ptr.Elem(), pkgPath, name)
}

// isPointerType reports whether t is a pointer type.
func isPointerType(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}

// isStructType reports whether t is a struct type (not a pointer to one).
func isStructType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// isFunc reports whether fn is the package-level function pkgPath.name
// for one of names.
func isFunc(fn *types.Func, pkgPath string, names ...string) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == pkgPath &&
		fn.Signature().Recv() == nil && slices.Contains(names, fn.Name())
}

// isMethod reports whether fn is a method named one of names whose
// receiver is (a pointer to) pkgPath.typeName, including interface
// methods of that named interface.
func isMethod(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || !slices.Contains(names, fn.Name()) {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && isNamed(recv.Type(), pkgPath, typeName)
}

// isFieldOf reports whether f is the field named one of names of the
// package-level struct type pkgPath.typeName.
func isFieldOf(f *types.Var, pkgPath, typeName string, names ...string) bool {
	if f == nil || !f.IsField() || f.Pkg() == nil || f.Pkg().Path() != pkgPath || !slices.Contains(names, f.Name()) {
		return false
	}
	tn, ok := f.Pkg().Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(tn.Type(), false, f.Pkg(), f.Name())
	return obj == f
}

// hasCloseMethod reports whether values of type t have a Close method.
func hasCloseMethod(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Close")
	_, ok := obj.(*types.Func)
	return ok
}

// isErrorType reports whether t is the predeclared error type.
func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// isNewOf reports whether e is new(T) for a type T that accepts accepts.
func isNewOf(info *types.Info, e ast.Expr, accepts func(types.Type) bool) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	id := identOf(call.Fun)
	if id == nil || id.Name != "new" || len(call.Args) != 1 {
		return false // the cheap test first
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "new" && accepts(info.TypeOf(call.Args[0]))
}

// pkgName qualifies the names of types by their package's name only, as
// messages give them (http2.Transport).
func pkgName(p *types.Package) string { return p.Name() }
