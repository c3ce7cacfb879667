package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// This file says what one node of a path does to a tracked variable:
// the uses in it (scan), what a condition tells of the resource and of
// the call's error (assume).

// A tracked is a variable that holds a resource, as the path search
// follows it, and the local variables it is copied into on the way.
type tracked struct {
	c     *Engine
	s     Spec
	stack []ast.Node // scratch stack for use scans
	into  uint8      // scratch: the holders a scan saw the resource stored into
	aliases
	local *ast.BlockStmt // the body the holders must be declared in

	withError     bool   // the resource may come with a non-nil error: an error check does not prune
	onlyWithError bool   // and only with one: a nil error says there is none
	errField      string // see Target.ErrField
}

// The aliases of a tracked resource: the variable, its error, and the
// local variables that got the resource on the way.
type aliases struct {
	v      *types.Var // the variable
	at     Place      // where the resource sits in v
	errVar *types.Var // the call's error result, if bound

	// Local variables that got the resource on the way: a copy, a struct
	// of the user's holding it (their mentions are mentions of it), and
	// function literals that release it (calling one releases it).
	holders []heldIn
	closers []*types.Var
}

// A heldIn is a local variable that holds the resource, at at.
type heldIn struct {
	v  *types.Var
	at Place
}

// mentioned reports whether name may name a tracked variable (a cheap
// test before the lookup).
func (t *aliases) mentioned(name string) bool {
	if name == t.v.Name() || t.errVar != nil && name == t.errVar.Name() {
		return true
	}
	for _, h := range t.holders {
		if h.v.Name() == name {
			return true
		}
	}
	for _, f := range t.closers {
		if f.Name() == name {
			return true
		}
	}
	return false
}

// A scanned is what one node does to the resource and its variables.
type scanned struct {
	ev     Event
	deref  bool          // a variable was used as non-nil
	unlink bool          // the error variable was overwritten
	call   *ast.CallExpr // for evReleaseOnError, the call that releases it on error
	over   uint8         // the aliases overwritten (see pathState.dead)
	kept   uint8         // the aliases given back what they hold: h = append(h, x)
	into   uint8         // the holders the resource was stored into
}

// scan classifies the uses in n of the variable and its holders (but
// those in dead, overwritten on this path already), and of the error
// variable.
func (t *tracked) scan(n ast.Node, dead uint8) scanned {
	info := t.c.Info
	var r scanned
	t.stack, t.into = t.stack[:0], 0
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			t.stack = t.stack[:len(t.stack)-1]
			return true
		}
		t.stack = append(t.stack, x)
		id, ok := x.(*ast.Ident)
		if !ok || !t.mentioned(id.Name) {
			return true // not a mention of any (a cheap test before the lookup)
		}
		obj := info.ObjectOf(id)
		if k, at, ok := t.alias(obj); ok {
			if dead&(1<<k) != 0 {
				return true // another value by now
			}
			e, call, deref := t.use(obj, at)
			r.deref = r.deref || deref
			switch {
			case e == evKeep:
				r.kept |= 1 << k
			case e == EvOverwrite:
				r.over |= 1 << k
			case e > r.ev:
				r.ev, r.call = e, call
			}
			return true
		}
		v, _ := obj.(*types.Var)
		switch {
		case v == nil:
		case slices.Contains(t.closers, v):
			if call, ok := t.stack[len(t.stack)-2].(*ast.CallExpr); ok && call.Fun == id && len(call.Args) == 0 {
				r.ev = max(r.ev, EvRelease) // calling a closer, or deferring the call
			} else {
				r.ev = max(r.ev, EvHandoff) // handed on: it may be called anywhere
			}
		case v == t.errVar:
			if len(t.stack) < 2 {
				break // n is err itself (a condition "if err", in broken code)
			}
			if as, ok := t.stack[len(t.stack)-2].(*ast.AssignStmt); ok && ContainsExpr(as.Lhs, id) {
				r.unlink = true
			}
		}
		return true
	})
	r.over &^= r.kept
	r.into = t.into
	return r
}

// maxHolders bounds the local variables a search follows the resource
// into: a store into more counts as a hand-off.
const maxHolders = 7

