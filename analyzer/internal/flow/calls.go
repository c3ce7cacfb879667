package flow

import (
	"go/ast"
	"go/types"
	"slices"
)

// This file says what a call does with a value passed to it: what the
// callee's summary says of the parameter, or, for a function literal
// called in place, what its body does.

// callEffects turns the summaries of callees into steps of the values
// passed to them.
type callEffects struct{ *Summaries }

// argEffect says what passing e, which holds the resource at p, as an
// argument of call does to the resource: it only reads it (the
// parameter's type cannot take it over, or the callee is known to only
// read it), the callee's summary says what it does (uses, releases,
// returns it in a result: climb on), or it escapes into the callee.
func (sm callEffects) argEffect(s Spec, call *ast.CallExpr, e ast.Expr, p Place) Step {
	for k, a := range call.Args {
		if ast.Unparen(a) == e || a == e {
			return sm.ParamEffect(s, call, k, p)
		}
	}
	return Stop(UseEscape)
}

// ParamEffect is argEffect for the k-th argument of call.
func (sm callEffects) ParamEffect(s Spec, call *ast.CallExpr, k int, p Place) Step {
	info := sm.e.Info
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return Stop(UseEscape) // a conversion: the value lives on
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return Stop(UseEscape)
	}
	params := sig.Params()
	n := params.Len()
	idx := k
	var pt types.Type
	switch {
	case sig.Variadic() && k >= n-1:
		idx = n - 1
		pt = params.At(n - 1).Type().(*types.Slice).Elem()
		if call.Ellipsis.IsValid() && !s.CanCarry(pt) {
			return Stop(UseEscape) // f(xs...): the slice itself, of values that cannot carry it
		}
	case k < n:
		pt = params.At(k).Type()
	default:
		return Stop(UseEscape)
	}
	if k == 0 && IsBuiltin(info, call, "append") {
		if sl, ok := pt.Underlying().(*types.Slice); ok {
			pt = sl.Elem() // append(held, x): the slice's elements go into the new one
		}
	}
	if !s.CanCarry(pt) {
		if fn := CalleeFunc(info, call); len(p) == 0 && fn != nil && (sm.e.hooks.Drains(fn, idx) || sm.Summary(fn).Param(idx, s.Kind()).Effect == Drains) {
			return Stop(UseDrain) // io.ReadAll(resp.Body), mustRead(resp.Body): an io.Reader, read to its end
		}
		return Stop(UseRead)
	}
	if id := IdentOf(call.Fun); id != nil {
		if _, ok := info.Uses[id].(*types.Builtin); ok {
			if IsBuiltin(info, call, "append") {
				return Step{Climb: true, Call: true} // the new slice holds it
			}
			if IsBuiltin(info, call, "len") || IsBuiltin(info, call, "cap") {
				return Stop(UseRead) // len(held)
			}
			return Stop(UseEscape)
		}
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && !sig.Variadic() {
		return sm.literalParamEffect(s, lit, idx, p)
	}
	fn := CalleeFunc(info, call)
	var lit *ast.FuncLit
	if fn == nil {
		if fn, lit = sm.FuncValue(call); lit != nil && !sig.Variadic() {
			return sm.literalParamEffect(s, lit, idx, p) // check := func(r *Res) ...; check(r)
		}
	}
	if fn == nil {
		return Step{Kind: UseEscape, Call: true, Hook: lit == nil} // a func value
	}
	if sm.e.hooks.OnlyReads(fn) {
		return Stop(UseRead)
	}
	if holder, ok := sm.e.hooks.StoresInto(fn, idx); ok {
		return Step{Kind: UseStore, Into: true, Holder: holder}
	}
	st := sm.EffectAt(s, call, sm.Summary(fn).Param(idx, s.Kind()), p)
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) && st.Kind == UseEscape && st.Call && !st.Climb {
		st.Hook = true // a method of an interface that nothing is known of: code we cannot see, as a func value's
	}
	return st
}

