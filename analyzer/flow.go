package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// This file holds the path search of the body check: from the statement
// that binds a response to a variable, along the control-flow graph of
// its function, to the first point where the response is still open.

// A flowGraph is the control-flow graph of one function body, with the
// position of every node in it.
type flowGraph struct {
	body *ast.BlockStmt
	cfg  *cfg.CFG
	loc  map[ast.Node]nodeLoc

	// For the search's shortcut (see tracker.quiet), computed on first use:
	lastUse map[*types.Var]token.Pos  // the last mention of each variable
	loops   []ast.Node                // the for and range statements
	exitOf  map[int32]*ast.ReturnStmt // a return each block can reach, nil if none
	hasGoto bool                      // a goto or labeled branch can jump backwards

	branches map[ast.Stmt]*ast.BranchStmt // the branch statement after a statement in its list: see branchAfter
}

type nodeLoc struct {
	b *cfg.Block
	i int
}

func (c *checker) newFlowGraph(body *ast.BlockStmt) *flowGraph {
	g := &flowGraph{body: body, cfg: cfg.New(body, c.mayReturn)}
	size := 0
	for _, b := range g.cfg.Blocks {
		size += len(b.Nodes)
	}
	g.loc = make(map[ast.Node]nodeLoc, size)
	for _, b := range g.cfg.Blocks {
		for i, n := range b.Nodes {
			g.loc[n] = nodeLoc{b, i}
		}
	}
	return g
}

// What a path has established about the call's error and the response.
type errState uint8

const (
	errUnchecked errState = iota // the error has not been looked at
	errNil                       // the path has checked that err == nil
	errInspected                 // a condition looked at err without settling it
)

type flowState struct {
	err    errState
	deref  bool // the response was used as non-nil on this path
	linked bool // the error variable still holds the call's error
}

// reportable reports whether a response still open in state st is a
// leak: it is unless the path may be one where the call failed.
func (st flowState) reportable() bool { return st.deref || st.err != errInspected }

// How a use of the tracked variable treats the response.
type useKind uint8

const (
	useRead     useKind = iota // reads it (a field, a status, the Body's bytes)
	useReassign                // overwrites the variable
	useClose                   // closes its Body
	useHandoff                 // may hand it to code that closes it: stop following
)

// A leakExit is where a path leaves a response open.
type leakExit struct {
	pos  token.Pos
	kind string // "return", "end", "reassign", "scope", or a branch keyword
}

func (l *leakExit) message(name string) string {
	switch l.kind {
	case "return":
		return name + ".Body is still open when this return is reached"
	case "end":
		return name + ".Body is still open when the function ends here"
	case "reassign":
		return name + " is overwritten here while its Body is still open"
	case "scope":
		return name + " goes out of scope at the end of this block with its Body still open"
	}
	return name + ".Body is still open when this " + l.kind + " is taken"
}

// A tracker follows one response variable through a flowGraph.
type tracker struct {
	c      *checker
	g      *flowGraph
	v      *types.Var    // the response (or, for summaries, a parameter)
	errVar *types.Var    // the call's error result, if bound
	sig    *ast.FuncType // the enclosing function's signature
	closer bool          // v is the Body itself (an io.Closer), not a response
	leak   *leakExit     // the first leak found
	done   bool          // some path closed or handed off the response
	stack  []ast.Node    // scratch stack for use scans
	scope  *types.Scope  // v's scope
}

// quietAfter is how many blocks a search enters before it asks
// tracker.quiet whether it can stop: most searches end sooner (at the
// defer after the error check), and never pay for the walk of the
// function that quiet's index costs.
const quietAfter = 8

type visitKey struct {
	block int32
	st    flowState
}

type pathItem struct {
	b   *cfg.Block
	i   int // index of the first node to visit
	st  flowState
	via *leakExit // the branch statement that led here, if any
}