// alias returns the index of obj among the variable (0) and its holders
// (1...), and where it holds the resource.
func (t *aliases) alias(obj types.Object) (int, Place, bool) {
	if obj == nil {
		return 0, nil, false
	}
	if obj == t.v {
		return 0, t.at, true
	}
	for i, h := range t.holders {
		if h.v == obj {
			return i + 1, h.at, true
		}
	}
	return 0, nil, false
}

// allDead reports whether dead holds every alias of the resource.
func (t *aliases) allDead(dead uint8) bool {
	all := uint8(1)<<(len(t.holders)+1) - 1
	return dead&all == all
}

// use classifies the mention at the top of t.stack of obj, the variable
// or a holder, which holds the resource at at: a copy into a local
// variable makes it a holder; a function literal assigned to a local
// variable that releases the resource makes it a closer.
func (t *tracked) use(obj types.Object, at Place) (Event, *ast.CallExpr, bool) {
	info := t.c.Info
	if lit, lhs := inClosure(t.stack); lit >= 0 {
		u := t.c.Classify(t.s, t.stack, at, -1)
		if u.Kind != UseRelease {
			return EventOf(u.Kind), nil, u.Deref
		}
		if f, ok := info.ObjectOf(IdentOf(lhs)).(*types.Var); ok && f.Name() != "_" {
			t.closers = appendNew(t.closers, f)
		}
		return EvRead, nil, u.Deref // made, not called: _ = func() { r.Release() } releases nothing
	}
	u := t.c.Classify(t.s, t.stack, at, -1)
	if u.Closer { // a method value of the release method: released where it is called
		f := LocalAssignedTo(info, t.stack, u.Node)
		if f == nil {
			return EvHandoff, nil, u.Deref // handed on: it may be called anywhere
		}
		t.closers = appendNew(t.closers, f)
		return EvRead, nil, u.Deref // made, not called
	}
	if u.Kind == UseStore && t.local != nil && len(t.holders) < maxHolders {
		h, hat := holderOf(t.c, t.s, u.Into, u.At)
		if h == obj && slices.Equal(hat, at) {
			return evKeep, nil, u.Deref // h = append(h, x): still held, where it was
		}
		if h != nil && h.Name() != "_" && PosIn(h.Pos(), t.local) && h != obj {
			k, _, held := t.alias(h)
			if !held {
				t.holders = append(t.holders, heldIn{h, hat})
				k = len(t.holders)
			}
			t.into |= 1 << k
			return EvRead, nil, u.Deref
		}
	}
	call, _ := u.Node.(*ast.CallExpr)
	return EventOf(u.Kind), call, u.Deref
}

// appendNew appends v to vs unless vs holds it.
func appendNew(vs []*types.Var, v *types.Var) []*types.Var {
	if slices.Contains(vs, v) {
		return vs
	}
	return append(vs, v)
}

// holderOf returns the variable that a store into lhs puts the resource
// in, and where it then sits in it: lhs itself, or x for x.f (x.f.g) when
// x is a holder of the function's own (declared with a new value, never
// assigned again) whose field the spec lets hold the resource.
//
//	r := &fetched{}
//	r.resp = resp
func holderOf(c *Engine, s Spec, lhs ast.Expr, at Place) (*types.Var, Place) {
	info := c.Info
	if h, ok := info.ObjectOf(IdentOf(lhs)).(*types.Var); ok {
		return h, at
	}
	e, fields, ok := FieldChain(info, lhs)
	if !ok {
		return nil, nil
	}
	x, ok := info.ObjectOf(IdentOf(e)).(*types.Var)
	if !ok || len(fields) == 0 || s.Literal(x.Type(), nil, FieldOf(info, firstSelector(lhs))) != UseHold {
		return nil, nil
	}
	rhs, zero, ok := c.Origin(x)
	switch {
	case !ok:
		return nil, nil // assigned again: maybe a shared value
	case zero:
		if IsPointerType(x.Type()) || !IsStructType(x.Type()) {
			return nil, nil
		}
	case rhs == nil || !c.IsNew(rhs, 0):
		return nil, nil
	}
	return x, append(fields, at...)
}

