package analyzer

import (
	"go/ast"
	"go/token"
)

// A path is a node of the syntax tree with its ancestors: the stack of
// a walk when it reaches the node.
type path struct {
	nodes []ast.Node // outermost (the file) first
	ords  []int      // ords[i]: which child of nodes[i-1] nodes[i] is, in walk order
}

// node returns the node the path leads to, or nil for an empty path.
func (p path) node() ast.Node {
	if len(p.nodes) == 0 {
		return nil
	}
	return p.nodes[len(p.nodes)-1]
}

// parent returns the path to the node's parent (empty above the file).
func (p path) parent() path {
	if len(p.nodes) == 0 {
		return p
	}
	return path{p.nodes[:len(p.nodes)-1], p.ords[:len(p.ords)-1]}
}

// decl returns the top-level declaration the path goes through, or nil.
func (p path) decl() ast.Node {
	if len(p.nodes) < 2 {
		return nil
	}
	return p.nodes[1]
}

// following returns the statements after the node in its block or case
// clause (nil if it is not a statement of one).
func (p path) following() []ast.Stmt {
	n := len(p.nodes)
	if n < 2 {
		return nil
	}
	list, i := stmtList(p.nodes[n-2]), p.ords[n-1]
	switch parent := p.nodes[n-2].(type) { // the clause's other children come first
	case *ast.CaseClause:
		i -= len(parent.List)
	case *ast.CommClause:
		if parent.Comm != nil {
			i--
		}
	}
	if i < 0 || i >= len(list) || list[i] != p.nodes[n-1] {
		return nil
	}
	return list[i+1:]
}

// scan walks the package's syntax once, keeping the path to each node
// (cheaper than an inspector, which builds an index of every node): it
// runs the body check on every call that produces a response, and
// reports whether the transport and keepalive checks have anything to
// look at. Only then do they build an inspector and walk again: pools is
// whether the package builds a connection pool that keeps idle
// connections, dials whether it installs a dial func on a Transport.
func (c *checker) scan() (pools, dials bool) {
	info := c.pass.TypesInfo
	body := c.cfg.enabled(checkBody)
	t := newTransportCheck(c)
	flows := make(map[*ast.BlockStmt]*flowGraph)
	var stack path
	children := []int{0} // per level, how many children the walk entered
	visit := func(n ast.Node) bool {
		if n == nil {
			stack.nodes = stack.nodes[:len(stack.nodes)-1]
			stack.ords = stack.ords[:len(stack.ords)-1]
			children = children[:len(children)-1]
			return true
		}
		switch n.(type) {
		case *ast.CommentGroup, *ast.FieldList, *ast.TypeSpec:
			// Comments, and types: parameters, results, fields, type
			// declarations. Nothing in them calls a function (but a
			// builtin in an array length) or builds a value.
			return false // not pushed: no call with nil follows
		}
		top := len(children) - 1
		stack.nodes = append(stack.nodes, n)
		stack.ords = append(stack.ords, children[top])
		children[top]++
		children = append(children, 0)
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := calleeFunc(info, n)
			if body {
				if idx := c.producer(n, fn); idx >= 0 {
					c.checkResponse(stack, n, fn, idx, flows)
				}
			}
			if !pools {
				src, ok := t.sourceCall(n, fn)
				pools = ok && !src.noKeepAlive
			}
		case *ast.CompositeLit:
			if !pools {
				src, ok := t.source(n)
				pools = ok && !src.noKeepAlive
			}
			dials = dials || setsDialField(n) && isNamed(info.TypeOf(n), "net/http", "Transport")
		case *ast.AssignStmt:
			dials = dials || n.Tok == token.ASSIGN && assignsDialField(n)
		}
		return true
	}
	for _, f := range c.pass.Files {
		ast.Inspect(f, visit)
		children[0] = 0
	}
	return pools, dials
}

// setsDialField reports whether a Transport literal sets a dial func
// field (to anything).
func setsDialField(lit *ast.CompositeLit) bool {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok && isDialField(identOf(kv.Key)) {
			return true
		}
	}
	return false
}

// assignsDialField reports whether an assignment sets a field named like
// a Transport's dial func, on whatever type.
func assignsDialField(as *ast.AssignStmt) bool {
	for _, lhs := range as.Lhs {
		if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && isDialField(sel.Sel) {
			return true
		}
	}
	return false
}