// search follows v from the statement that defines it, def, and returns
// the first leaking exit found (nil if none) and whether some path
// closed or handed off the response.
func (t *tracker) search(def ast.Node) (*leakExit, bool) {
	start, ok := t.g.loc[def]
	if !ok {
		return nil, true // not in the graph (unreachable code): stay quiet
	}
	t.scope = t.v.Parent()
	visited := make(map[visitKey]bool)
	entered := 0 // blocks entered: see quietAfter
	work := []pathItem{{b: start.b, i: start.i + 1, st: flowState{linked: t.errVar != nil}}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		b := it.b
		if it.i == 0 {
			key := visitKey{b.Index, it.st}
			if visited[key] {
				continue
			}
			visited[key] = true
			if len(b.Nodes) > 0 && t.outOfScope(b.Nodes[0]) {
				t.leakAt(it.st, t.scopeExit(it.via))
				continue
			}
			if entered++; entered > quietAfter && len(b.Nodes) > 0 && t.quiet(b.Nodes[0].Pos(), it.st) {
				// Nothing from here on mentions the response: the path
				// leaks if it can reach a return at all.
				if ret := t.g.exits(t.c)[b.Index]; ret != nil {
					t.leakAt(it.st, t.returnExit(ret))
				}
				continue
			}
		}
		st := it.st
		stopped := false
		for i := it.i; i < len(b.Nodes) && !stopped; i++ {
			n := b.Nodes[i]
			if cond, ok := n.(ast.Expr); ok && i == len(b.Nodes)-1 && len(b.Succs) == 2 {
				for _, s := range t.assume(cond, true, st) {
					work = append(work, pathItem{b: b.Succs[0], st: s})
				}
				if !t.guardedClose(b) {
					for _, s := range t.assume(cond, false, st) {
						work = append(work, pathItem{b: b.Succs[1], st: s})
					}
				}
				stopped = true
				break
			}
			stopped = t.visit(n, &st, it.via)
		}
		if stopped || len(b.Succs) == 0 {
			continue // closed, leaked, pruned, or a call that never returns
		}
		via := it.via
		if len(b.Nodes) > 0 || it.i > 0 {
			via = nil
		}
		if br := t.branchAfter(b); br != nil {
			via = &leakExit{pos: br.Pos(), kind: br.Tok.String()}
		}
		for k := len(b.Succs) - 1; k >= 0; k-- {
			work = append(work, pathItem{b: b.Succs[k], st: st, via: via})
		}
	}
	return t.leak, t.done
}

// leakAt records a leak at exit if the state makes it one.
func (t *tracker) leakAt(st flowState, exit *leakExit) {
	if st.reportable() && t.leak == nil {
		t.leak = exit
	}
}

// outOfScope reports whether node n lies outside v's scope: reaching it
// means the variable is gone (a loop went round, a block ended).
func (t *tracker) outOfScope(n ast.Node) bool {
	if t.scope == nil || t.scope == t.c.pass.Pkg.Scope() {
		return false
	}
	return n.Pos() < t.scope.Pos() || n.Pos() >= t.scope.End()
}

// scopeExit describes where a path leaves v's scope.
func (t *tracker) scopeExit(via *leakExit) *leakExit {
	if via != nil {
		return via
	}
	return &leakExit{pos: t.scope.End() - 1, kind: "scope"}
}

// visit interprets node n for the tracked response in state *st and
// reports whether the path stops there.
func (t *tracker) visit(n ast.Node, st *flowState, via *leakExit) bool {
	if es, ok := n.(*ast.ExprStmt); ok {
		if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && isTestFailure(calleeFunc(t.c.pass.TypesInfo, call)) {
			return true // the test has failed on this path: a leak here does not matter
		}
	}
	kind, deref, unlink := t.scan(n)
	switch kind {
	case useClose, useHandoff:
		t.done = true
		return true
	case useReassign:
		if via == nil {
			via = &leakExit{pos: n.Pos(), kind: "reassign"}
		}
		t.leakAt(*st, via)
		return true
	}
	if deref {
		st.deref = true
	}
	if unlink {
		st.linked = false
	}
	if ret, ok := n.(*ast.ReturnStmt); ok {
		if len(ret.Results) == 0 && isResultOf(t.v, t.sig) && ret.Return != t.g.body.End()-1 {
			t.done = true // a naked return hands the named result to the caller
			return true
		}
		t.leakAt(*st, t.returnExit(ret))
		return true
	}
	return false
}

// returnExit describes a leak at ret, explicit or at the end of the body.
func (t *tracker) returnExit(ret *ast.ReturnStmt) *leakExit {
	if ret.Return == t.g.body.End()-1 {
		return &leakExit{pos: ret.Pos(), kind: "end"}
	}
	return &leakExit{pos: ret.Pos(), kind: "return"}
}

