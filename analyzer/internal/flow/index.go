package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the indexes of the value-flow layer, built on first
// use: the uses of each variable in a function (where a value goes), and
// every write to a variable or a field in the package (where it comes
// from).

// An Index holds the indexes of one package, each built on first use.
type Index struct {
	info     *types.Info
	pkg      *types.Package
	e        *Engine                                        // for its syntax
	varUses  map[ast.Node]map[*types.Var][]inspector.Cursor // uses of variables, by function
	written  *Writes                                        // writes to variables and fields
	mutators map[*types.Var][]*ast.CallExpr                 // see MutatorsOf
	local    map[*types.Scope]*Writes                       // writes in one function, by its scope
}

// UsesOf returns the identifiers in the function at fn that use v, in
// source order.
func (x *Index) UsesOf(fn inspector.Cursor, v *types.Var) []inspector.Cursor {
	if x.varUses == nil {
		x.varUses = make(map[ast.Node]map[*types.Var][]inspector.Cursor)
	}
	idx := x.varUses[fn.Node()]
	if idx == nil {
		idx = make(map[*types.Var][]inspector.Cursor)
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if w, ok := x.info.Uses[cur.Node().(*ast.Ident)].(*types.Var); ok {
				idx[w] = append(idx[w], cur)
			}
		}
		x.varUses[fn.Node()] = idx
	}
	return idx[v]
}

// A Write is one assignment of a value to a variable or a field.
type Write struct {
	Pos   token.Pos       // the identifier or selector written
	Stmt  *ast.AssignStmt // the assignment, if it is one
	Field *types.Var      // the field written, if it is one
	Base  ast.Expr        // for a field: the value whose field is set
	RHS   ast.Expr        // the value; nil if unknown (a tuple, +=, range) or zero
	Zero  bool            // var v T: the zero value
}

// Writes holds every write to a variable or a struct field in a package.
type Writes struct {
	Vars      map[*types.Var][]Write
	Fields    []Write                    // in source order
	FieldsOf  map[*types.Var][]Write     // Fields by the variable at the root of their base (v in v.A.B = x)
	Addressed map[*types.Var]bool        // variables whose address, or a field's, is taken (&v, &v.A): anything may set them
	Lent      map[*types.Var][]token.Pos // where such an address is passed to the options a function is given, in a loop over them (for _, opt := range opts { opt(&o) }): they may set them
}

// Writes returns the package's index of writes, built on first use.
func (x *Index) Writes() *Writes {
	if x.written == nil {
		var files []ast.Node
		for _, f := range x.e.Pass.Files {
			files = append(files, f)
		}
		x.written = collectWrites(x.info, files)
	}
	return x.written
}

// MutatorsOf returns the calls of a method with a pointer receiver on
// the variable v (v.SetX(x), b.Insecure()), which may set its fields,
// from an index of the package's built on first use (few packages ask).
func (x *Index) MutatorsOf(v *types.Var) []*ast.CallExpr {
	if x.mutators == nil {
		x.mutators = make(map[*types.Var][]*ast.CallExpr)
		for _, f := range x.e.Pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
					if s, ok := x.info.Selections[sel]; ok && s.Kind() == types.MethodVal && IsPointerType(s.Obj().(*types.Func).Signature().Recv().Type()) {
						if w := VarOf(x.info, sel.X); w != nil {
							x.mutators[w] = append(x.mutators[w], call)
						}
					}
				}
				return true
			})
		}
	}
	return x.mutators[v]
}

// WritesTo returns the writes to v: those of its function for a local
// variable (a walk of that function alone, kept for its other
// variables), else those of the package.
func (x *Index) WritesTo(v *types.Var) []Write {
	return x.writesOf(v).Vars[v]
}

// LentAt returns where the address of v, or of a field of v, is passed
// to the options of a function, its variadic parameter, in a loop over
// them (see WritesTo for where it looks).
func (x *Index) LentAt(v *types.Var) []token.Pos {
	return x.writesOf(v).Lent[v]
}

// writesOf returns the writes WritesTo looks in for v.
func (x *Index) writesOf(v *types.Var) *Writes {
	if x.written != nil || v.Kind() != types.LocalVar || v.Parent() == nil {
		return x.Writes()
	}
	fn := v.Parent() // up to the scope of the top-level function
	for fn.Parent() != nil && fn.Parent().Parent() != nil && fn.Parent().Parent() != x.pkg.Scope() {
		fn = fn.Parent()
	}
	w, ok := x.local[fn]
	if !ok {
		var decls []ast.Node
		for _, f := range x.e.Pass.Files {
			if f.FileStart <= fn.Pos() && fn.End() <= f.FileEnd {
				for _, d := range f.Decls {
					if d.Pos() <= fn.End() && fn.Pos() <= d.End() {
						decls = append(decls, d)
					}
				}
			}
		}
		w = collectWrites(x.info, decls)
		if x.local == nil {
			x.local = make(map[*types.Scope]*Writes)
		}
		x.local[fn] = w
	}
	return w
}

// lendTo records in w the addresses of variables that body passes to
// calls (opt(&o), opt.apply(&o.cfg)).
func lendTo(w *Writes, info *types.Info, body ast.Node) {
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			for _, arg := range call.Args {
				if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
					if v := rootVar(info, u.X); v != nil {
						w.Lent[v] = append(w.Lent[v], u.Pos())
					}
				}
			}
		}
		return true
	})
}

// rootVar returns the variable at the root of base, the value whose
// field a write sets (v in v.A.B = x); nil if none.
func rootVar(info *types.Info, base ast.Expr) *types.Var {
	for {
		switch b := ast.Unparen(base).(type) {
		case *ast.SelectorExpr:
			base = b.X
			continue
		case *ast.Ident:
			return VarOf(info, b)
		}
		return nil
	}
}

