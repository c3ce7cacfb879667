package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"
)

// A graph is the control-flow graph of one function body, with the
// position of every node in it, and indexes for the path search built on
// first use.
type graph struct {
	body *ast.BlockStmt
	cfg  *cfg.CFG
	loc  map[ast.Node]nodeLoc
	// The sends of a select's cases: go/cfg evaluates every case's
	// communication before the select branches, so the search takes a
	// send where its case's body begins, on that case's path only.
	commSends map[ast.Node]bool

	// For the search's shortcut (see pathSearch.quiet):
	lastUse map[*types.Var]token.Pos  // the last mention of each variable
	loops   []ast.Node                // the for and range statements
	exitOf  map[int32]*ast.ReturnStmt // a return each block can reach, nil if none
	hasGoto bool                      // a goto or labeled branch can jump backwards

	branches map[ast.Stmt]*ast.BranchStmt // the branch statement after a statement in its list: see branchAfter
	caseTags map[ast.Expr]ast.Expr        // the tag of the switch each case expression is compared with: see caseTest
	defers   *deferIndex                  // the defer statements that run a function literal: see deferredClosures
	typeCase map[*ast.CaseClause]ast.Expr // the value each clause of a type switch tests: see typeSwitched
}

type nodeLoc struct {
	b *cfg.Block
	i int
}

// graph returns the control-flow graph of the function body, built once
// per pass.
func (c *Engine) graph(body *ast.BlockStmt) *graph {
	g := c.graphs[body]
	if g == nil {
		g = newGraph(body, c.MayReturn)
		c.graphs[body] = g
	}
	return g
}

// newGraph builds the control-flow graph of the function body, where a
// call may return unless mayReturn says it does not.
func newGraph(body *ast.BlockStmt, mayReturn func(*ast.CallExpr) bool) *graph {
	g := &graph{body: body, cfg: cfg.New(body, mayReturn)}
	size := 0
	for _, b := range g.cfg.Blocks {
		size += len(b.Nodes)
	}
	g.loc = make(map[ast.Node]nodeLoc, size)
	for _, b := range g.cfg.Blocks {
		for i, n := range b.Nodes {
			g.loc[n] = nodeLoc{b, i}
		}
		if send := commSend(b); send != nil {
			if g.commSends == nil {
				g.commSends = make(map[ast.Node]bool)
			}
			g.commSends[send] = true
		}
	}
	return g
}

// commSend returns the send statement of the select case whose body
// begins at b, if b is one and its communication is a send.
func commSend(b *cfg.Block) *ast.SendStmt {
	if b.Kind != cfg.KindSelectCaseBody {
		return nil
	}
	send, _ := b.Stmt.(*ast.CommClause).Comm.(*ast.SendStmt)
	return send
}

// indexUses records the last mention of every variable in the body, the
// loops, and whether there is a goto.
func (g *graph) indexUses(info *types.Info) {
	g.lastUse = make(map[*types.Var]token.Pos)
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, visit) // n.Sel names a field, a method or a package member
			return false
		case *ast.Ident:
			// Most identifiers are uses: look there first.
			obj, ok := info.Uses[n]
			if !ok {
				obj = info.Defs[n]
			}
			if v, ok := obj.(*types.Var); ok && n.Pos() > g.lastUse[v] {
				g.lastUse[v] = n.Pos()
			}
		case *ast.ForStmt, *ast.RangeStmt:
			g.loops = append(g.loops, n)
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Label != nil {
				g.hasGoto = true
			}
		}
		return true
	}
	ast.Inspect(g.body, visit)
}

// exits returns, for each block, a return statement it can reach, or nil
// if every path from it ends in a call that never returns or in a failed
// test (Hooks.FailsTest): computed once, backwards from the returns.
func (g *graph) exits(c *Engine) map[int32]*ast.ReturnStmt {
	if g.exitOf != nil {
		return g.exitOf
	}
	g.exitOf = make(map[int32]*ast.ReturnStmt)
	preds := make(map[int32][]*cfg.Block)
	dead := make(map[int32]bool) // blocks where a failed test stops the path
	var queue []*cfg.Block
	for _, b := range g.cfg.Blocks {
		for _, s := range b.Succs {
			preds[s.Index] = append(preds[s.Index], b)
		}
		for _, n := range b.Nodes {
			if failsTest(c, n) {
				dead[b.Index] = true
			}
		}
		if ret := b.Return(); ret != nil && !dead[b.Index] {
			g.exitOf[b.Index] = ret
			queue = append(queue, b)
		}
	}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		for _, p := range preds[b.Index] {
			if g.exitOf[p.Index] == nil && !dead[p.Index] {
				g.exitOf[p.Index] = g.exitOf[b.Index]
				queue = append(queue, p)
			}
		}
	}
	return g.exitOf
}

// branchAfter returns the branch statement that directly follows stmt
// in its list, if any. The branch statements of the body are indexed on
// first use.
func (g *graph) branchAfter(stmt ast.Stmt) *ast.BranchStmt {
	if g.branches == nil {
		g.branches = make(map[ast.Stmt]*ast.BranchStmt)
		ast.Inspect(g.body, func(n ast.Node) bool {
			list := StmtList(n)
			for i := 1; i < len(list); i++ {
				if br, ok := list[i].(*ast.BranchStmt); ok {
					g.branches[list[i-1]] = br
				}
			}
			return true
		})
	}
	return g.branches[stmt]
}

