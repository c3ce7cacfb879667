package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"testing"
)

// TestDeferredClosure: a deferred function literal releases what the
// variable holds when the function returns, wherever it is registered.
func TestDeferredClosure(t *testing.T) {
	tests := []struct {
		name string
		body string // the body of func f(c bool, xs []int) error; the resource is r, from the first statement that sets it
		leak string // the kind of the first leak, "" for none
	}{
		{"before", "var r *Res\ndefer func() { if r != nil { r.Release() } }()\nr, err := Open()\nif err != nil { return err }\nif c { return nil }\nreturn nil", ""},
		{"after", "r, err := Open()\nif err != nil { return err }\ndefer func() { r.Release() }()\nif c { return nil }\nreturn nil", ""},
		{"handed off at exit", "var r *Res\ndefer func() { keep(r) }()\nr, err := Open()\nreturn err", ""},
		{"overwritten after", "r, err := Open()\nif err != nil { return err }\ndefer func() { r.Release() }()\nr, err = Open()\nreturn err", "reassign"},
		{"on one branch", "var r *Res\nif c { defer func() { r.Release() }() }\nr, err := Open()\nif err != nil { return err }\nreturn nil", "return"},
		{"only reads", "var r *Res\ndefer func() { _ = r.n }()\nr, err := Open()\nif err != nil { return err }\nreturn nil", "return"},
		{"a new variable each round", "for range xs {\nr, err := Open()\nif err != nil { return err }\ndefer func() { r.Release() }()\n}\nreturn nil", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc f(c bool, xs []int) error {\n"+tt.body+"\n}\n")
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			var def *ast.AssignStmt
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok && def == nil && len(as.Lhs) == 2 && IdentOf(as.Lhs[0]).Name == "r" {
					def = as
				}
				return def == nil
			})
			info := c.Info
			rv := info.ObjectOf(IdentOf(def.Lhs[0])).(*types.Var)
			target := Target{Spec: toySpec{}, V: rv, At: Place{}}
			if def.Tok == token.DEFINE {
				target.ErrVar = info.Defs[IdentOf(def.Lhs[1])].(*types.Var)
			}
			found := c.Search(target, fd, def)
			checkLeak(t, found, tt.leak)
		})
	}
}

// TestReleasedOnReturn: from a release deferred in a loop, a path that
// goes round with the resource held leaks; a return runs the release.
func TestReleasedOnReturn(t *testing.T) {
	tests := []struct {
		name string
		body string // the body of func f(c bool, xs []int) error; the search starts at the defer
		leak string // the kind of the first leak: the next round declares the variable again
	}{
		{"goes round", "for range xs {\nr, err := Open()\nif err != nil { return err }\ndefer r.Release()\nif c { return nil }\n}\nreturn nil", "reassign"},
		{"released again", "for range xs {\nr, err := Open()\nif err != nil { return err }\ndefer r.Release()\nr.Release()\n}\nreturn nil", ""},
		{"released on one path", "for range xs {\nr, err := Open()\nif err != nil { return err }\ndefer r.Release()\nif c { r.Release() ; continue }\n}\nreturn nil", "reassign"},
		{"returns", "for range xs {\nr, err := Open()\nif err != nil { return err }\ndefer r.Release()\nreturn nil\n}\nreturn nil", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc f(c bool, xs []int) error {\n"+tt.body+"\n}\n")
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			var d *ast.DeferStmt
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if x, ok := n.(*ast.DeferStmt); ok {
					d = x
				}
				return d == nil
			})
			sel := d.Call.Fun.(*ast.SelectorExpr)
			rv := c.Info.Uses[IdentOf(sel.X)].(*types.Var)
			found := c.Search(Target{Spec: toySpec{}, V: rv, At: Place{}, ReleasedOnReturn: true}, fd, d)
			checkLeak(t, found, tt.leak)
		})
	}
}