// collectWrites returns the writes in nodes.
func collectWrites(info *types.Info, nodes []ast.Node) *Writes {
	w := &Writes{Vars: make(map[*types.Var][]Write), FieldsOf: make(map[*types.Var][]Write), Addressed: make(map[*types.Var]bool), Lent: make(map[*types.Var][]token.Pos)}
	add := func(lhs, rhs ast.Expr, zero bool, stmt *ast.AssignStmt) {
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if v, ok := info.ObjectOf(lhs).(*types.Var); ok {
				w.Vars[v] = append(w.Vars[v], Write{Pos: lhs.Pos(), Stmt: stmt, RHS: rhs, Zero: zero})
			}
		case *ast.SelectorExpr:
			if v, ok := info.Uses[lhs.Sel].(*types.Var); ok && v.Kind() == types.PackageVar {
				w.Vars[v] = append(w.Vars[v], Write{Pos: lhs.Pos(), Stmt: stmt, RHS: rhs, Zero: zero}) // pkg.V = x
			} else if f := FieldOf(info, lhs); f != nil && stmt != nil {
				fw := Write{Pos: lhs.Pos(), Stmt: stmt, Field: f, Base: lhs.X, RHS: rhs}
				w.Fields = append(w.Fields, fw)
				if v := rootVar(info, lhs.X); v != nil {
					w.FieldsOf[v] = append(w.FieldsOf[v], fw)
				}
			}
		}
	}
	options := make(map[*types.Var]bool) // variadic parameters
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
					rhs = n.Rhs[i]
				}
				add(lhs, rhs, false, n)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				switch {
				case len(n.Values) == 0:
					add(name, nil, true, nil)
				case len(n.Values) == len(n.Names):
					add(name, n.Values[i], false, nil)
				default:
					add(name, nil, false, nil)
				}
			}
		case *ast.UnaryExpr:
			if v := rootVar(info, n.X); n.Op == token.AND && v != nil {
				w.Addressed[v] = true
			}
		case *ast.FuncDecl:
			if fn, ok := info.Defs[n.Name].(*types.Func); ok && fn.Signature().Variadic() {
				options[fn.Signature().Params().At(fn.Signature().Params().Len()-1)] = true
			}
		case *ast.FuncLit:
			if sig, ok := info.TypeOf(n).(*types.Signature); ok && sig.Variadic() {
				options[sig.Params().At(sig.Params().Len()-1)] = true
			}
		case *ast.RangeStmt:
			if v := VarOf(info, n.X); v != nil && options[v] {
				lendTo(w, info, n.Body)
			}
			if n.Tok == token.ASSIGN {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						add(e, nil, false, nil)
					}
				}
			}
		}
		return true
	}
	for _, n := range nodes {
		ast.Inspect(n, visit)
	}
	return w
}

// Origin returns the only value ever given to the variable v of this
// package, where v is declared with it; zero reports that it is declared
// without one. It fails for parameters, results, range and type-switch
// variables, variables assigned more than once, and fields.
func (x *Index) Origin(v *types.Var) (rhs ast.Expr, zero, ok bool) {
	if v == nil || v.Kind() != types.LocalVar && v.Kind() != types.PackageVar || v.Pkg() != x.pkg {
		return nil, false, false // a parameter, result or field: given its value elsewhere
	}
	defs := x.WritesTo(v)
	if len(defs) != 1 || defs[0].Pos != v.Pos() || (defs[0].RHS == nil && !defs[0].Zero) {
		return nil, false, false // assigned again, declared elsewhere, or unknown
	}
	return defs[0].RHS, defs[0].Zero, true
}

// DefiningCall returns the call whose result is the only value ever
// given to the variable v, where v is declared with it:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
func (x *Index) DefiningCall(v *types.Var) *ast.CallExpr {
	if v == nil || v.Kind() != types.LocalVar && v.Kind() != types.PackageVar {
		return nil
	}
	defs := x.WritesTo(v)
	if len(defs) != 1 || defs[0].Pos != v.Pos() || defs[0].Stmt == nil || len(defs[0].Stmt.Rhs) != 1 {
		return nil
	}
	call, _ := ast.Unparen(defs[0].Stmt.Rhs[0]).(*ast.CallExpr)
	return call
}

// FieldChain splits e, a chain of field selections x.f.g, into its base
// x and the fields f, g; ok is false if a selection in it is not a field
// (a method value, a qualified identifier). e itself, if not a selection,
// is its own base.
func FieldChain(info *types.Info, e ast.Expr) (base ast.Expr, fields Place, ok bool) {
	for {
		sel, isSel := ast.Unparen(e).(*ast.SelectorExpr)
		if !isSel {
			return e, fields, true
		}
		if FieldOf(info, sel) == nil {
			return nil, nil, false
		}
		fields = append(Place{sel.Sel.Name}, fields...)
		e = sel.X
	}
}

// assertedBy returns the value whose type assertion gives ok, the only
// value of the variable ok names (_, ok := x.(T)); nil if none.
func (x *Index) assertedBy(ok *ast.Ident) ast.Expr {
	v, isVar := x.info.Uses[ok].(*types.Var)
	if !isVar || v.Kind() != types.LocalVar {
		return nil
	}
	writes := x.WritesTo(v)
	if len(writes) != 1 || writes[0].Stmt == nil {
		return nil
	}
	as := writes[0].Stmt
	if len(as.Lhs) != 2 || len(as.Rhs) != 1 || x.info.ObjectOf(IdentOf(as.Lhs[1])) != v {
		return nil
	}
	if ta, isAssert := ast.Unparen(as.Rhs[0]).(*ast.TypeAssertExpr); isAssert {
		return ta.X
	}
	return nil
}
