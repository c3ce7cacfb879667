package flow

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// The value-flow layer and the path search, tested on their own: a toy
// resource with no tie to net/http, described by toySpec.

// toySrc declares the toy resource. The cases below add functions to it.
const toySrc = `package toy

import (
	"errors"
	"fmt"
	"io"
)

type Res struct{ n int }

func New() *Res                { return new(Res) }
func Open() (*Res, error)      { return new(Res), nil }
func (r *Res) Use()            {}
func (r *Res) Release()        {}
func (r *Res) Size() int       { return r.n }

type Holder struct {
	R *Res
	n int
}

var global *Res

func keep(r *Res) { global = r }
func later(f func()) { go f() }
func show(r *Res) { fmt.Println(r.n) }

// reader reads a resource; its Next returns io.EOF at the resource's end.
type reader struct{ r *Res }

func newReader(r *Res) *reader  { return &reader{r} }
func (d *reader) Next() error   { return io.EOF }
func (d *reader) Other() error  { return io.EOF }

var _, _ = fmt.Sprint, errors.Is
`

// toySpec: Release releases, Use uses, a Holder holds the resource in
// any field.
type toySpec struct{}

func (toySpec) Kind() Kind { return "toy" }

func (toySpec) Selector(stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p Place) Step {
	if len(p) > 0 && selection.Kind() == types.FieldVal {
		if sel.Sel.Name == p[0] {
			return Step{Climb: true, At: p[1:]}
		}
		return Stop(UseRead)
	}
	if call, ok := CalledAt(stack, i); !ok || call.Fun != sel {
		switch {
		case selection.Kind() != types.MethodVal:
			return Stop(UseRead)
		case sel.Sel.Name == "Release":
			return Stop(UseRelease) // a method value: the engine makes it a closer
		}
		return Stop(UseEscape) // a method value
	}
	switch sel.Sel.Name {
	case "Release":
		return Stop(UseRelease)
	case "Use":
		return Stop(UseUse)
	}
	return Stop(UseRead)
}

func (toySpec) Literal(t types.Type, kv *ast.KeyValueExpr, field *types.Var) UseKind {
	if field != nil {
		return UseHold
	}
	return UseEscape
}

func (toySpec) CanCarry(t types.Type) bool { return true }

func (toySpec) Called(types.Type) Step { return Stop(UseEscape) }

func (toySpec) ParamPlace(types.Type) Place { return Place{} }

// NothingToRelease: a resource whose n is 0 holds nothing.
func (toySpec) NothingToRelease(e *ast.BinaryExpr, v *types.Var) bool {
	sel, ok := e.X.(*ast.SelectorExpr)
	lit, isLit := e.Y.(*ast.BasicLit)
	return ok && sel.Sel.Name == "n" && IdentOf(sel.X).Name == v.Name() && isLit && lit.Value == "0"
}

func (toySpec) HolderFlags(types.Type) uint8 { return 0 }

// toyHooks: nothing is known of library functions.
type toyHooks struct{}

func (toyHooks) NeverReturns(*types.Func) bool { return false }
func (toyHooks) FailsTest(*types.Func) bool    { return false }
func (toyHooks) OnlyReads(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "fmt" || fn.Name() == "newReader"
}
func (toyHooks) Drains(*types.Func, int) bool            { return false }
func (toyHooks) EndsAtEOF(fn *types.Func) bool           { return fn.Name() == "Next" }
func (toyHooks) StoresInto(*types.Func, int) (int, bool) { return 0, false }

// toyEngine type-checks toySrc with extra appended and returns an engine
// over it, with its only file.
func toyEngine(t *testing.T, extra string) (*Engine, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "toy.go", toySrc+extra, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
		Implicits:  make(map[ast.Node]types.Object),
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), Sizes: types.SizesFor("gc", runtime.GOARCH)}
	pkg, err := conf.Check("toy", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	pass := &analysis.Pass{
		Fset:             fset,
		Files:            []*ast.File{f},
		Pkg:              pkg,
		TypesInfo:        info,
		ImportObjectFact: func(types.Object, analysis.Fact) bool { return false },
	}
	return New(pass, toyHooks{}, Options{}), f
}