// branchEnding returns the branch statement (continue, break, goto) that
// ends block b, if any.
func (g *graph) branchEnding(b *cfg.Block) *ast.BranchStmt {
	if len(b.Nodes) > 0 {
		last, ok := b.Nodes[len(b.Nodes)-1].(ast.Stmt)
		if !ok {
			return nil
		}
		return g.branchAfter(last)
	}
	// An empty block: a branch that opens its body.
	var list []ast.Stmt
	switch s := b.Stmt.(type) {
	case *ast.IfStmt:
		if b.Kind == cfg.KindIfThen {
			list = s.Body.List
		} else if blk, ok := s.Else.(*ast.BlockStmt); ok && b.Kind == cfg.KindIfElse {
			list = blk.List
		}
	case *ast.CaseClause:
		list = s.Body
	case *ast.CommClause:
		list = s.Body
	case *ast.ForStmt:
		if b.Kind == cfg.KindForBody {
			list = s.Body.List
		}
	case *ast.RangeStmt:
		if b.Kind == cfg.KindRangeBody {
			list = s.Body.List
		}
	}
	if len(list) == 0 {
		return nil
	}
	br, _ := list[0].(*ast.BranchStmt)
	return br
}

// caseTest returns the test that cond, the condition of a block, stands
// for: tag == cond if cond is an expression of a case of a switch with a
// tag (go/cfg puts the case's expression alone in the block), else cond.
//
//	switch r.State {
//	case Empty:    // r.State == Empty
func (g *graph) caseTest(cond ast.Expr, info *types.Info) ast.Expr {
	if t := info.TypeOf(cond); t == nil || IsBool(t) {
		return cond // an if's or a for's condition, or a case of a tagless switch
	}
	if g.caseTags == nil {
		g.caseTags = make(map[ast.Expr]ast.Expr)
		ast.Inspect(g.body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its own graph
			case *ast.SwitchStmt:
				if n.Tag == nil {
					break
				}
				for _, cc := range n.Body.List {
					for _, e := range cc.(*ast.CaseClause).List {
						g.caseTags[e] = n.Tag
					}
				}
			}
			return true
		})
	}
	if tag, ok := g.caseTags[cond]; ok {
		return &ast.BinaryExpr{X: tag, OpPos: cond.Pos(), Op: token.EQL, Y: cond}
	}
	return cond
}

// ReturnsFrom returns the return statements of body, a function's body,
// that a path from n can reach (n itself included); ok is false if no
// node of its control-flow graph holds n. (A node inside a function
// literal is taken where the literal is.)
func (c *Engine) ReturnsFrom(body *ast.BlockStmt, n ast.Node) (rets []*ast.ReturnStmt, ok bool) {
	return c.graph(body).returnsFrom(n)
}

// returnsFrom is ReturnsFrom in g.
func (g *graph) returnsFrom(n ast.Node) (rets []*ast.ReturnStmt, ok bool) {
	var start *cfg.Block
	var span token.Pos // of the innermost node around n (a range statement is a node of its loop's head)
	for _, b := range g.cfg.Blocks {
		for _, m := range b.Nodes {
			if m.Pos() <= n.Pos() && n.End() <= m.End() && (start == nil || m.End()-m.Pos() < span) {
				start, span = b, m.End()-m.Pos()
			}
		}
	}
	if start == nil {
		return nil, false
	}
	seen := map[int32]bool{start.Index: true}
	for queue := []*cfg.Block{start}; len(queue) > 0; queue = queue[1:] {
		b := queue[0]
		if ret := b.Return(); ret != nil {
			rets = append(rets, ret)
		}
		for _, s := range b.Succs {
			if !seen[s.Index] {
				seen[s.Index] = true
				queue = append(queue, s)
			}
		}
	}
	return rets, true
}

// typeSwitched returns the value whose dynamic type the type switch
// clause cc tests (x in switch x.(type), switch y := x.(type)), when cc
// runs only where x is not nil: it lists types, and no nil. It returns
// nil otherwise.
func (g *graph) typeSwitched(cc *ast.CaseClause) ast.Expr {
	if g.typeCase == nil {
		g.typeCase = make(map[*ast.CaseClause]ast.Expr)
		ast.Inspect(g.body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its own graph
			case *ast.TypeSwitchStmt:
				var x ast.Expr
				switch a := n.Assign.(type) {
				case *ast.ExprStmt:
					x = a.X
				case *ast.AssignStmt:
					if len(a.Rhs) == 1 {
						x = a.Rhs[0]
					}
				}
				ta, ok := ast.Unparen(x).(*ast.TypeAssertExpr)
				if !ok {
					break
				}
				for _, c := range n.Body.List {
					if cc := c.(*ast.CaseClause); len(cc.List) > 0 && !listsNil(cc) {
						g.typeCase[cc] = ta.X // (the default's statements share a block with the last test: not told apart)
					}
				}
			}
			return true
		})
	}
	return g.typeCase[cc]
}

// listsNil reports whether the clause cc lists nil.
func listsNil(cc *ast.CaseClause) bool {
	return slices.ContainsFunc(cc.List, func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == "nil"
	})
}

// failedCase reports whether b is the body of a clause of a type switch
// on the call's error that runs only when it is not nil (switch
// err.(type) { case net.Error: ...}): reached only when the call failed,
// with no resource.
func (g *graph) failedCase(info *types.Info, b *cfg.Block, errVar *types.Var) bool {
	cc, ok := b.Stmt.(*ast.CaseClause)
	if !ok || b.Kind != cfg.KindSwitchCaseBody || errVar == nil {
		return false
	}
	x := g.typeSwitched(cc)
	return x != nil && info.ObjectOf(IdentOf(x)) == errVar
}
