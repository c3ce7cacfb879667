package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what a pool's replacement means: a statement that
// gives its holder another client before the pool is used (or, in a
// constructor, returned) leaves it empty, and one under a test of a
// parameter leaves it where that test fails.

// replacedBeforeUse reports whether every use of the pool that fl
// follows comes after a statement that replaces it (a setter that gives
// its holder another client), in that statement's block: the pool is
// dropped before it holds any connection. Replacements before from
// (where the pool is built) do not count.
//
//	a := api.New()          // builds a pool of its own
//	a.SetClient(shared)     // replaces it
//	a.Get(u)
//	cc := *shared; cc.Transport = tr; cc.Do(req)    // shared's pool is not used
func replacedBeforeUse(c *checker, fl *flow.Flow, from token.Pos) bool {
	under, ok := replacedBefore(c, fl, from, fl.Uses)
	return ok && len(fl.Uses) > 0 && under.Param == 0
}

// replacedBefore reports whether each of nodes comes after a statement
// that replaces the pool fl follows (see replacedBeforeUse), in that
// statement's block; or after an if that replaces it under a test that a
// parameter is not nil (if hc != nil { c.hc = hc }), which is then under:
// the pool stays where that test fails.
func replacedBefore(c *checker, fl *flow.Flow, from token.Pos, nodes []ast.Node) (under flow.Condition, ok bool) {
	type cover struct {
		from, to token.Pos
		under    flow.Condition
	}
	var after []cover // from the end of each replacement's statement to the end of its block
	for _, r := range fl.Replacements {
		if r.Pos() < from {
			continue // before the pool was built: it replaced something else
		}
		cur, ok := fl.Fn.FindNode(r)
		if !ok {
			continue
		}
		stmt, ok := blockStmt(fl.Fn, cur)
		if !ok {
			continue
		}
		var w flow.Condition
		for {
			ifs, ok := stmt.Parent().Parent().Node().(*ast.IfStmt)
			if !ok || ifs.Body != stmt.Parent().Node() || ifs.Else != nil {
				break
			}
			outer, _ := c.Guard(fl.Fn, stmt.Parent().Parent())
			g, ok := c.Guard(fl.Fn, stmt)
			if !ok || !g.NonZero || g.Const != "" || g == outer || w.Param != 0 && !implies(w, g) {
				break
			}
			if w.Param == 0 {
				w = g // this if's own test
			}
			stmt, _ = blockStmt(fl.Fn, stmt.Parent().Parent()) // and an outer one it implies: if cfg != nil { if cfg.HTTPClient != nil {...} }
		}
		after = append(after, cover{stmt.Node().End(), stmt.Parent().Node().End(), w})
	}
	for _, u := range nodes {
		in := func(s cover) bool { return s.from <= u.Pos() && u.Pos() < s.to }
		if slices.ContainsFunc(after, func(s cover) bool { return in(s) && s.under.Param == 0 }) {
			continue
		}
		k := slices.IndexFunc(after, in)
		if k < 0 || under.Param != 0 && after[k].under != under {
			return flow.Condition{}, false
		}
		under = after[k].under
	}
	return under, len(after) > 0
}

// implies reports whether w, a test that a parameter or a field inside
// it is not zero, implies g, a test of the same kind of the parameter or
// of a field on the way (cfg.HTTPClient != nil implies cfg != nil).
func implies(w, g flow.Condition) bool {
	return w.Param == g.Param && g.NonZero && (g.Field == "" || w.Field == g.Field || strings.HasPrefix(w.Field, g.Field+"."))
}

// blockStmt returns the statement of a block (or case clause) of the
// function at fn that holds cur, or is cur.
func blockStmt(fn, cur inspector.Cursor) (inspector.Cursor, bool) {
	for ; cur != fn && cur.Node() != nil; cur = cur.Parent() {
		if flow.StmtList(cur.Parent().Node()) != nil {
			return cur, true
		}
	}
	return inspector.Cursor{}, false
}

// returnsAfter returns uses with the return statements of lf after pos.
func returnsAfter(lf *flow.Func, pos token.Pos, uses []ast.Node) []ast.Node {
	nodes := slices.Clone(uses)
	for _, ret := range flow.ReturnsOf(lf.Body()) {
		if ret.Pos() > pos {
			nodes = append(nodes, ret)
		}
	}
	return nodes
}

// copiedAndReplaced reports whether v, a parameter or receiver that is a
// value (not a pointer), is a copy of the caller's whose pool lf
// replaces before every return: what it returns holds another client,
// and the caller's value keeps its own.
//
//	func (c Call) WithClient(hc *http.Client) Call { c.client = hc; return c }
func copiedAndReplaced(c *checker, lf *flow.Func, fl *flow.Flow, v *types.Var) bool {
	if flow.IsPointerType(v.Type()) || len(fl.Replacements) == 0 {
		return false
	}
	under, ok := replacedBefore(c, fl, token.NoPos, returnsAfter(lf, token.NoPos, nil))
	return ok && under.Param == 0
}
