package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"
)

// This file holds predicates over net/http (and a few other standard)
// types and functions. They keep no state.

// importsHTTP reports whether pkg imports net/http, directly or through
// its dependencies: only then can its code hold a response, a transport
// or a dialer installed on one.
func importsHTTP(pkg *types.Package) bool {
	seen := make(map[*types.Package]bool)
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if p.Path() == "net/http" {
			return true
		}
		if seen[p] {
			return false
		}
		seen[p] = true
		return slices.ContainsFunc(p.Imports(), visit)
	}
	return visit(pkg)
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

// isResponse reports whether t is *http.Response.
func isResponse(t types.Type) bool { return isPointerTo(t, "net/http", "Response") }

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

// calleeFunc returns the function or method called by call, if static
// or an interface method; nil for builtins, conversions and func values.
func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
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

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	id := identOf(e)
	if id == nil || id.Name != "nil" {
		return false // the cheap test first: lookups in big maps miss the cache
	}
	_, ok := info.Uses[id].(*types.Nil)
	return ok
}

// identOf returns e, unparenthesized, if it is an identifier.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

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
