package flow

import (
	"go/ast"
	"go/types"
	"slices"
)

// Predicates on types and on the objects of packages: what a type is,
// which package's function or method an object is.

// IsNamed reports whether t is (an alias for) the package-level type
// pkgPath.name for one of names, or a pointer to one.
func IsNamed(t types.Type, pkgPath string, names ...string) bool {
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

// IsPointerTo reports whether t is *pkgPath.name.
func IsPointerTo(t types.Type, pkgPath, name string) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsNamed(ptr.Elem(), pkgPath, name)
}

// IsPointerType reports whether t is a pointer type.
func IsPointerType(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}

// IsContainerType reports whether t is a map or slice type, whose
// elements a value of it holds.
func IsContainerType(t types.Type) bool {
	return elemType(t) != nil
}

// elemType returns the type of the elements of the map or slice type t,
// or nil if t is neither.
func elemType(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	switch u := t.Underlying().(type) {
	case *types.Map:
		return u.Elem()
	case *types.Slice:
		return u.Elem()
	}
	return nil
}

// IsStructType reports whether t is a struct type (not a pointer to one).
func IsStructType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// IsFunc reports whether fn is the package-level function pkgPath.name
// for one of names.
func IsFunc(fn *types.Func, pkgPath string, names ...string) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == pkgPath &&
		fn.Signature().Recv() == nil && slices.Contains(names, fn.Name())
}

// IsMethod reports whether fn is a method named one of names whose
// receiver is (a pointer to) pkgPath.typeName, including interface
// methods of that named interface.
func IsMethod(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || !slices.Contains(names, fn.Name()) {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && IsNamed(recv.Type(), pkgPath, typeName)
}

// IsFieldOf reports whether f is the field named one of names of the
// package-level struct type pkgPath.typeName.
func IsFieldOf(f *types.Var, pkgPath, typeName string, names ...string) bool {
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

// HasMethod reports whether values of type t (or pointers to them) have
// a method named name.
func HasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// IsErrorType reports whether t is the predeclared error type.
func IsErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// IsBuiltin reports whether call calls the builtin name.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id := IdentOf(call.Fun)
	if id == nil || id.Name != name {
		return false
	}
	_, ok := info.Uses[id].(*types.Builtin)
	return ok
}

// IsNewOf reports whether e is new(T) for a type T that accepts accepts.
func IsNewOf(info *types.Info, e ast.Expr, accepts func(types.Type) bool) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	return IsBuiltin(info, call, "new") && accepts(info.TypeOf(call.Args[0]))
}

// PkgName qualifies the names of types by their package's name only, as
// messages give them (pkg.Type).
func PkgName(p *types.Package) string { return p.Name() }