// markedIdent returns the cursor of the first identifier after the
// comment /*@*/ in f.
func markedIdent(t *testing.T, c *Engine, f *ast.File) inspector.Cursor {
	t.Helper()
	for _, cg := range f.Comments {
		if cg.List[0].Text != "/*@*/" {
			continue
		}
		for cur := range c.Root().Preorder((*ast.Ident)(nil)) {
			if cur.Node().Pos() >= cg.End() {
				return cur
			}
		}
	}
	t.Fatal("no /*@*/ marker")
	return inspector.Cursor{}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		body string // the body of func f(r *Res, h Holder, ch chan *Res) (a marked mention of r or h in it)
		at   Place  // where the resource sits in the marked variable
		want UseKind
		into string // for useStore, the left-hand side
	}{
		{"release", "/*@*/ r.Release()", nil, UseRelease, ""},
		{"release in parens", "(/*@*/ r).Release()", nil, UseRelease, ""},
		{"use", "/*@*/ r.Use()", nil, UseUse, ""},
		{"other method", "_ = /*@*/ r.Size()", nil, UseRead, ""},
		{"method value", "g := /*@*/ r.Use; g()", nil, UseEscape, ""},
		{"release method value", "g := /*@*/ r.Release; g()", nil, UseEscape, ""}, // (a closer: see TestSearch)
		{"field", "_ = /*@*/ r.n", nil, UseRead, ""},
		{"comparison", "if /*@*/ r == nil { return nil }", nil, UseRead, ""},
		{"discard", "_ = /*@*/ r", nil, UseRead, ""},
		{"copy", "q := /*@*/ r; q.Use()", nil, UseStore, "q"},
		{"overwrite", "/*@*/ r = New(); r.Release()", nil, UseOverwrite, ""},
		{"return", "return /*@*/ r", nil, UseReturn, ""},
		{"send", "ch <- /*@*/ r", nil, UseEscape, ""},
		{"callee that keeps", "keep(/*@*/ r)", nil, UseEscape, ""},
		{"callee that reads", "show(/*@*/ r)", nil, UseEscape, ""}, // show's summary knows nothing of toy resources
		{"printer", "fmt.Println(/*@*/ r)", nil, UseRead, ""},
		{"called", "var g func(); g = func() {}; _ = g; /*@*/ r.Use()", nil, UseUse, ""},
		{"in a holder", "x := Holder{R: /*@*/ r}; _ = x", nil, UseStore, "x"},
		{"in a holder, returned", "return &Holder{R: /*@*/ r}", nil, UseReturn, ""},
		{"in a slice", "_ = []*Res{/*@*/ r}", nil, UseEscape, ""},
		{"holder's field", "/*@*/ h.R.Release()", Place{"R"}, UseRelease, ""},
		{"holder's other field", "_ = /*@*/ h.n", Place{"R"}, UseRead, ""},
		{"holder's address", "p := &/*@*/ h; _ = p", Place{"R"}, UseStore, "p"},
		{"holder's field replaced", "/*@*/ h.R = nil", Place{"R"}, UseReplace, ""},
		{"a field of the resource set", "/*@*/ r.n = 1", nil, UseRead, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc f(r *Res, h Holder, ch chan *Res) any {\n"+tt.body+"\nreturn nil\n}\n")
			cur := markedIdent(t, c, f)
			fn, _ := EnclosingFunc(cur)
			u := c.Classify(toySpec{}, StackOf(cur, fn), tt.at, -1)
			if u.Kind != tt.want {
				t.Errorf("kind %d, want %d", u.Kind, tt.want)
			}
			if got := ""; tt.into != "" {
				if u.Into != nil {
					got = types.ExprString(u.Into)
				}
				if got != tt.into {
					t.Errorf("stored into %q, want %q", got, tt.into)
				}
			}
		})
	}
}