// quiet reports whether no node at or after pos can mention the tracked
// variables (the error too, while it holds the call's error in state
// st): pos is past their last mention, outside any loop around
// that mention, in a function without goto. The search then need not
// look at what follows (which keeps it linear in functions with many
// responses).
func (t *tracker) quiet(pos token.Pos, st flowState) bool {
	g := t.g
	if g.lastUse == nil {
		g.indexUses(t.c.pass.TypesInfo)
	}
	if g.hasGoto || isResultOf(t.v, t.sig) {
		return false // a naked return mentions a named result without naming it
	}
	last := g.lastUse[t.v]
	if st.linked && g.lastUse[t.errVar] > last { // err matters while it holds the call's error
		last = g.lastUse[t.errVar]
	}
	if pos <= last {
		return false
	}
	for _, l := range g.loops {
		if l.Pos() <= last && pos < l.End() {
			return false // a back edge may lead to the mention again
		}
	}
	return true
}

// indexUses records the last mention of every variable in the body, the
// loops, and whether there is a goto.
func (g *flowGraph) indexUses(info *types.Info) {
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
// test (t.Error): computed once, backwards from the returns.
func (g *flowGraph) exits(c *checker) map[int32]*ast.ReturnStmt {
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
			if es, ok := n.(*ast.ExprStmt); ok {
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && isTestFailure(calleeFunc(c.pass.TypesInfo, call)) {
					dead[b.Index] = true
				}
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

// scan classifies the uses of v in n: the strongest use (a hand-off or
// close beats a reassignment, as in resp = wrap(resp)), whether v was
// used as non-nil, and whether the error variable was overwritten.
func (t *tracker) scan(n ast.Node) (kind useKind, deref, unlink bool) {
	info := t.c.pass.TypesInfo
	t.stack = t.stack[:0]
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			t.stack = t.stack[:len(t.stack)-1]
			return true
		}
		t.stack = append(t.stack, x)
		id, ok := x.(*ast.Ident)
		if !ok || id.Name != t.v.Name() && (t.errVar == nil || id.Name != t.errVar.Name()) {
			return true // not a mention of either (a cheap test before the lookup)
		}
		switch obj := info.ObjectOf(id); {
		case obj == nil:
		case obj == t.v:
			k, d := t.classify(t.stack)
			if k > kind {
				kind = k
			}
			deref = deref || d
		case obj == t.errVar && t.errVar != nil:
			if len(t.stack) < 2 {
				break // n is err itself (a condition "if err", in broken code)
			}
			if as, ok := t.stack[len(t.stack)-2].(*ast.AssignStmt); ok && containsExpr(as.Lhs, id) {
				unlink = true
			}
		}
		return true
	})
	return kind, deref, unlink
}

// containsExpr reports whether list holds e (unparenthesized).
func containsExpr(list []ast.Expr, e ast.Expr) bool {
	for _, x := range list {
		if ast.Unparen(x) == e {
			return true
		}
	}
	return false
}

// classify says how the use of v at the top of stack (an identifier)
// treats the response, and whether it uses it as non-nil.
func (t *tracker) classify(stack []ast.Node) (useKind, bool) {
	info := t.c.pass.TypesInfo
	// A use inside a closure is judged like any other: a closure that
	// closes the body (go func, t.Cleanup, a deferred or returned func)
	// closes it when it is made, one that only reads it reads it.
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	body := t.closer // e is the Body (or another io.Closer), not the response
	deref := false
	for ; i > 0; i-- {
		switch p := stack[i-1].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.SelectorExpr:
			sel := info.Selections[p]
			if sel == nil || p.X != e {
				return useHandoff, deref
			}
			deref = true
			if !body && sel.Kind() == types.FieldVal {
				if p.Sel.Name == "Body" {
					body = true
					e = p
					continue
				}
				return useRead, true // a field: StatusCode, Header...
			}
			switch p.Sel.Name {
			case "Close":
				if !body {
					return useHandoff, deref
				}
				if i >= 2 {
					if call, ok := stack[i-2].(*ast.CallExpr); ok && call.Fun == p {
						return useClose, deref
					}
				}
				return useHandoff, deref // a method value, called later
			case "Write":
				if !body {
					return useHandoff, deref // Response.Write closes the body
				}
			}
			return useRead, deref // Read, Cookies, Location...
		case *ast.CallExpr:
			if p.Fun == e {
				return useHandoff, deref
			}
			if t.c.argBorrowed(p, e) {
				return useRead, deref
			}
			return useHandoff, deref
		case *ast.BinaryExpr:
			return useRead, deref // a comparison
		case *ast.KeyValueExpr:
			// A field of a struct literal whose type cannot take it
			// over: &io.LimitedReader{R: resp.Body}.
			if field, ok := info.ObjectOf(identOf(p.Key)).(*types.Var); ok && p.Value == e && field.IsField() &&
				!carriesOwnership(field.Type(), true) {
				return useRead, deref
			}
			return useHandoff, deref
		case *ast.AssignStmt:
			if containsExpr(p.Lhs, e) {
				if e == stack[len(stack)-1] && !body {
					return useReassign, deref
				}
				return useHandoff, deref // resp.Body = ...: replaced
			}
			if len(p.Lhs) == len(p.Rhs) {
				for k, r := range p.Rhs {
					if ast.Unparen(r) == e && identOf(p.Lhs[k]) != nil && identOf(p.Lhs[k]).Name == "_" {
						return useRead, deref // _ = resp
					}
				}
			}
			return useHandoff, deref
		}
		return useHandoff, deref // returned, stored, sent, addressed...
	}
	return useHandoff, deref
}

