package flow

import (
	"go/ast"
	"go/token"
	"go/types"
)

// This file follows deferred closures that release a variable: a
// function literal run by a defer statement reads the variable when the
// function returns, so it releases whatever the variable holds then,
// not what it held at the defer statement:
//
//	var res *Resource
//	defer func() {
//		if res != nil {
//			res.Close()   // closes the last resource, on every return
//		}
//	}()
//	res, err = open(name)
//
// A path that passes such a defer statement (or that starts after one
// that runs before the resource's statement on every path) releases the
// resource when it returns with the resource still in the variable; an
// overwrite of the variable before that leaves the earlier resource
// held. A statement that declares the variable again (a loop going
// round) makes a new one: the closure keeps the old.

// A deferIndex lists the defer statements of a body that run a function
// literal.
type deferIndex []deferIn

// A deferIn is a defer statement that runs a function literal, and the
// span of the statement list it is in.
type deferIn struct {
	stmt       *ast.DeferStmt
	start, end token.Pos
}

// deferredClosures returns the defer statements of the body that run a
// function literal (not those in nested literals), built once.
func (g *graph) deferredClosures() deferIndex {
	if g.defers != nil {
		return *g.defers
	}
	var defers deferIndex
	var visit func(list []ast.Stmt, start, end token.Pos)
	visit = func(list []ast.Stmt, start, end token.Pos) {
		for _, s := range list {
			if d, ok := s.(*ast.DeferStmt); ok {
				if _, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
					defers = append(defers, deferIn{d, start, end})
				}
			}
			ast.Inspect(s, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false // another function
				case *ast.BlockStmt:
					if n != nil && ast.Node(n) != s {
						visit(n.List, n.Pos(), n.End())
						return false
					}
				case *ast.CaseClause:
					visit(n.Body, n.Pos(), n.End())
					return false
				case *ast.CommClause:
					visit(n.Body, n.Pos(), n.End())
					return false
				}
				return true
			})
		}
	}
	visit(g.body.List, g.body.Pos(), g.body.End())
	g.defers = &defers
	return defers
}

// releasesAtExit reports whether n is a defer statement that runs a
// function literal releasing the alias k of t (see aliases.alias: the
// variable itself, 0, not a copy of it made on the way, or a holder), or
// handing it to code that may, which it reads when the function returns.
// The literal's arguments count only if args: they are evaluated when
// the defer runs, which must then come after the resource is there (a
// defer before it passes the value the variable held then: nil).
func releasesAtExit(t *tracked, n ast.Node, k int, args bool) bool {
	d, ok := n.(*ast.DeferStmt)
	if !ok {
		return false
	}
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok {
		return false
	}
	// That alias's own mentions only, and those of the holders it is
	// copied into there (for _, r := range held).
	dead := ^uint8(1<<k) &^ (^uint8(0) << (len(t.holders) + 1))
	if !args {
		return t.scan(lit, dead).ev >= EvRelease
	}
	return t.scan(d, dead).ev >= EvRelease
}

// heldTillExit reports whether a holder that the node n stores the
// resource into (into, a set of aliases) is released at exit by a
// deferred closure that runs before n on every path, and not only on
// failure, as a collector's cleanup is:
//
//	var held []*Res
//	defer func() {
//		for _, r := range held {
//			r.Close()
//		}
//	}()
//	...
//	held = append(held, r)
func heldTillExit(t *pathSearch, n ast.Node, into uint8) bool {
	for k := 1; k <= len(t.holders); k++ {
		if into&(1<<k) == 0 {
			continue
		}
		d := t.g.deferredClosures().before(n, func(d ast.Node) bool { return releasesAtExit(&t.tracked, d, k, false) })
		if d != nil && exitGuard(t.c.Info, t.sig, d) == nil {
			return true
		}
	}
	return false
}

// before returns one of defers, for which releases holds, that runs
// before def on every path: it comes before def in a statement list that
// holds def (nil if none).
func (defers deferIndex) before(def ast.Node, releases func(ast.Node) bool) *ast.DeferStmt {
	for _, d := range defers {
		if d.stmt.Pos() < def.Pos() && d.start <= def.Pos() && def.Pos() < d.end && releases(d.stmt) {
			return d.stmt
		}
	}
	return nil
}

// exitGuard returns the error that the deferred closure run by d
// releases under a test that it is not nil, as a function that closes on
// failure does: a named result of the function with signature sig, or a
// local variable of it.
//
//	defer func() {
//		if err != nil {
//			resp.Body.Close()
//		}
//	}()
//
// It is nil when the closure releases whatever the function returns.
func exitGuard(info *types.Info, sig *ast.FuncType, d *ast.DeferStmt) *types.Var {
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 || sig == nil {
		return nil
	}
	ifs, ok := lit.Body.List[0].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil {
		return nil
	}
	for _, conj := range Conjuncts(ifs.Cond) {
		b, ok := conj.(*ast.BinaryExpr)
		if !ok || b.Op != token.NEQ || !IsNil(info, b.Y) {
			continue
		}
		if id, ok := ast.Unparen(b.X).(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && IsErrorType(v.Type()) && (isResultOf(v, sig) || v.Kind() == types.LocalVar) {
				return v
			}
		}
	}
	return nil
}

// Conjuncts returns the operands of the && chain e (e itself if none).
func Conjuncts(e ast.Expr) []ast.Expr {
	if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return append(Conjuncts(b.X), Conjuncts(b.Y)...)
	}
	return []ast.Expr{ast.Unparen(e)}
}

// declares reports whether n declares v (again: a loop went round),
// which leaves the one a deferred closure captured as it was.
func declares(info *types.Info, n ast.Node, v *types.Var) bool {
	var ids []*ast.Ident
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			return false
		}
		for _, e := range n.Lhs {
			if id, ok := e.(*ast.Ident); ok {
				ids = append(ids, id)
			}
		}
	case *ast.ValueSpec: // a var declaration is one node per spec in the graph
		ids = n.Names
	}
	for _, id := range ids {
		if info.Defs[id] == v {
			return true
		}
	}
	return false
}