// literalParamEffect says what the function literal lit, called in place,
// does with its parameter idx, given the resource at p in the argument:
// judged by its body, as a function's summary would be. A parameter of a
// type that Spec places nothing in (a struct of the program's, given
// whole) holds it where the argument does.
//
//	defer func(x *Res) { fmt.Println(x) }(r)    only reads: the caller still owes the release
//	handle := func(re result) (*Res, error) { return re.res, nil }   // returns it
func (sm callEffects) literalParamEffect(s Spec, lit *ast.FuncLit, idx int, p Place) Step {
	info := sm.e.Info
	var v *types.Var
	i := 0
	for _, field := range lit.Type.Params.List {
		for _, name := range field.Names {
			if i == idx {
				v, _ = info.Defs[name].(*types.Var)
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	if v == nil {
		return Stop(UseRead) // unnamed or _: never used
	}
	at := s.ParamPlace(v.Type())
	if len(at) == 0 {
		at = p
	}
	kind := UseRead
	InspectStack(lit.Body, func(stack []ast.Node) bool {
		if id, ok := stack[len(stack)-1].(*ast.Ident); ok && info.Uses[id] == v {
			switch u := sm.e.Classify(s, stack, at, -1); u.Kind {
			case UseRead, UseDrop:
			case UseRelease:
				kind = max(kind, UseRelease)
			default:
				kind = UseEscape
			}
		}
		return kind != UseEscape
	})
	return Stop(kind)
}

// EffectAt turns what a callee's summary says of a parameter, or of its
// receiver, into a step of the value passed there by call, whose
// resource sits at p in it.
func (sm callEffects) EffectAt(s Spec, call *ast.CallExpr, pf ParamFact, p Place) Step {
	st := sm.effectAt(call, pf, p)
	if pf.Effect&Fills != 0 && pf.Effect&Keeps == 0 && pf.Index >= 0 {
		holds, known := sm.e.HoldsAt(call, pf.When)
		st.Filled = pf.When.Param == 0 || holds && known // filled when the argument says it has none
	}
	return st
}

// effectAt is EffectAt but for the fill.
func (sm callEffects) effectAt(call *ast.CallExpr, pf ParamFact, p Place) Step {
	e := pf.Effect
	if pf.Default != "" && hasPrefix(p, SplitPath(pf.Default)) {
		if holds, known := sm.e.HoldsAt(call, pf.DefaultWhen); known && !holds {
			return Stop(UseRead) // a default that the argument overrides: never used
		}
	}
	switch {
	case pf.Sets != "" && hasPrefix(p, SplitPath(pf.Sets)) && sm.setsAt(call, pf):
		return Stop(UseReplace) // the field that holds it gets another value
	case e&Keeps != 0:
		return Stop(UseEscape)
	case e&ReleasesOnError != 0 && e&ReleasesIfTrue != 0:
		return Stop(UseReleaseEither)
	case e&ReleasesOnError != 0:
		return Stop(UseReleaseOnError)
	case e&Drains != 0:
		return Stop(UseDrain)
	case e&ReleasesIfTrue != 0:
		return Stop(UseReleaseIfTrue)
	case e&ReleasesIfFalse != 0:
		return Stop(UseReleaseIfFalse)
	case e&Replaces != 0:
		return Stop(UseReplace)
	case e&Releases != 0:
		if pf.When.Param == 0 {
			return Stop(UseRelease)
		}
		// A callee that releases it only under a condition its argument
		// does not decide may not release it: the caller still owes it.
		if holds, known := sm.e.HoldsAt(call, pf.When); known && holds {
			return Stop(UseRelease)
		}
		return Stop(UseRead)
	case e&Returns != 0:
		// (And Into: the holder it is stored into is the result, for
		// a caller that drops it.)
		return Step{Climb: true, Call: true, At: SplitPath(pf.Path), Result: pf.Result, Used: e&Uses != 0, Into: e&Into != 0, Holder: pf.Holder}
	case e&Into != 0:
		return Step{Kind: UseStore, Into: true, Holder: pf.Holder, At: SplitPath(pf.Path), Used: e&Uses != 0}
	case e&Uses != 0:
		return Stop(UseUse)
	case e&Shows != 0:
		return Step{Kind: UseEscape, Call: true, Hook: true} // as if the caller called the hook
	case e&(Borrows|Fills) != 0:
		return Stop(UseRead)
	}
	return Step{Kind: UseEscape, Call: true} // nothing known of it
}

// setsAt reports whether call, a call of a setter that pf says sets a
// field, sets it: always, or when the argument passes its test.
func (sm callEffects) setsAt(call *ast.CallExpr, pf ParamFact) bool {
	if pf.SetsWhen.Param == 0 {
		return true
	}
	holds, known := sm.e.HoldsAt(call, pf.SetsWhen)
	return known && holds
}

// hasPrefix reports whether p starts with the fields of prefix.
func hasPrefix(p, prefix Place) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}
