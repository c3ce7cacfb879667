package analyzer

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

import "fmt"

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
func show(r *Res) { fmt.Println(r.n) }

var _ = fmt.Sprint
`

// toySpec: Release releases, Use uses, a Holder holds the resource in
// any field.
type toySpec struct{}

func (toySpec) kind() resourceKind { return kindNone }

func (toySpec) selector(c *checker, stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p place) step {
	if len(p) > 0 && selection.Kind() == types.FieldVal {
		if sel.Sel.Name == p[0] {
			return step{climb: true, at: p[1:]}
		}
		return stop(useRead)
	}
	if call, ok := stack[i-1].(*ast.CallExpr); !ok || call.Fun != sel {
		if selection.Kind() == types.MethodVal {
			return stop(useEscape) // a method value
		}
		return stop(useRead)
	}
	switch sel.Sel.Name {
	case "Release":
		return stop(useRelease)
	case "Use":
		return stop(useUse)
	}
	return stop(useRead)
}

func (toySpec) literal(c *checker, t types.Type, kv *ast.KeyValueExpr, field *types.Var) useKind {
	if field != nil {
		return useHold
	}
	return useEscape
}

func (toySpec) canCarry(t types.Type) bool { return true }

func (toySpec) nothingToRelease(*checker, *ast.BinaryExpr, *types.Var) bool { return false }

func (toySpec) holderFlags(*checker, types.Type) uint8 { return 0 }

// toyChecker type-checks toySrc with extra appended and returns a checker
// over it, with its only file.
func toyChecker(t *testing.T, extra string) (*checker, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "toy.go", toySrc+extra, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := newTypesInfo()
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), Sizes: types.SizesFor("gc", runtime.GOARCH)}
	pkg, err := conf.Check("toy", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	pass := testPass(fset, []*ast.File{f}, pkg, info, conf.Sizes, func(analysis.Diagnostic) {})
	return newChecker(pass, &Config{}), f
}

// markedIdent returns the cursor of the first identifier after the
// comment /*@*/ in f.
func markedIdent(t *testing.T, c *checker, f *ast.File) inspector.Cursor {
	t.Helper()
	for _, cg := range f.Comments {
		if cg.List[0].Text != "/*@*/" {
			continue
		}
		for cur := range c.root.Preorder((*ast.Ident)(nil)) {
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
		at   place  // where the resource sits in the marked variable
		want useKind
		into string // for useStore, the left-hand side
	}{
		{"release", "/*@*/ r.Release()", nil, useRelease, ""},
		{"release in parens", "(/*@*/ r).Release()", nil, useRelease, ""},
		{"use", "/*@*/ r.Use()", nil, useUse, ""},
		{"other method", "_ = /*@*/ r.Size()", nil, useRead, ""},
		{"method value", "g := /*@*/ r.Release; g()", nil, useEscape, ""},
		{"field", "_ = /*@*/ r.n", nil, useRead, ""},
		{"comparison", "if /*@*/ r == nil { return nil }", nil, useRead, ""},
		{"discard", "_ = /*@*/ r", nil, useRead, ""},
		{"copy", "q := /*@*/ r; q.Use()", nil, useStore, "q"},
		{"overwrite", "/*@*/ r = New(); r.Release()", nil, useOverwrite, ""},
		{"return", "return /*@*/ r", nil, useReturn, ""},
		{"send", "ch <- /*@*/ r", nil, useEscape, ""},
		{"callee that keeps", "keep(/*@*/ r)", nil, useEscape, ""},
		{"callee that reads", "show(/*@*/ r)", nil, useEscape, ""}, // show's summary knows nothing of toy resources
		{"printer", "fmt.Println(/*@*/ r)", nil, useRead, ""},
		{"called", "var g func(); g = func() {}; _ = g; /*@*/ r.Use()", nil, useUse, ""},
		{"in a holder", "x := Holder{R: /*@*/ r}; _ = x", nil, useStore, "x"},
		{"in a holder, returned", "return &Holder{R: /*@*/ r}", nil, useReturn, ""},
		{"in a slice", "_ = []*Res{/*@*/ r}", nil, useEscape, ""},
		{"holder's field", "/*@*/ h.R.Release()", place{"R"}, useRelease, ""},
		{"holder's other field", "_ = /*@*/ h.n", place{"R"}, useRead, ""},
		{"holder's address", "p := &/*@*/ h; _ = p", place{"R"}, useStore, "p"},
		{"holder's field replaced", "/*@*/ h.R = nil", place{"R"}, useReplace, ""},
		{"a field of the resource set", "/*@*/ r.n = 1", nil, useRead, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyChecker(t, "\nfunc f(r *Res, h Holder, ch chan *Res) any {\n"+tt.body+"\nreturn nil\n}\n")
			cur := markedIdent(t, c, f)
			fn, _ := enclosingFunc(cur)
			u := c.classify(toySpec{}, stackOf(cur, fn), tt.at, -1)
			if u.kind != tt.want {
				t.Errorf("kind %d, want %d", u.kind, tt.want)
			}
			if got := ""; tt.into != "" {
				if u.into != nil {
					got = types.ExprString(u.into)
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
		returnedAt place // nil: not returned
	}{
		{"released", "r := New(); r.Use(); defer r.Release(); return nil", []string{"r"}, 1, true, false, nil},
		{"dropped", "r := New(); r.Use(); return nil", []string{"r"}, 1, false, false, nil},
		{"through a copy", "r := New(); q := r; q.Use(); q.Release(); return nil", []string{"r", "q"}, 1, true, false, nil},
		{"through a holder", "r := New(); h := &Holder{R: r}; h.R.Use(); return nil", []string{"r", "h"}, 1, false, false, nil},
		{"into a fresh holder's field", "var h Holder; h.R = New(); h.R.Release(); return nil", []string{"h"}, 0, true, false, nil},
		{"returned in a holder", "return &Holder{R: New()}", nil, 0, false, false, place{"R"}},
		{"returned through a variable", "r, err := Open(); if err != nil { return nil }; return r", []string{"r"}, 0, false, false, place{}},
		{"stored in a global", "r := New(); global = r; return nil", []string{"r"}, 0, false, true, nil},
		{"captured", "r := New(); go func() { r.Use() }(); return nil", []string{"r"}, 0, false, true, nil},
		{"released by a closure", "r := New(); defer func() { r.Release() }(); r.Use(); return nil", []string{"r"}, 1, true, false, nil},
		{"passed on", "r := New(); keep(r); return nil", []string{"r"}, 0, false, true, nil},
		{"into a shared holder's field", "h := sharedHolder(); h.R = New(); return nil", nil, 0, false, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyChecker(t, "\nfunc sharedHolder() *Holder { return nil }\n\nfunc f() any {\n"+tt.body+"\n}\n")
			var fd *ast.FuncDecl
			for _, d := range f.Decls {
				if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "f" {
					fd = d
				}
			}
			fn, _ := c.root.FindNode(fd)
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
			fl := c.follow(toySpec{}, fn, start, result, place{}, 0)
			var vars []string
			for _, v := range fl.vars {
				vars = append(vars, v.Name())
			}
			if !slices.Equal(vars, tt.vars) {
				t.Errorf("vars %v, want %v", vars, tt.vars)
			}
			if len(fl.uses) != tt.uses || fl.released != tt.released || fl.escapes != tt.escapes {
				t.Errorf("uses %d, released %v, escapes %v; want %d, %v, %v", len(fl.uses), fl.released, fl.escapes, tt.uses, tt.released, tt.escapes)
			}
			if fl.returned != (tt.returnedAt != nil) || fl.returned && !slices.Equal(fl.returnedAt, tt.returnedAt) {
				t.Errorf("returned %v at %v, want at %v", fl.returned, fl.returnedAt, tt.returnedAt)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := toyChecker(t, "\nfunc f(c bool) error {\n"+tt.body+"\n}\n")
			fd := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
			def := fd.Body.List[0].(*ast.AssignStmt)
			info := c.pass.TypesInfo
			s := &pathSearch{
				tracked: tracked{c: c, s: toySpec{}, v: info.Defs[identOf(def.Lhs[0])].(*types.Var), at: place{}},
				g:       c.graph(fd.Body),
				sig:     fd.Type,
			}
			if errID := identOf(def.Lhs[1]); errID.Name != "_" {
				s.errVar = info.Defs[errID].(*types.Var)
			}
			leak, _ := s.search(def)
			got := ""
			if leak != nil {
				got = leak.kind
			}
			if got != tt.leak {
				t.Errorf("leak %q, want %q", got, tt.leak)
			}
		})
	}
}