// inClosure returns the index in stack of the function literal the
// mention at its top is in, if that literal is assigned to a local
// variable or to _, with the left-hand side; -1 otherwise.
//
//	release := func() { r.Release() }
func inClosure(stack []ast.Node) (int, ast.Expr) {
	for i := len(stack) - 1; i > 0; i-- {
		lit, ok := stack[i].(*ast.FuncLit)
		if !ok {
			continue
		}
		if lhs := AssignedTo(stack[i-1], lit); IdentOf(lhs) != nil {
			return i, lhs
		}
		return -1, nil
	}
	return -1, nil
}

// assume returns the states in which cond evaluates to truth, starting
// from st; none if that cannot happen while the resource is held (the
// path is pruned: the call failed, so there is nothing to release). It
// also reports whether the condition hands the resource off, or says
// there is nothing to release.
func (t *tracked) assume(cond ast.Expr, truth bool, st pathState) ([]pathState, bool) {
	switch e := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return t.assume(e.X, !truth, st)
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			// a && b is true when both are; a || b is false when both are.
			var out []pathState
			handedOff := false
			thenY := func(states []pathState, h bool) { // each of states, then e.Y
				handedOff = handedOff || h
				for _, s := range states {
					more, h := t.assume(e.Y, truth, s)
					handedOff = handedOff || h
					out = append(out, more...)
				}
			}
			if (e.Op == token.LAND) == truth {
				thenY(t.assume(e.X, truth, st))
				return out, handedOff
			}
			out, handedOff = t.assume(e.X, truth, st)
			thenY(t.assume(e.X, !truth, st))
			return out, handedOff
		case token.EQL, token.NEQ:
			st.mayNil = stillMayBeNil(t.c.Info, e, truth, st.mayNil)
			if states, handedOff, ok := t.compare(e, truth, st); ok {
				return states, handedOff
			}
		}
	}
	// ok of _, ok := err.(T), errors.Is(err, target), errors.As(err,
	// &target): true only if the call failed.
	if x := IdentOf(cond); st.linked && t.errVar != nil && (x != nil && t.c.Info.ObjectOf(IdentOf(t.c.assertedBy(x))) == t.errVar || errorMatched(t.c.Info, cond, t.errVar)) {
		switch {
		case truth && !t.withError:
			return nil, false // the call failed: no resource
		case st.err == errUnchecked:
			st.err = errInspected
		}
		return []pathState{st}, false
	}
	// A callee's bool that says it released the resource.
	if x := IdentOf(cond); x != nil && (st.relTrue != nil || st.relFalse != nil) {
		if obj := t.c.Info.ObjectOf(x); obj != nil && (obj == st.relTrue || obj == st.relFalse) {
			if (obj == st.relTrue) == truth {
				return nil, true // released
			}
			return []pathState{st}, false
		}
	}
	if st.eofErr != nil && readToEOF(t.c.Info, cond, truth, st.eofErr) {
		st.drained = true // a decoder made over it returned io.EOF
	}
	// Any other condition: follow its uses.
	r := t.scan(cond, st.dead)
	if r.ev == EvRelease || r.ev == EvHandoff || r.call == ast.Unparen(cond) && (r.ev == EvReleaseIfTrue && truth || r.ev == EvReleaseIfFalse && !truth) {
		return nil, true // if check(resp) { ...: released there (if !keep(resp) {...)
	}
	if r.deref {
		st.deref = true
	}
	if st.linked && st.err == errUnchecked && t.errVar != nil && Mentions(t.c.Info, cond, t.errVar) {
		st.err = errInspected
	}
	return []pathState{st}, false
}

