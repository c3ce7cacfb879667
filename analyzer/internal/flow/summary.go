package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
)

// Summaries holds the summaries of a package's functions, computed on
// first use, and of the functions of other packages, imported as facts.
type Summaries struct {
	e        *Engine
	funcs    []Func                 // this package's functions with bodies, in source order
	local    map[*types.Func]int    // the index of each in funcs
	lits     map[*ast.FuncLit]*Func // the function literals summarized so far
	imported map[*types.Func]*Fact  // the summaries imported so far
	sealed   map[*types.Func]*Fact  // the summaries of methods of sealed interfaces (see sealedSummary)
	nothing  Fact                   // the summary of a function nothing is known of
}

// A Func is a function of this package with a body, declared or a
// function literal, and its summary once computed.
type Func struct {
	Fn    *types.Func   // nil for a function literal
	Decl  *ast.FuncDecl // nil for a function literal
	Lit   *ast.FuncLit  // for a function literal
	sig   *types.Signature
	s     *Summaries
	cur   inspector.Cursor // the declaration's, once the syntax has a cursor
	state uint8            // unsummarized, summarizing (recursion), or summarized
	fact  Fact
}

// Sig returns the function's signature.
func (lf *Func) Sig() *types.Signature { return lf.sig }

// Node returns the function's declaration or literal.
func (lf *Func) Node() ast.Node {
	if lf.Lit != nil {
		return lf.Lit
	}
	return lf.Decl
}

// Body returns the function's body.
func (lf *Func) Body() *ast.BlockStmt {
	_, body := FuncParts(lf.Node())
	return body
}

// Type returns the function's syntactic signature.
func (lf *Func) Type() *ast.FuncType {
	t, _ := FuncParts(lf.Node())
	return t
}

const (
	unsummarized uint8 = iota
	summarizing
	summarized
)

// newSummaries returns the summaries of e's package, with its functions.
func newSummaries(e *Engine) *Summaries {
	pass := e.Pass
	decls := 0
	for _, f := range pass.Files {
		decls += len(f.Decls)
	}
	// Sized once: appending to a big slice would copy it again and again.
	s := &Summaries{e: e, imported: make(map[*types.Func]*Fact), funcs: make([]Func, 0, decls)}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fn := s.funcOf(d); fn != nil {
				s.funcs = append(s.funcs, Func{Fn: fn, Decl: d.(*ast.FuncDecl), sig: fn.Signature(), s: s})
			}
		}
	}
	return s
}

// funcOf returns the function that d declares, if d is a function
// declaration with a body.
func (s *Summaries) funcOf(d ast.Node) *types.Func {
	fd, ok := d.(*ast.FuncDecl)
	if !ok || fd.Body == nil {
		return nil
	}
	fn, _ := s.e.Info.Defs[fd.Name].(*types.Func)
	return fn
}

// LocalFunc returns the entry of fn among the package's functions, or
// nil if fn is not a function of this package with a body. The index is
// built on first use: many packages never call their own functions in a
// way that needs it.
func (s *Summaries) LocalFunc(fn *types.Func) *Func {
	if s.local == nil {
		s.local = make(map[*types.Func]int, len(s.funcs))
		for i, lf := range s.funcs {
			s.local[lf.Fn] = i
		}
	}
	if i, ok := s.local[fn]; ok {
		return &s.funcs[i]
	}
	return nil
}

// Summary returns what is known of fn: computed for a function of this
// package, imported as a fact for another. It never returns nil; a
// function still being summarized (recursion) is assumed to do nothing.
// Callers must not modify the summary.
func (s *Summaries) Summary(fn *types.Func) *Fact {
	if fn == nil {
		return &s.nothing
	}
	fn = fn.Origin()
	if fn.Pkg() != s.e.Pass.Pkg || s.e.opts.LocalFacts {
		f, ok := s.imported[fn]
		if !ok {
			f = new(Fact)
			if fn.Pkg() == nil || !s.e.opts.Facts(fn, f) {
				f = &s.nothing
			}
			s.imported[fn] = f
		}
		return f
	}
	lf := s.LocalFunc(fn)
	if lf == nil {
		return s.sealedSummary(fn) // no body: a method of an interface, or assembly
	}
	return s.summarize(lf)
}

// LiteralSummary returns the summary of the function literal at lit, a
// cursor of this package's syntax, computed on first use: what it does
// with its parameters and hands back in its results, as a function's
// summary says (none is kept once the pass ends).
func (s *Summaries) LiteralSummary(lit inspector.Cursor) *Fact {
	fl, ok := lit.Node().(*ast.FuncLit)
	if !ok {
		return &s.nothing
	}
	lf := s.lits[fl]
	if lf == nil {
		sig, ok := s.e.Info.TypeOf(fl).(*types.Signature)
		if !ok {
			return &s.nothing
		}
		if s.lits == nil {
			s.lits = make(map[*ast.FuncLit]*Func)
		}
		lf = &Func{Lit: fl, sig: sig, s: s, cur: lit}
		s.lits[fl] = lf
	}
	return s.summarize(lf)
}