func TestFollow(t *testing.T) {
	tests := []struct {
		name       string
		body       string // the body of func f() any, whose first call of New or Open is followed
		vars       []string
		uses       int
		released   bool
		escapes    bool
		returnedAt Place // nil: not returned
	}{
		{"released", "r := New(); r.Use(); defer r.Release(); return nil", []string{"r"}, 1, true, false, nil},
		{"dropped", "r := New(); r.Use(); return nil", []string{"r"}, 1, false, false, nil},
		{"through a copy", "r := New(); q := r; q.Use(); q.Release(); return nil", []string{"r", "q"}, 1, true, false, nil},
		{"through a holder", "r := New(); h := &Holder{R: r}; h.R.Use(); return nil", []string{"r", "h"}, 1, false, false, nil},
		{"into a fresh holder's field", "var h Holder; h.R = New(); h.R.Release(); return nil", []string{"h"}, 0, true, false, nil},
		{"returned in a holder", "return &Holder{R: New()}", nil, 0, false, false, Place{"R"}},
		{"returned through a variable", "r, err := Open(); if err != nil { return nil }; return r", []string{"r"}, 0, false, false, Place{}},
		{"stored in a global", "r := New(); global = r; return nil", []string{"r"}, 0, false, true, nil},
		{"captured", "r := New(); go func() { r.Use() }(); return nil", []string{"r"}, 0, false, true, nil},
		{"released by a closure", "r := New(); defer func() { r.Release() }(); r.Use(); return nil", []string{"r"}, 1, true, false, nil},
		{"passed on", "r := New(); keep(r); return nil", []string{"r"}, 0, false, true, nil},
		{"into a shared holder's field", "h := sharedHolder(); h.R = New(); return nil", nil, 0, false, true, nil},
		{"asserted", "var x any = New(); r, ok := x.(*Res); if ok { r.Use() }; return nil", []string{"x", "r"}, 1, false, false, nil},
		{"type switch", "var x any = New(); switch r := x.(type) { case *Res: r.Release() }; return nil", []string{"x", "r"}, 0, true, false, nil},
		{"captured by a stored literal", "r := New(); f := func() { r.Use() }; _ = f; return nil", []string{"r", "f"}, 0, false, false, nil},
		{"captured by a literal called later", "r := New(); f := func() { r.Use() }; f(); return nil", []string{"r", "f"}, 0, false, true, nil},
		{"captured by a converted literal", "r := New(); f := action(func() { r.Use() }); _ = f; return nil", []string{"r", "f"}, 0, false, false, nil},
		{"copied into a literal", "h := &Holder{R: New()}; return &Wrapper{H: *h}", []string{"h"}, 0, false, false, Place{"H", "R"}},
		{"copied into a result", "h := &Holder{R: New()}; return *h", []string{"h"}, 0, false, false, Place{"R"}},
		{"captured by a goroutine waited for", "r := New(); var g group; go func() { defer g.Done(); r.Use() }(); g.Wait(); return nil", []string{"r"}, 1, false, false, nil},
		{"captured by a goroutine handed to Go", "r := New(); var g group; g.Go(func() { r.Use() }); g.Wait(); return nil", []string{"r"}, 1, false, false, nil},
		{"captured by a goroutine that closes a channel received from", "r := New(); done := make(chan bool); go func() { r.Use(); close(done) }(); <-done; return nil", []string{"r"}, 1, false, false, nil},
		{"captured by a goroutine waited for before", "r := New(); var g group; g.Wait(); go func() { defer g.Done(); r.Use() }(); return nil", []string{"r"}, 0, false, true, nil},
		{"captured by a goroutine that signals what nobody waits on", "r := New(); done := make(chan bool, 1); go func() { r.Use(); done <- true }(); return nil", []string{"r"}, 0, false, true, nil},
		{"overwritten before its use", "r := New(); r = other(); r.Use(); return nil", []string{"r"}, 0, false, false, nil},
		{"used before it is overwritten", "r := New(); r.Use(); r = other(); r.Use(); return nil", []string{"r"}, 1, false, false, nil},
		{"overwritten on a branch", "r := New(); if r != nil { r = other() }; r.Use(); return nil", []string{"r"}, 1, false, false, nil},
		{"overwritten in a loop's body", "r := New(); for range 3 { r = other(); r.Use() }; return nil", []string{"r"}, 0, false, false, nil},
		{"overwritten, then given back", "r := New(); q := r; r = other(); r = q; r.Use(); return nil", []string{"r", "q"}, 1, false, false, nil},
		{"overwritten before a label", "r := New(); r = other(); again: r.Use(); if r != nil { goto again }; return nil", []string{"r"}, 1, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc sharedHolder() *Holder { return nil }\n\nfunc other() *Res { return nil }\n\ntype action func()\n\ntype Wrapper struct{ H Holder }\n\ntype group struct{}\n\nfunc (*group) Done()        {}\nfunc (*group) Wait()        {}\nfunc (*group) Go(f func()) {}\n\nfunc f() any {\n"+tt.body+"\n}\n")
			var fd *ast.FuncDecl
			for _, d := range f.Decls {
				if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "f" {
					fd = d
				}
			}
			fn, _ := c.Root().FindNode(fd)
			var start inspector.Cursor
			result := -1
			for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
				if name := types.ExprString(cur.Node().(*ast.CallExpr).Fun); name == "New" || name == "Open" {
					start = cur
					if name == "Open" {
						result = 0
					}
					break
				}
			}
			fl := c.Follow(toySpec{}, fn, start, result, Place{}, 0)
			var vars []string
			for _, v := range fl.Vars {
				vars = append(vars, v.Name())
			}
			if !slices.Equal(vars, tt.vars) {
				t.Errorf("vars %v, want %v", vars, tt.vars)
			}
			if len(fl.Uses) != tt.uses || fl.Released != tt.released || fl.Escapes != tt.escapes {
				t.Errorf("uses %d, released %v, escapes %v; want %d, %v, %v", len(fl.Uses), fl.Released, fl.Escapes, tt.uses, tt.released, tt.escapes)
			}
			if fl.Returned != (tt.returnedAt != nil) || fl.Returned && !slices.Equal(fl.ReturnedAt, tt.returnedAt) {
				t.Errorf("returned %v at %v, want at %v", fl.Returned, fl.ReturnedAt, tt.returnedAt)
			}
		})
	}
}