// argBorrowed reports whether passing e as an argument of call leaves
// the duty to close with the caller: the parameter's type cannot close
// it (an io.Reader), or the callee is known to only read it.
func (c *checker) argBorrowed(call *ast.CallExpr, e ast.Expr) bool {
	for k, a := range call.Args {
		if ast.Unparen(a) == e || a == e {
			return c.paramBorrows(call, k)
		}
	}
	return false
}

// argsBorrowed reports whether every argument of call that arg (a
// producer call at argument index k) provides is only read by the callee.
func (c *checker) argsBorrowed(call *ast.CallExpr, k int, arg *ast.CallExpr) bool {
	if t, ok := c.pass.TypesInfo.TypeOf(arg).(*types.Tuple); ok && len(call.Args) == 1 {
		for i := range t.Len() {
			if isResponse(t.At(i).Type()) && !c.paramBorrows(call, i) {
				return false
			}
		}
		return true
	}
	return c.paramBorrows(call, k)
}

// paramBorrows reports whether the k-th argument of call is only read.
func (c *checker) paramBorrows(call *ast.CallExpr, k int) bool {
	info := c.pass.TypesInfo
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return false // a conversion: the value lives on
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	params := sig.Params()
	n := params.Len()
	idx := k
	var pt types.Type
	switch {
	case sig.Variadic() && k >= n-1:
		if call.Ellipsis.IsValid() {
			return false
		}
		idx = n - 1
		pt = params.At(n - 1).Type().(*types.Slice).Elem()
	case k < n:
		pt = params.At(k).Type()
	default:
		return false
	}
	if !carriesOwnership(pt, true) {
		return true
	}
	fn := calleeFunc(info, call)
	if fn == nil {
		return false
	}
	if readsOnly(fn) {
		return true
	}
	for _, b := range c.summary(fn).Borrows {
		if b == idx {
			return true
		}
	}
	return false
}

// carriesOwnership reports whether a parameter of type t could take
// over a response or its Body: a *http.Response, an interface with a
// Close method, or (if anyIface) the empty interface or a type parameter.
func carriesOwnership(t types.Type, anyIface bool) bool {
	if isResponse(t) {
		return true
	}
	if u, ok := t.Underlying().(*types.Interface); ok {
		if u.Empty() {
			return anyIface
		}
		return hasCloseMethod(t)
	}
	_, isTypeParam := types.Unalias(t).(*types.TypeParam)
	return isTypeParam && anyIface
}

// readsOnly reports whether fn is known to only read its arguments: the
// fmt and log printers, the testing loggers, and httputil.DumpResponse
// (which drains the body and puts a copy back, so the caller's duty to
// close is unchanged).
func readsOnly(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt":
		return true
	case "log", "testing":
		switch fn.Name() {
		case "Print", "Printf", "Println", "Log", "Logf", "Error", "Errorf", "Output":
			return true
		}
	case "net/http/httputil":
		return fn.Name() == "DumpResponse"
	}
	return false
}