// CallSummary returns the summary of what call calls: a function or
// method, a function value that FuncValue resolves, or a func variable
// of another package, set once to a func literal, whose package says
// what it does (dep.Open(name), var Open = func(name string) *Resource
// {...}: see ExportFuncVars).
func (s *Summaries) CallSummary(call *ast.CallExpr) *Fact {
	if fn := CalleeFunc(s.e.Info, call); fn != nil {
		return s.Summary(fn)
	}
	fn, lit := s.e.FuncValue(call)
	if lit != nil {
		return s.FuncLitSummary(lit)
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn == nil {
		if v, ok := s.e.Info.Uses[sel.Sel].(*types.Var); ok && v.Kind() == types.PackageVar && len(s.e.WritesTo(v)) == 0 {
			return s.e.VarFact(v) // (unless this package gives it another value)
		}
	}
	return s.Summary(fn)
}

// ExportFuncVars exports, for each exported package-level variable of a
// func type that the package gives one func literal where it declares it
// and never another, the literal's summary as a fact on the variable.
func (s *Summaries) ExportFuncVars() {
	scope := s.e.Pass.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !v.Exported() {
			continue
		}
		if _, isFunc := v.Type().Underlying().(*types.Signature); !isFunc {
			continue
		}
		rhs, zero, ok := s.e.Origin(v)
		lit, isLit := ast.Unparen(rhs).(*ast.FuncLit)
		if !ok || zero || !isLit {
			continue
		}
		if f := s.FuncLitSummary(lit); !f.empty() {
			s.e.Pass.ExportObjectFact(v, f)
		}
	}
}

// FuncLitSummary is LiteralSummary for the function literal lit, found
// wherever it is in this package's syntax.
func (s *Summaries) FuncLitSummary(lit *ast.FuncLit) *Fact {
	return s.LiteralSummary(s.litCursor(lit))
}

// summarize returns the summary of lf, computed on first use.
func (s *Summaries) summarize(lf *Func) *Fact {
	switch lf.state {
	case summarizing:
		return &s.nothing // recursion: assume nothing
	case summarized:
		return &lf.fact
	}
	lf.state = summarizing
	f := &lf.fact
	f.NoReturn = s.EndsInNoReturn(lf.Body())
	forwards(s.e.Info, lf, f)
	for _, sum := range s.e.Summarizers {
		sum(lf, f)
	}
	lf.state = summarized
	return f
}

// ExportFacts summarizes every function of the package and exports the
// summaries that say something. A main package (a command, or the main
// that go test generates) is imported by nobody: it exports nothing.
func (s *Summaries) ExportFacts() {
	pass := s.e.Pass
	if pass.Pkg.Name() == "main" {
		return
	}
	for i := range s.funcs {
		lf := &s.funcs[i]
		if f := s.summarize(lf); !f.empty() {
			export := *f // a copy: the fact outlives this pass, and lf holds the syntax
			pass.ExportObjectFact(lf.Fn, &export)
		}
	}
}

// EndsInNoReturn reports whether body has no return statement and its
// last statement is a call that never returns: then every path through
// the function ends in that call (or another that never returns).
func (s *Summaries) EndsInNoReturn(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	last, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(last.X).(*ast.CallExpr)
	if !ok || s.MayReturn(call) {
		return false
	}
	return len(ReturnsOf(body)) == 0
}

// MayReturn reports whether call may return normally: it is not a call
// of panic, of a function the hooks know never returns, or of one whose
// summary (computed here or imported as a fact) says so.
func (s *Summaries) MayReturn(call *ast.CallExpr) bool {
	info := s.e.Info
	if id := IdentOf(call.Fun); id != nil {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return false
		}
	}
	fn := CalleeFunc(info, call)
	if fn == nil {
		return true
	}
	if s.e.hooks.NeverReturns(fn) {
		return false
	}
	return !s.Summary(fn).NoReturn
}

// failsTest reports whether the statement n is a call that fails a test
// and goes on (Hooks.FailsTest): a path past it needs no release.
func failsTest(e *Engine, n ast.Node) bool {
	es, ok := n.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	return ok && e.hooks.FailsTest(CalleeFunc(e.Info, call))
}