// compare is assume for a comparison e of the resource with a status
// that leaves nothing to release, of the variable or its holder with
// nil, or of the call's error with nil; ok is false for any other.
func (t *tracked) compare(e *ast.BinaryExpr, truth bool, st pathState) (states []pathState, handedOff, ok bool) {
	info := t.c.Info
	if t.s.NothingToRelease(e, t.v) {
		if (e.Op == token.EQL) == truth {
			return nil, true, true // nothing for the caller to release
		}
		st.deref = true
		return []pathState{st}, false, true
	}
	operand := e.X
	if IsNil(info, e.X) {
		operand = e.Y
	} else if !IsNil(info, e.Y) {
		return nil, false, false
	}
	nonNil := (e.Op == token.NEQ) == truth
	if holdsToward(t.c.Info, t.v, t.at, operand) || t.heldToward(operand, st.dead) {
		if !nonNil {
			return nil, false, true // nil: nothing to release
		}
		st.deref = true
		return []pathState{st}, false, true
	}
	if x := IdentOf(operand); x != nil && !nonNil {
		if k, _, held := t.alias(info.ObjectOf(x)); held && k > 0 && st.dead&(1<<k) == 0 {
			return nil, false, true // a holder that holds it is not nil: if first == nil { first = r }
		}
	}
	if x := IdentOf(operand); x != nil && st.drainErr != nil && info.ObjectOf(x) == st.drainErr {
		st.drainErr = nil
		st.drained = !nonNil // err == nil: read to its end
		return []pathState{st}, false, true
	}
	if x := IdentOf(operand); x != nil && st.relErr != nil && info.ObjectOf(x) == st.relErr {
		if nonNil {
			return nil, false, true // the callee released it
		}
		return []pathState{st}, false, true
	}
	if nonNil && errFieldOf(t, operand) {
		return nil, false, true // r.err != nil: the sender's call failed, no resource
	}
	if x := IdentOf(operand); x != nil && t.errVar != nil && st.linked && info.ObjectOf(x) == t.errVar {
		if nonNil {
			if t.withError {
				return []pathState{st}, false, true // the resource may come with the error
			}
			return nil, false, true // the call failed: no resource
		}
		if t.onlyWithError {
			return nil, false, true // no error: nothing to release
		}
		st.err = errNil
		return []pathState{st}, false, true
	}
	return nil, false, false
}

// heldToward reports whether e selects the resource, or a value on the
// way to it, from a holder that still holds it (not in dead): a nil test
// of it is one of the resource (win = r; if win.resp == nil).
func (t *tracked) heldToward(e ast.Expr, dead uint8) bool {
	for k, h := range t.holders {
		if dead&(1<<(k+1)) == 0 && len(h.at) > 0 && holdsToward(t.c.Info, h.v, h.at, e) {
			return true
		}
	}
	return false
}

// errFieldOf reports whether e selects, from t's variable, the field
// that holds the error that came with the resource (Target.ErrField),
// or is a variable given it once (if err := r.err; err != nil).
func errFieldOf(t *tracked, e ast.Expr) bool {
	if t.errField == "" {
		return false
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := t.c.Info.Uses[id].(*types.Var); ok {
			if rhs, _, ok := t.c.Origin(v); ok && rhs != nil {
				e = rhs
			}
		}
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == t.errField && t.c.Info.ObjectOf(IdentOf(sel.X)) == t.v
}

// holdsToward reports whether e is v, or v.f1...fk with f1...fk the
// first fields of the place of the resource: if e is nil, there is no
// resource.
//
//	h == nil    h.R == nil    (the resource at Place{"R"})
func holdsToward(info *types.Info, v *types.Var, at Place, e ast.Expr) bool {
	var fields []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[x]; ok && sel.Kind() == types.FieldVal {
				path := SelectionPath(sel) // resp.Body is resp.Response.Body in a holder that embeds the response
				for i := len(path) - 1; i >= 0; i-- {
					fields = append(fields, path[i])
				}
			} else {
				fields = append(fields, x.Sel.Name)
			}
			e = x.X
			continue
		case *ast.Ident:
			if x.Name != v.Name() || len(fields) > len(at) {
				return false // the cheap tests first
			}
			for i, f := range fields {
				if at[len(fields)-1-i] != f {
					return false
				}
			}
			return info.ObjectOf(x) == v
		}
		return false
	}
}

// setsFieldOf reports whether n assigns to a field of v itself (v.F = x).
func setsFieldOf(info *types.Info, n ast.Node, v *types.Var) bool {
	as, ok := n.(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, l := range as.Lhs {
		if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && info.ObjectOf(IdentOf(sel.X)) == v {
			return true
		}
	}
	return false
}
