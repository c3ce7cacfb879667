package flow

import (
	"go/ast"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/ast/inspector"
)

// The summaries of calls whose callee has no body to read (interface
// methods, generic signatures) and what Follow lists for a summary to
// judge, tested on the toy resource of flow_test.go.

// TestConcrete: a call of an interface method through a variable given
// one concrete value where it is declared runs that value's method;
// through an exported package variable, another package may have given
// it another value.
func TestConcrete(t *testing.T) {
	tests := []struct {
		name string
		code string // declarations, then func f() whose only call of Make is tested
		want string // the receiver type of the method run, "" for none
	}{
		{"unexported variable", "var mk Maker = maker{}\nfunc f() { mk.Make() }", "maker"},
		{"pointer", "var mk Maker = &maker{}\nfunc f() { mk.Make() }", "maker"},
		{"local variable", "func f() { var m Maker = maker{}; m.Make() }", "maker"},
		{"exported variable", "var Mk Maker = maker{}\nfunc f() { Mk.Make() }", ""},
		{"assigned again", "var mk Maker = maker{}\nfunc init() { mk = other{} }\nfunc f() { mk.Make() }", ""},
		{"parameter", "func f(m Maker) { m.Make() }", ""},
		{"interface value", "var mk Maker = Maker(nil)\nfunc f() { mk.Make() }", ""},
	}
	const decls = "\ntype Maker interface{ Make() *Res }\ntype maker struct{}\nfunc (maker) Make() *Res { return New() }\ntype other struct{}\nfunc (other) Make() *Res { return nil }\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := toyEngine(t, decls+tt.code+"\n")
			var got string
			for cur := range c.Root().Preorder((*ast.CallExpr)(nil)) {
				call := cur.Node().(*ast.CallExpr)
				fn := CalleeFunc(c.Info, call)
				if fn == nil || fn.Name() != "Make" {
					continue
				}
				if impl := c.Concrete(call, fn); impl != nil {
					got = types.TypeString(impl.Signature().Recv().Type(), func(*types.Package) string { return "" })
					got = strings.TrimPrefix(got, "*")
				}
			}
			if got != tt.want {
				t.Errorf("Concrete: %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSealedSummary: a method of an interface that only its package can
// implement says what all the package's implementations say alike (here
// the engine's own Forwards); nothing when they differ, or when another
// package could implement the interface.
func TestSealedSummary(t *testing.T) {
	const (
		fwd  = "type fwd struct{}\nfunc (fwd) M(f func() (*Res, error), _ K) (*Res, error) { return f() }\n"
		fwd2 = "type fwd2 struct{}\nfunc (*fwd2) M(f func() (*Res, error), _ K) (*Res, error) { r, err := f(); return r, err }\n"
		own  = "type own struct{}\nfunc (own) M(f func() (*Res, error), _ K) (*Res, error) { return New(), nil }\n"
	)
	tests := []struct {
		name    string
		code    string // I, an interface with a method M(func() (*Res, error), K), its key type K and implementations
		forward bool
	}{
		{"unexported method, all forward", "type K int\ntype I interface{ M(func() (*Res, error), K) (*Res, error); seal() }\nfunc (fwd) seal() {}\nfunc (*fwd2) seal() {}\n" + fwd + fwd2, true},
		{"unexported method, one does not", "type K int\ntype I interface{ M(func() (*Res, error), K) (*Res, error); seal() }\nfunc (fwd) seal() {}\nfunc (own) seal() {}\n" + fwd + own, false},
		{"unexported parameter type", "type K = key\ntype key int\ntype I interface{ M(func() (*Res, error), key) (*Res, error) }\n" + fwd + fwd2, true},
		{"open to other packages", "type K int\ntype I interface{ M(func() (*Res, error), K) (*Res, error) }\n" + fwd + fwd2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := toyEngine(t, tt.code)
			iface := c.Pass.Pkg.Scope().Lookup("I").Type().Underlying().(*types.Interface)
			var m *types.Func
			for fn := range iface.Methods() {
				if fn.Name() == "M" {
					m = fn
				}
			}
			got := false
			for _, p := range c.Summary(m).Params {
				got = got || p.Index == 0 && p.Effect&Forwards != 0
			}
			if got != tt.forward {
				t.Errorf("forwards %v, want %v (summary %v)", got, tt.forward, c.Summary(m))
			}
		})
	}
}

// TestParametricForwards: a method of a generic interface (no body) or a
// generic function forwards what its func parameter returns when the
// type of that result is a type parameter that no method or type term
// constrains, and the function returns one; not when it may call a
// method of it (Close), nor for a result of another type.
func TestParametricForwards(t *testing.T) {
	tests := []struct {
		name, code string
		want       string // the facts' String, joined
	}{
		{"interface method", "type I[R any] interface{ Get(n int, fn func() (R, error)) (R, error) }", "param1:forwards(0<-0)"},
		{"with an argument", "type E[R any] interface{ Attempt() R }\ntype I[R any] interface{ Get(fn func(E[R]) (R, error)) (R, error) }", "param0:forwards(0<-0)"},
		{"generic function", "type I interface{ Get() }\nfunc F[T any](a func() (int, T)) T { _, t := a(); return t }", "param0:forwards(0<-1)"},
		{"closer constraint", "type I[R interface{ Release() }] interface{ Get(fn func() (R, error)) (R, error) }", ""},
		{"type term", "type I[R ~*Res] interface{ Get(fn func() (R, error)) (R, error) }", ""},
		{"other result type", "type I[R any] interface{ Get(fn func() (R, error)) (*Res, error) }", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := toyEngine(t, tt.code)
			var fn *types.Func
			if f, ok := c.Pass.Pkg.Scope().Lookup("F").(*types.Func); ok {
				fn = f
			} else {
				fn = c.Pass.Pkg.Scope().Lookup("I").Type().Underlying().(*types.Interface).Method(0)
			}
			var got []string
			for _, p := range ParametricForwards(fn) {
				got = append(got, (&Fact{Params: []ParamFact{p}}).String())
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("%s: got %q, want %q", fn, got, tt.want)
			}
		})
	}
}

// TestHandedBack: with HandedBack, a value passed to a func value of
// unknown origin (a hook) is listed in Hooks, not an escape, and
// ReturnsFrom gives the returns a path from that call reaches.
func TestHandedBack(t *testing.T) {
	tests := []struct {
		name    string
		body    string // the body of func f(hooks []func(*Res), cb func(*Res), ok bool) *Res; its first call of New is followed
		hooks   int
		escapes bool
		returns int // the returns a path from the first hook's call reaches
	}{
		{"ranged", "r := New(); for _, h := range hooks { h(r) }; return r", 1, false, 1},
		{"field of a param", "r := New(); if ok { return nil }; cb(r); if !ok { return r }; return r", 1, false, 2},
		{"before another return", "r := New(); cb(r); if ok { return nil }; return r", 1, false, 2},
		{"a known function", "r := New(); keep(r); return r", 0, true, 0},
		{"a goroutine", "r := New(); go cb(r); return r", 0, true, 0},
		{"deferred", "r := New(); defer cb(r); return r", 0, true, 0},
		{"a literal", "r := New(); func(x *Res) { keep(x) }(r); return r", 0, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := toyEngine(t, "func f(hooks []func(*Res), cb func(*Res), ok bool) *Res {\n"+tt.body+"\n}\n")
			var fn, start inspector.Cursor
			for cur := range c.Root().Preorder((*ast.FuncDecl)(nil)) {
				if cur.Node().(*ast.FuncDecl).Name.Name == "f" {
					fn = cur
				}
			}
			for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
				if IdentOf(cur.Node().(*ast.CallExpr).Fun).Name == "New" {
					start = cur
					break
				}
			}
			fl := c.Follow(toySpec{}, fn, start, -1, Place{}, HandedBack)
			if len(fl.Hooks) != tt.hooks || fl.Escapes != tt.escapes {
				t.Fatalf("hooks %d, escapes %v; want %d, %v", len(fl.Hooks), fl.Escapes, tt.hooks, tt.escapes)
			}
			if tt.hooks == 0 {
				return
			}
			rets, ok := c.ReturnsFrom(fn.Node().(*ast.FuncDecl).Body, fl.Hooks[0])
			if !ok || len(rets) != tt.returns {
				t.Errorf("ReturnsFrom: %d returns (ok %v), want %d", len(rets), ok, tt.returns)
			}
		})
	}
}