// forwards records in f the func parameters of lf whose results lf
// returns as its own, as a generic retry helper does: some return gives
// back, as result r, a call of the parameter or a variable it assigned
// from one (result k of the call).
//
//	func Retry[T any](ctx context.Context, operation Operation[T], opts ...RetryOption) (T, error) {
//		...
//		res, err := operation()
//		if err == nil {
//			return res, nil
//		}
func forwards(info *types.Info, lf *Func, f *Fact) {
	params := lf.Sig().Params()
	funcParam := make(map[*types.Var]int) // the func parameters, by index
	for i := range params.Len() {
		if _, ok := params.At(i).Type().Underlying().(*types.Signature); ok && params.At(i).Name() != "" {
			funcParam[params.At(i)] = i
		}
	}
	if len(funcParam) == 0 {
		return // the common case
	}
	callOf := func(e ast.Expr) (int, bool) { // the index of the func parameter e calls
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return 0, false
		}
		v, _ := info.Uses[IdentOf(call.Fun)].(*types.Var)
		i, ok := funcParam[v]
		return i, ok && v != nil
	}
	type origin struct {
		param, result int
		path          string // where the call's result sits in the value
	}
	var inLit func(e ast.Expr, path string) (origin, bool)
	inLit = func(e ast.Expr, path string) (origin, bool) { // &Config{Transport: fn()}
		if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X
		}
		lit, ok := ast.Unparen(e).(*ast.CompositeLit)
		if !ok {
			return origin{}, false
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			if i, ok := callOf(kv.Value); ok {
				return origin{i, 0, path + key.Name}, true
			}
			if o, ok := inLit(kv.Value, path+key.Name+"."); ok {
				return o, true
			}
		}
		return origin{}, false
	}
	bound := make(map[*types.Var]origin) // variables assigned a result of a call of a func parameter, or a value that holds one
	bind := func(lhs, rhs ast.Expr) {
		v, ok := info.ObjectOf(IdentOf(lhs)).(*types.Var)
		if !ok {
			if sel, isSel := ast.Unparen(lhs).(*ast.SelectorExpr); isSel {
				if i, ok := callOf(rhs); ok && VarOf(info, sel.X) != nil {
					bound[VarOf(info, sel.X)] = origin{i, 0, sel.Sel.Name} // c.Transport = fn(); return c
				}
			}
			return
		}
		if o, ok := inLit(rhs, ""); ok {
			bound[v] = o
		}
	}
	kept := make(map[*types.Var]bool) // bound variables also stored where they outlive the call: c.m[key] = v
	keep := func(e ast.Expr) {
		if v := VarOf(info, e); v != nil {
			if _, ok := bound[v]; ok {
				kept[v] = true
			}
		}
	}
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ValueSpec:
			if len(n.Names) == 1 && len(n.Values) == 1 {
				bind(n.Names[0], n.Values[0])
			}
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 {
				break
			}
			if i, ok := callOf(n.Rhs[0]); ok && IdentOf(n.Lhs[0]) != nil {
				for k, lhs := range n.Lhs {
					if v, ok := info.ObjectOf(IdentOf(lhs)).(*types.Var); ok {
						bound[v] = origin{i, k, ""}
					}
				}
				break
			}
			if len(n.Lhs) == 1 {
				if IdentOf(n.Lhs[0]) == nil {
					keep(n.Rhs[0])
				}
				bind(n.Lhs[0], n.Rhs[0])
			}
		case *ast.SendStmt:
			keep(n.Value)
		case *ast.ReturnStmt:
			for r, e := range n.Results {
				if t := lf.Sig().Results(); len(n.Results) == t.Len() && !mayHold(t.At(r).Type()) {
					continue // an error, a number, a string: it holds no resource
				}
				o, ok := bound[VarOf(info, e)]
				if kept[VarOf(info, e)] {
					continue // the caller's to use, not to release
				}
				if i, direct := callOf(e); direct && len(n.Results) == 1 {
					o, ok = origin{i, r, ""}, true // return operation()
				} else if lo, lit := inLit(e, ""); lit {
					o, ok = lo, true // return &Config{Transport: fn()}
				}
				if ok && !slices.ContainsFunc(f.Params, func(p ParamFact) bool { return p.Index == o.param && p.Result == r }) {
					f.Params = append(f.Params, ParamFact{Index: o.param, Effect: Forwards, Result: r, From: o.result, Path: o.path})
				}
			}
		}
		return true
	})
}

// mayHold reports whether a value of type t could hold a resource: not an
// error, nor a value of a basic type.
func mayHold(t types.Type) bool {
	if IsErrorType(t) {
		return false
	}
	_, basic := t.Underlying().(*types.Basic)
	return !basic
}

// ParametricForwards returns what fn's generic signature alone says it
// forwards, whatever its body (an interface's method has none): a
// result whose type is a type parameter T that no method nor type term
// constrains, and a func parameter with a result of type T. Such a
// function cannot close or otherwise consume a T it gets from the func:
// it can only drop it, hand it to other code, or return it, and what it
// returns is then the caller's.
//
//	type Executor[R any] interface {
//		Get(fn func() (R, error)) (R, error)   // param0 forwards(0<-0)
//	}
func ParametricForwards(fn *types.Func) []ParamFact {
	if fn == nil {
		return nil
	}
	sig := fn.Origin().Signature()
	var facts []ParamFact
	for r := range sig.Results().Len() {
		t, ok := types.Unalias(sig.Results().At(r).Type()).(*types.TypeParam)
		if !ok {
			continue
		}
		if c := t.Underlying().(*types.Interface); !c.IsMethodSet() || c.NumMethods() > 0 {
			continue // it may call Close, or know the type
		}
		for i := range sig.Params().Len() {
			fs, ok := sig.Params().At(i).Type().Underlying().(*types.Signature)
			if !ok {
				continue
			}
			for from := range fs.Results().Len() {
				if types.Identical(fs.Results().At(from).Type(), t) {
					facts = append(facts, ParamFact{Index: i, Effect: Forwards, Result: r, From: from})
				}
			}
		}
	}
	return facts
}