// TestSearch runs the path search with the toy resource: a release on
// some paths only leaks on the others; a failed call has nothing to
// release.
func TestSearch(t *testing.T) {
	tests := []struct {
		name string
		body string // the body of func f(c bool) error; the resource is r, the error err
		leak string // the kind of the first leak, "" for none
	}{
		{"released", "r, err := Open()\nif err != nil { return err }\nr.Release()\nreturn nil", ""},
		{"deferred", "r, err := Open()\nif err != nil { return err }\ndefer r.Release()\nif c { return nil }\nreturn nil", ""},
		{"early return", "r, err := Open()\nif err != nil { return err }\nif c { return nil }\nr.Release()\nreturn nil", "return"},
		{"never", "r, err := Open()\nif err != nil { return err }\nr.Use()\nreturn nil", "return"},
		{"nil check", "r, _ := Open()\nif r == nil { return nil }\nr.Release()\nreturn nil", ""},
		{"overwritten", "r, err := Open()\nif err != nil { return err }\nr, err = Open()\nif err != nil { return err }\nr.Release()\nreturn nil", "reassign"},
		{"guarded release", "r, err := Open()\nif err != nil { return err }\nif c { r.Release() }\nreturn nil", ""},
		{"handed off", "r, err := Open()\nif err != nil { return err }\nkeep(r)\nreturn nil", ""},
		{"empty", "r, err := Open()\nif err != nil { return err }\nif r.n == 0 { return nil }\nr.Release()\nreturn nil", ""},
		{"empty case", "r, err := Open()\nif err != nil { return err }\nswitch r.n {\ncase 0:\nreturn nil\n}\nr.Release()\nreturn nil", ""},
		{"other case", "r, err := Open()\nif err != nil { return err }\nswitch r.n {\ncase 0:\ncase 1:\nreturn nil\n}\nr.Release()\nreturn nil", "return"},
		{"release value, deferred", "r, err := Open()\nif err != nil { return err }\nrelease := r.Release\ndefer release()\nreturn nil", ""},
		{"release value, called on one path", "r, err := Open()\nif err != nil { return err }\nrelease := r.Release\nif c { release(); return nil }\nreturn nil", "return"},
		{"release value, handed on", "r, err := Open()\nif err != nil { return err }\nlater(r.Release)\nreturn nil", ""},
		{"collected, then handed off", "r, err := Open()\nif err != nil { return err }\nrs := []*Res{}\nrs = append(rs, r)\nrs = append(rs, new(Res))\nkeep(rs[0])\nreturn nil", ""},
		{"collected, then dropped", "r, err := Open()\nif err != nil { return err }\nrs := []*Res{}\nrs = append(rs, r)\nrs = append(rs, new(Res))\nif c { return nil }\nkeep(rs[0])\nreturn nil", "return"},
		{"collected, then replaced", "r, err := Open()\nif err != nil { return err }\nrs := []*Res{}\nrs = append(rs, r)\nrs = []*Res{new(Res)}\nkeep(rs[0])\nreturn nil", "return"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc f(c bool) error {\n"+tt.body+"\n}\n")
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			def := fd.Body.List[0].(*ast.AssignStmt)
			info := c.Info
			target := Target{Spec: toySpec{}, V: info.Defs[IdentOf(def.Lhs[0])].(*types.Var), At: Place{}}
			if errID := IdentOf(def.Lhs[1]); errID.Name != "_" {
				target.ErrVar = info.Defs[errID].(*types.Var)
			}
			found := c.Search(target, fd, def)
			checkLeak(t, found, tt.leak)
			// The same resource, read to its end before the search
			// starts: its leaks are Drained ones.
			target.Drained = true
			found = c.Search(target, fd, def)
			if found.Leak != nil || (found.Drained != nil) != (tt.leak != "") {
				t.Errorf("drained from the start: leak %v, drained %v; want drained %v", found.Leak, found.Drained, tt.leak != "")
			}
		})
	}
}

