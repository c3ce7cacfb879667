package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// opaqueTest reports whether the code at cur, in lf, runs only under a
// test of lf's parameters or receiver that no condition of a summary can
// say: a predicate called on them (o.needsTransport(), isTLS(cfg)), a
// comparison with a value other than zero (cfg.Mode == "insecure"), a
// case of a switch on one of them. The test is in an if around cur, a
// case of a switch around it (its own test, or an earlier case's that
// failed), or an if before it that returns. A pool built there is built
// only where the caller's values pass that test, which its call cannot
// tell: a summary that said it is built (under the other tests, which
// Guard reads) would blame callers whose values never build it. Where
// most values pass the test (a comparison that fails for one value:
// u.Scheme != "unix"; a switch's default), the pool is taken to be
// built.
//
//	func (o *options) client() *http.Client {
//		switch {
//		case o.hc != nil:
//			return o.hc
//		case o.needsTransport():
//			return &http.Client{Transport: &http.Transport{...}}   // opaque
func opaqueTest(c *checker, lf *flow.Func, cur inspector.Cursor) bool {
	for ; cur.Node() != lf.Node() && cur.Node() != nil; cur = cur.Parent() {
		parent := cur.Parent()
		switch n := parent.Node().(type) {
		case *ast.IfStmt:
			if cur.Node() == n.Body && opaque(c, lf, n.Cond, true) || cur.Node() == n.Else && opaque(c, lf, n.Cond, false) {
				return true
			}
		case *ast.CaseClause:
			if cur.ParentEdgeKind() == edge.CaseClause_Body && opaqueCase(c, lf, parent, n) {
				return true
			}
		}
		for _, s := range flow.StmtList(parent.Node()) {
			if s == cur.Node() {
				break
			}
			if ifs, ok := s.(*ast.IfStmt); ok && ifs.Else == nil && flow.EndsInReturn(ifs.Body) && opaque(c, lf, ifs.Cond, false) {
				return true
			}
		}
	}
	return false
}

// opaqueCase reports whether the case clause cc, at cur, runs under a
// test of lf's parameters that no condition can say: the tag of its
// switch names one, or its own test (or an earlier case's, which
// failed) is such a test.
func opaqueCase(c *checker, lf *flow.Func, cur inspector.Cursor, cc *ast.CaseClause) bool {
	sw, ok := cur.Parent().Parent().Node().(*ast.SwitchStmt)
	if !ok {
		return false // a type switch
	}
	if sw.Tag != nil {
		return cc.List != nil && mentionsParam(c, lf, sw.Tag) // (the default: the values the cases list fail, most pass)
	}
	for _, e := range cc.List {
		if len(cc.List) > 1 && mentionsParam(c, lf, e) || opaque(c, lf, e, true) {
			return true
		}
	}
	for _, s := range sw.Body.List {
		if s == cc {
			break
		}
		for _, e := range s.(*ast.CaseClause).List {
			if opaque(c, lf, e, false) {
				return true
			}
		}
	}
	return false
}

// opaque reports whether e evaluating to truth implies a test of lf's
// parameters that no condition can say: one of the operands it implies
// (each of an && chain if true, of an || chain if false) mentions one,
// calls a function or compares with a value other than zero, and
// TestOf cannot read it.
func opaque(c *checker, lf *flow.Func, e ast.Expr, truth bool) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return opaque(c, lf, u.X, !truth)
	}
	if b, ok := e.(*ast.BinaryExpr); ok && (b.Op == token.LAND && truth || b.Op == token.LOR && !truth) {
		return opaque(c, lf, b.X, truth) || opaque(c, lf, b.Y, truth)
	}
	if b, ok := e.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) && (b.Op == token.EQL) != truth {
		return false // u.Scheme != "unix": most values pass, and a caller's most likely do
	}
	if !mentionsParam(c, lf, e) || !predicate(c.pass.TypesInfo, e) {
		return false
	}
	_, ok := c.TestOf(lf.Cur(), e, truth)
	return !ok
}

// predicate reports whether e calls a function other than len or cap,
// or compares with a value other than zero.
func predicate(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
				return true // a conversion
			}
			found = found || !flow.IsBuiltin(info, x, "len") && !flow.IsBuiltin(info, x, "cap")
		case *ast.BinaryExpr:
			switch x.Op {
			case token.EQL, token.NEQ, token.LSS, token.GTR, token.LEQ, token.GEQ:
				found = found || !flow.IsZeroValue(info, x.X) && !flow.IsZeroValue(info, x.Y)
			}
		}
		return !found
	})
	return found
}

// mentionsParam reports whether e names a parameter of lf or its
// receiver.
func mentionsParam(c *checker, lf *flow.Func, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && (flow.ParamIndex(lf.Node(), v) >= 0 || flow.IsRecvOf(lf.Node(), v)) {
				found = true
			}
		}
		return !found
	})
	return found
}
