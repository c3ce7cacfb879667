package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
)

// This file holds what the search knows of a flag that a deferred closure
// tests before it releases: a wrapper that keeps the resource on the path
// that hands it back, and releases it on every other.
//
//	keep := false
//	defer func() {
//		if !keep {
//			resp.Body.Close()
//		}
//	}()
//	if resp.StatusCode != 200 {
//		return nil, errStatus            // keep is false: closed
//	}
//	keep = true
//	if resp.ContentLength > max {
//		return nil, errTooLarge          // keep is true: left open
//	}
//	return resp, nil
//
// The flag's value at a return is that of the last constant assignment
// before it, in the blocks that hold the return (see FlagAt): a return
// where that is not known is taken to release, as the closure may.

// An ExitFlag is a local bool that a deferred closure tests: it releases
// only where the flag is When.
type ExitFlag struct {
	V    *types.Var
	When bool
}

// deferred notes in st that the deferred closure run by d releases the
// resource when the function returns, under the tests it makes.
func (st *pathState) deferred(t *pathSearch, d *ast.DeferStmt) {
	st.atExit, st.exitIf, st.exitFlag = true, exitGuard(t.c.Info, t.sig, d), DeferFlag(t.c.Info, t.g.body, d)
}

// DeferFlag returns the flag that the deferred closure run by d tests
// before it releases, in body, the body of the function that defers it:
// the closure is one if statement whose condition has the flag as a
// conjunct (if !keep { ... }, if closeBody && resp != nil { ... }), or
// starts with an if statement that returns when the flag (or another
// test beside it, ||) holds (if keep { return }). The flag must be a
// local variable of body, whose address is not taken.
func DeferFlag(info *types.Info, body *ast.BlockStmt, d *ast.DeferStmt) ExitFlag {
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok || body == nil || len(lit.Body.List) == 0 {
		return ExitFlag{}
	}
	ifs, ok := lit.Body.List[0].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil {
		return ExitFlag{}
	}
	var f ExitFlag
	switch {
	case len(lit.Body.List) == 1:
		for _, conj := range Conjuncts(ifs.Cond) {
			if f = flagTest(info, conj); f.V != nil {
				break
			}
		}
	case len(ifs.Body.List) == 1:
		if _, ok := ifs.Body.List[0].(*ast.ReturnStmt); !ok {
			return ExitFlag{}
		}
		for _, disj := range disjuncts(ifs.Cond) {
			if f = flagTest(info, disj); f.V != nil {
				f.When = !f.When // it returns when the flag is When: it releases when it is not
				break
			}
		}
	}
	if f.V == nil || f.V.Kind() != types.LocalVar || f.V.Pos() < body.Pos() || f.V.Pos() >= body.End() || addressTaken(info, body, f.V) {
		return ExitFlag{}
	}
	return f
}

// flagTest returns the bool variable that e tests, and the value for
// which e holds: keep, !keep, keep == false, keep != true.
func flagTest(info *types.Info, e ast.Expr) ExitFlag {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			f := flagTest(info, x.X)
			f.When = !f.When
			return f
		}
	case *ast.BinaryExpr:
		if x.Op != token.EQL && x.Op != token.NEQ {
			break
		}
		for _, pair := range [2][2]ast.Expr{{x.X, x.Y}, {x.Y, x.X}} {
			if val, ok := boolConst(info, pair[1]); ok {
				f := flagTest(info, pair[0])
				f.When = f.When == val == (x.Op == token.EQL)
				return f
			}
		}
	case *ast.Ident:
		if v, ok := info.Uses[x].(*types.Var); ok && IsBool(v.Type()) {
			return ExitFlag{V: v, When: true}
		}
	}
	return ExitFlag{}
}

// boolConst returns the value of e if it is a constant bool.
func boolConst(info *types.Info, e ast.Expr) (val, ok bool) {
	return IsTrue(info, e), IsTrue(info, e) || IsFalse(info, e)
}

// disjuncts returns the operands of the || chain e (e itself if none).
func disjuncts(e ast.Expr) []ast.Expr {
	if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.LOR {
		return append(disjuncts(b.X), disjuncts(b.Y)...)
	}
	return []ast.Expr{ast.Unparen(e)}
}

// addressTaken reports whether body takes the address of v (&v): it may
// then be set where no assignment names it.
func addressTaken(info *types.Info, body ast.Node, v *types.Var) bool {
	taken := false
	ast.Inspect(body, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND && VarOf(info, u.X) == v {
			taken = true
		}
		return !taken
	})
	return taken
}

// FlagAt returns the value of the flag v where ret, a return of body,
// runs: that of the last assignment of a constant to it before ret, in
// the statement lists that hold ret (its declaration without a value:
// false). It is not known where a statement on the way sets it
// otherwise, or under a test, or where a loop around ret sets it.
func FlagAt(info *types.Info, body *ast.BlockStmt, ret *ast.ReturnStmt, v *types.Var) (val, ok bool) {
	var path []ast.Node // from body down to ret
	InspectStack(body, func(stack []ast.Node) bool {
		if stack[len(stack)-1] == ret {
			path = slices.Clone(stack)
		}
		return path == nil && PosIn(ret.Pos(), stack[len(stack)-1])
	})
	for i := len(path) - 1; i > 0; i-- {
		switch path[i-1].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if assigns(info, path[i-1], v) {
				return false, false // a round before may have set it after
			}
		}
		list := StmtList(path[i-1])
		k := slices.IndexFunc(list, func(st ast.Stmt) bool { return st == path[i] })
		for k--; k >= 0; k-- {
			if val, set, ok := flagSet(info, list[k], v); set {
				return val, ok
			}
		}
	}
	return false, false
}

// flagSet tells whether the statement st sets v, and if so whether to a
// constant known (val, ok): an assignment or declaration of it alone.
func flagSet(info *types.Info, st ast.Stmt, v *types.Var) (val, set, ok bool) {
	switch st := st.(type) {
	case *ast.AssignStmt:
		if len(st.Lhs) == 1 && len(st.Rhs) == 1 && (st.Tok == token.ASSIGN || st.Tok == token.DEFINE) && info.ObjectOf(IdentOf(st.Lhs[0])) == v {
			val, ok := boolConst(info, st.Rhs[0])
			return val, true, ok
		}
	case *ast.DeclStmt:
		if gd, ok := st.Decl.(*ast.GenDecl); ok && len(gd.Specs) == 1 {
			if vs, ok := gd.Specs[0].(*ast.ValueSpec); ok && len(vs.Names) == 1 && info.Defs[vs.Names[0]] == v {
				if len(vs.Values) == 0 {
					return false, true, true // var keep bool
				}
				val, ok := boolConst(info, vs.Values[0])
				return val, true, ok
			}
		}
	}
	return false, assigns(info, st, v), false
}

// assigns reports whether n assigns v, or declares it, anywhere within.
func assigns(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			found = found || slices.ContainsFunc(n.Lhs, func(e ast.Expr) bool { return info.ObjectOf(IdentOf(e)) == v })
		case *ast.ValueSpec:
			found = found || slices.ContainsFunc(n.Names, func(id *ast.Ident) bool { return info.Defs[id] == v })
		case *ast.RangeStmt: // for _, keep = range flags
			found = found || info.ObjectOf(IdentOf(n.Key)) == v || info.ObjectOf(IdentOf(n.Value)) == v
		}
		return !found
	})
	return found
}