// TestNeverRuns: code under a test against nil of a local holder whose
// field is known there runs never (or always).
func TestNeverRuns(t *testing.T) {
	tests := []struct {
		name  string
		body  string // the body of func f(c bool, p *Holder), a mention marked in it
		never bool
	}{
		{"set, tested nil", "h := &Holder{R: &Res{}}\nif h.R == nil {\n/*@*/ h.R = New()\n}", true},
		{"set, else of tested non-nil", "h := &Holder{R: &Res{}}\nif h.R != nil {\nh.n = 1\n} else {\n/*@*/ h.R = New()\n}", true},
		{"left out, tested nil", "h := &Holder{n: 1}\nif h.R == nil {\n/*@*/ h.R = New()\n}", false},
		{"left out, tested non-nil", "h := Holder{n: 1}\nif h.R != nil {\n/*@*/ h.R = New()\n}", true},
		{"cleared before the test", "h := &Holder{R: &Res{}}\nh.R = nil\nif h.R == nil {\n/*@*/ h.R = New()\n}", false},
		{"in a loop", "h := &Holder{R: &Res{}}\nfor c {\nif h.R == nil {\n/*@*/ h.R = New()\n}\nh.R = nil\n}", false},
		{"a parameter", "if p.R == nil {\n/*@*/ p.R = New()\n}", false},
		{"unknown value", "h := sharedHolder()\nif h.R == nil {\n/*@*/ h.R = New()\n}", false},
		{"set by a statement", "h := &Holder{}\nh.R = &Res{}\nif h.R == nil {\n/*@*/ h.R = New()\n}", true},
		{"set after other fields", "var h Holder\nh.n = 1\nh.R = &Res{}\nh.n = 2\nif h.R == nil {\n/*@*/ h.R = New()\n}", true},
		{"set on a branch", "h := &Holder{}\nif c {\nh.R = &Res{}\n}\nif h.R == nil {\n/*@*/ h.R = New()\n}", false},
		{"cleared by a closure", "h := &Holder{}\nclear := func() { h.R = nil }\nh.R = &Res{}\nclear()\nif h.R == nil {\n/*@*/ h.R = New()\n}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc sharedHolder() *Holder { return nil }\n\nfunc other() *Res { return nil }\n\nfunc f(c bool, p *Holder) {\n"+tt.body+"\n}\n")
			if got := c.NeverRuns(markedIdent(t, c, f)); got != tt.never {
				t.Errorf("NeverRuns %v, want %v", got, tt.never)
			}
		})
	}
}

