package flow

import (
	"go/ast"
	"sort"

	"golang.org/x/tools/go/ast/inspector"
)

// Where the engine finds the cursor of a node. The checks have the
// inspector their pass requires, of the whole package (Options.Root);
// the summaries run on every package and build none of the package:
// a function's cursor comes from an inspector of its declaration alone.

// Cur returns the cursor of the function's declaration.
//
// When the engine has a cursor of the package's syntax (the checks have
// the inspector their pass requires) it comes from there. Otherwise (the
// summaries, which run on every package) the function gets an inspector
// of its own: a summary looks at few functions of a package, and an
// inspector of the whole package would cost as much as the summaries.
func (lf *Func) Cur() inspector.Cursor {
	if lf.cur != (inspector.Cursor{}) {
		return lf.cur
	}
	if e := lf.s.e; e.opts.Root != (inspector.Cursor{}) {
		lf.s.cursors()
		return lf.cur
	}
	// A file of this one declaration, which starts where it does (the
	// inspector sizes its events from the file's extent).
	file := &ast.File{Package: lf.Decl.Pos(), Name: &ast.Ident{NamePos: lf.Decl.Pos(), Name: "_"}, Decls: []ast.Decl{lf.Decl}}
	root := inspector.New([]*ast.File{file}).Root()
	for file := range root.Children() {
		for cur := range file.Children() {
			lf.cur = cur
		}
	}
	return lf.cur
}

// cursors gives every function its declaration's cursor: they come in
// the same order as the declarations.
func (s *Summaries) cursors() {
	i := 0
	for file := range s.e.Root().Children() {
		for cur := range file.Children() {
			if s.funcOf(cur.Node()) != nil {
				s.funcs[i].cur = cur
				i++
			}
		}
	}
}

// litCursor returns a cursor of the function literal lit: from the
// package's syntax when the engine has its cursor, else from an
// inspector of its own (see Func.Cur).
func (s *Summaries) litCursor(lit *ast.FuncLit) inspector.Cursor {
	if s.e.opts.Root != (inspector.Cursor{}) {
		if cur, ok := s.e.opts.Root.FindByPos(lit.Pos(), lit.End()); ok && cur.Node() == lit {
			return cur
		}
	}
	decl := &ast.GenDecl{TokPos: lit.Pos(), Specs: []ast.Spec{&ast.ValueSpec{Values: []ast.Expr{lit}}}}
	file := &ast.File{Package: lit.Pos(), Name: &ast.Ident{NamePos: lit.Pos(), Name: "_"}, Decls: []ast.Decl{decl}}
	for cur := range inspector.New([]*ast.File{file}).Root().Preorder((*ast.FuncLit)(nil)) {
		return cur
	}
	return inspector.Cursor{}
}

// cursorOf returns the cursor of n, a node of this package's syntax:
// from the package's cursor when the engine has it, else from the
// cursor of the function declaration around n (Func.Cur), so that a
// summary does not build an inspector of the whole package to read one
// function. Outside every declared function (a literal in a package
// variable's value), the package's cursor is built.
func (s *Summaries) cursorOf(n ast.Node) (inspector.Cursor, bool) {
	root := s.e.root
	if root == (inspector.Cursor{}) {
		if lf := s.funcAt(n); lf != nil {
			root = lf.Cur()
		} else {
			root = s.e.Root()
		}
	}
	cur, found := root.FindByPos(n.Pos(), n.End())
	return cur, found && cur.Node() == n
}

// funcAt returns the declared function of this package whose
// declaration holds n, or nil.
func (s *Summaries) funcAt(n ast.Node) *Func {
	for _, f := range s.e.Pass.Files {
		if n.Pos() < f.FileStart || n.End() > f.FileEnd {
			continue
		}
		// A file's declarations are in source order.
		i := sort.Search(len(f.Decls), func(i int) bool { return f.Decls[i].End() >= n.End() })
		if i < len(f.Decls) && f.Decls[i].Pos() <= n.Pos() {
			if fn := s.funcOf(f.Decls[i]); fn != nil {
				return s.LocalFunc(fn)
			}
		}
		return nil
	}
	return nil
}