// assume returns the states in which cond evaluates to truth, starting
// from st; none if that cannot happen for a non-nil response (the path
// is pruned: the call failed, so there is nothing to close).
func (t *tracker) assume(cond ast.Expr, truth bool, st flowState) []flowState {
	switch e := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return t.assume(e.X, !truth, st)
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			// a && b is true when both are; a || b is false when both are.
			if (e.Op == token.LAND) == truth {
				var out []flowState
				for _, s := range t.assume(e.X, truth, st) {
					out = append(out, t.assume(e.Y, truth, s)...)
				}
				return out
			}
			out := t.assume(e.X, truth, st)
			for _, s := range t.assume(e.X, !truth, st) {
				out = append(out, t.assume(e.Y, truth, s)...)
			}
			return out
		case token.EQL, token.NEQ:
			info := t.c.pass.TypesInfo
			if t.isBodylessStatus(e) {
				if (e.Op == token.EQL) == truth {
					t.done = true // nothing for the caller to close
					return nil
				}
				st.deref = true
				return []flowState{st}
			}
			operand := e.X
			if isNil(info, e.X) {
				operand = e.Y
			} else if !isNil(info, e.Y) {
				operand = nil
			}
			nonNil := (e.Op == token.NEQ) == truth
			if operand != nil && !t.closer && bodyOf(info, operand) == t.v {
				if !nonNil {
					return nil // a nil Body: nothing to close
				}
				st.deref = true
				return []flowState{st}
			}
			if x := identOf(operand); x != nil {
				switch info.ObjectOf(x) {
				case t.v:
					if !nonNil {
						return nil // the response is nil here
					}
					st.deref = true
					return []flowState{st}
				case t.errVar:
					if t.errVar != nil && st.linked {
						if nonNil {
							return nil // the call failed: no response
						}
						st.err = errNil
						return []flowState{st}
					}
				}
			}
		}
	}
	// Any other condition: follow its uses.
	kind, deref, _ := t.scan(cond)
	switch kind {
	case useClose, useHandoff:
		t.done = true
		return nil
	}
	if deref {
		st.deref = true
	}
	if st.linked && st.err == errUnchecked && t.errVar != nil && mentions(t.c.pass.TypesInfo, cond, t.errVar) {
		st.err = errInspected
	}
	return []flowState{st}
}

// guardedClose reports whether b ends in the condition of
//
//	if shouldClose && i < max {
//		... resp.Body.Close() ...
//	}
//
// whose body closes the response and falls through, and whose condition
// says nothing of the response or its error. The code then closes it
// under a condition we cannot evaluate (flags set earlier, counters), so
// the path that skips the close is trusted not to need it: reporting it
// would rest on an infeasible path more often than on a leak.
func (t *tracker) guardedClose(b *cfg.Block) bool {
	then := b.Succs[0]
	ifs, ok := then.Stmt.(*ast.IfStmt)
	if !ok || then.Kind != cfg.KindIfThen || ifs.Else != nil || len(ifs.Body.List) == 0 {
		return false
	}
	switch last := ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return false // the close is on a path that leaves
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok && !t.c.mayReturn(call) {
			return false
		}
	}
	if mentions(t.c.pass.TypesInfo, ifs.Cond, t.v) || t.errVar != nil && mentions(t.c.pass.TypesInfo, ifs.Cond, t.errVar) {
		return false // a condition on the response: follow both branches
	}
	if kind, _, _ := t.scan(ifs.Body); kind != useClose && kind != useHandoff {
		return false
	}
	return true
}

// isBodylessStatus reports whether e compares v.StatusCode with a status
// whose response has nothing to close for the caller: 101 Switching
// Protocols (the body is the hijacked connection, handed to whoever speaks
// the new protocol), 204 No Content and 304 Not Modified (no body).
func (t *tracker) isBodylessStatus(e *ast.BinaryExpr) bool {
	info := t.c.pass.TypesInfo
	for _, pair := range [][2]ast.Expr{{e.X, e.Y}, {e.Y, e.X}} {
		sel, ok := ast.Unparen(pair[0]).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "StatusCode" || info.ObjectOf(identOf(sel.X)) != t.v {
			continue
		}
		if tv, ok := info.Types[pair[1]]; ok && tv.Value != nil {
			switch tv.Value.ExactString() {
			case "101", "204", "304":
				return true
			}
		}
	}
	return false
}

// stmtList returns the statements of a block or a case clause n.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// branchAfter returns the branch statement that directly follows stmt
// in its list, if any. The branch statements of the body are indexed on
// first use.
func (g *flowGraph) branchAfter(stmt ast.Stmt) *ast.BranchStmt {
	if g.branches == nil {
		g.branches = make(map[ast.Stmt]*ast.BranchStmt)
		ast.Inspect(g.body, func(n ast.Node) bool {
			list := stmtList(n)
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

// branchAfter returns the branch statement (continue, break, goto) that
// ends block b, if any.
func (t *tracker) branchAfter(b *cfg.Block) *ast.BranchStmt {
	if len(b.Nodes) > 0 {
		last, ok := b.Nodes[len(b.Nodes)-1].(ast.Stmt)
		if !ok {
			return nil
		}
		return t.g.branchAfter(last)
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