// TestHoldsAt: a condition on a field of a call's argument is decided by
// its literal, or by the last statement before the call that sets it on
// every path there, and left unknown otherwise.
func TestHoldsAt(t *testing.T) {
	tests := []struct {
		name         string
		body         string // the body of func f(c bool, p Holder), with a marked call of take
		holds, known bool
	}{
		{"literal", "h := Holder{R: &Res{}}\n/*@*/ take(h)", true, true},
		{"left out", "h := Holder{n: 1}\n/*@*/ take(h)", false, true},
		{"set after", "h := Holder{}\nh.R = &Res{}\n/*@*/ take(h)", true, true},
		{"cleared after", "h := Holder{R: &Res{}}\nh.R = nil\n/*@*/ take(h)", false, true},
		{"other field set", "h := Holder{R: &Res{}}\nh.n = 2\n/*@*/ take(h)", true, true},
		{"through a pointer", "h := &Holder{R: &Res{}}\nh.R = nil\n/*@*/ take(*h)", false, true},
		{"set in the loop's body", "for c {\nh := Holder{}\nh.R = &Res{}\n/*@*/ take(h)\n}", true, true},
		{"set after, in a loop", "h := Holder{}\nfor c {\n/*@*/ take(h)\nh.R = &Res{}\n}", false, false},
		{"set after, no loop", "h := Holder{}\n/*@*/ take(h)\nh.R = &Res{}", false, true},
		{"set on a branch", "h := Holder{}\nif c {\nh.R = &Res{}\n}\n/*@*/ take(h)", false, false},
		{"set by a closure", "h := Holder{}\nset := func() { h.R = &Res{} }\nset()\n/*@*/ take(h)", false, false},
		{"copied before the write", "h := Holder{}\nh2 := h\nh.R = &Res{}\n/*@*/ take(h2)", false, false},
		{"a call's result", "h := Holder{}\nh.R = New()\n/*@*/ take(h)", false, false},
		{"a parameter set", "p.R = nil\n/*@*/ take(p)", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc take(h Holder) {}\n\nfunc f(c bool, p Holder) {\n"+tt.body+"\n}\n")
			call := markedIdent(t, c, f).Parent().Node().(*ast.CallExpr)
			holds, known := c.HoldsAt(call, Condition{Param: 1, Field: "R", NonZero: true})
			if holds != tt.holds && known || known != tt.known {
				t.Errorf("HoldsAt: holds %v, known %v; want %v, %v", holds, known, tt.holds, tt.known)
			}
		})
	}
}

// TestReadToEOF: a reader made over the resource whose method returns
// io.EOF only at the resource's end (Hooks.EndsAtEOF: Next here) has read
// it to its end on the path where its error is io.EOF: a leak there is a
// Drained one.
func TestReadToEOF(t *testing.T) {
	tests := []struct {
		name    string
		body    string // the body of func f(c bool) error, after r is opened
		drained bool   // the path that drops r has read it to its end
	}{
		{"err == io.EOF", "d := newReader(r)\nfor {\nif err := d.Next(); err == io.EOF {\nreturn nil\n} else if err != nil {\nr.Release()\nreturn err\n}\n}", true},
		{"errors.Is", "d := newReader(r)\nfor {\nerr := d.Next()\nif errors.Is(err, io.EOF) {\nbreak\n}\nif err != nil {\nr.Release()\nreturn err\n}\n}\nreturn nil", true},
		{"err != io.EOF, false", "var err error\nfor {\nif err = newReader(r).Next(); err != nil {\nif err != io.EOF {\nr.Release()\nreturn err\n}\nreturn nil\n}\n}", true},
		{"another method", "d := newReader(r)\nif err := d.Other(); err == io.EOF {\nreturn nil\n}\nr.Release()\nreturn nil", false},
		{"another reader", "d := newReader(new(Res))\nif err := d.Next(); err == io.EOF {\nreturn nil\n}\nr.Release()\nreturn nil", false},
		{"the error overwritten", "d := newReader(r)\nerr := d.Next()\nerr = fmt.Errorf(\"x\")\nif err == io.EOF {\nreturn nil\n}\nr.Release()\nreturn nil", false},
		{"any error", "d := newReader(r)\nif err := d.Next(); err != nil {\nreturn nil\n}\nr.Release()\nreturn nil", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyEngine(t, "\nfunc f(c bool) error {\nr, _ := Open()\n"+tt.body+"\n}\n")
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			def := fd.Body.List[0].(*ast.AssignStmt)
			found := c.Search(Target{Spec: toySpec{}, V: c.Info.Defs[IdentOf(def.Lhs[0])].(*types.Var), At: Place{}}, fd, def)
			if (found.Leak == nil) != tt.drained || (found.Drained != nil) != tt.drained {
				t.Errorf("leak %v, drained %v; want drained %v", found.Leak, found.Drained, tt.drained)
			}
		})
	}
}

// checkLeak fails t unless the first leak found is of kind want ("": none).
func checkLeak(t *testing.T, found Found, want string) {
	t.Helper()
	got := ""
	if found.Leak != nil {
		got = found.Leak.Kind
	}
	if got != want {
		t.Errorf("leak %q, want %q", got, want)
	}
}
