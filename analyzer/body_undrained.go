package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check of a channel that goroutines hand
// their responses over on, whose receiver stops early: the first
// response wins, and the others stay in the channel (or their senders
// block on it) with their bodies open.
//
//	ch := make(chan *http.Response, len(mirrors))
//	for _, m := range mirrors {
//		go func() { resp, err := c.Get(m); if err == nil { ch <- resp } }()
//	}
//	for range mirrors {
//		if resp := <-ch; resp.StatusCode == http.StatusOK {
//			return resp, nil     // leaks: the later responses are never received
//		}
//	...
//
// So does a select that returns in another case than the one that
// receives (case <-ctx.Done(): return), whatever the number of senders.
//
// The channel must be made in the function, and sent on only by
// goroutines (or closures handed to a call, as errgroup.Go and
// WaitGroup.Go take them) that it starts, in a loop for a loop that
// receives, each sending a response it has not closed; it must be
// received from only by the function itself (a goroutine or a deferred
// closure that receives may drain it) and go nowhere else. A function
// that defers a context's cancel is left alone: cancelling the context
// of the requests closes the connections of the responses left over.

// checkUndrained reports the first return that leaves the loop receiving
// from the channel that the statement at cur makes, if the channel is
// one of responses that the loop may leave in it.
func checkUndrained(c *checker, cur inspector.Cursor) {
	info := c.pass.TypesInfo
	as := cur.Node().(*ast.AssignStmt)
	if len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Tok != token.DEFINE {
		return
	}
	mk, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok || !flow.IsBuiltin(info, mk, "make") {
		return
	}
	ch, ok := info.TypeOf(mk).Underlying().(*types.Chan)
	id, _ := as.Lhs[0].(*ast.Ident)
	if !ok || id == nil || !carriesResponse(ch.Elem()) {
		return
	}
	v, _ := info.Defs[id].(*types.Var)
	fn, _ := flow.EnclosingFunc(cur)
	if v == nil {
		return
	}
	var send ast.Node
	many := true         // every sender is started in a loop
	var exits []ast.Node // the loops and select cases the function receives in
	for _, use := range c.UsesOf(fn, v) {
		encl, _ := flow.EnclosingFunc(use)
		parent := flow.OuterParens(use).Parent()
		switch kind := flow.OuterParens(use).ParentEdgeKind(); {
		case kind == edge.SendStmt_Chan:
			loop, ok := startedBy(encl, fn)
			if !ok {
				return // sent on by the function itself
			}
			many = many && loop
			if send == nil && sendsOpen(c, encl, parent.Node().(*ast.SendStmt)) {
				send = parent.Node()
			}
		case kind == edge.UnaryExpr_X && parent.Node().(*ast.UnaryExpr).Op == token.ARROW, kind == edge.RangeStmt_X:
			if encl != fn {
				return // received elsewhere: it may drain the channel
			}
			if exit := receivedIn(parent, fn); exit != nil {
				exits = append(exits, exit)
			}
		case kind == edge.CallExpr_Args && (flow.IsBuiltin(info, parent.Node().(*ast.CallExpr), "close") || flow.IsBuiltin(info, parent.Node().(*ast.CallExpr), "len")):
		default:
			return // handed on, or assigned: followed no further
		}
	}
	if send == nil || len(exits) == 0 || defersCancel(info, fn) {
		return
	}
	for _, exit := range exits {
		if _, sel := exit.(otherCases); !sel && !many {
			continue // a sender started once: a loop that receives has received it
		}
		if ret := earlyReturn(exit); ret != nil {
			what := "leaves the loop that receives from %s before every goroutine's response is received: the rest stay in the channel with their Bodies open"
			if _, sel := exit.(otherCases); sel {
				what = "leaves the select without receiving from %s: the goroutine's response, once sent, stays in the channel with its Body open"
			}
			c.report(analysis.Diagnostic{
				Pos:      ret.Pos(),
				End:      ret.End(),
				Category: nameBody,
				Message: fmt.Sprintf("this return "+what+", and "+bodyConsequence+"; "+
					"before returning, drain %s in a goroutine and close each response's Body", id.Name, id.Name),
				Related: []analysis.RelatedInformation{{Pos: send.Pos(), End: send.End(), Message: "a response sent here"}},
			})
			return
		}
	}
}

// carriesResponse reports whether a value of type t is a response, or a
// struct with a field that is one.
func carriesResponse(t types.Type) bool {
	if nethttp.IsResponse(t) {
		return true
	}
	if s, ok := t.Underlying().(*types.Struct); ok {
		for f := range s.Fields() {
			if nethttp.IsResponse(f.Type()) {
				return true
			}
		}
	}
	return false
}

// startedBy reports whether the function literal at lit, nested
// directly in the function at fn, runs as a goroutine (go func(){...}(),
// or handed to a call: g.Go(func() error {...})), and whether fn starts
// it in a loop.
func startedBy(lit, fn inspector.Cursor) (inLoop, ok bool) {
	if _, ok := lit.Node().(*ast.FuncLit); !ok || lit == fn {
		return false, false
	}
	cur := flow.OuterParens(lit)
	switch cur.ParentEdgeKind() {
	case edge.CallExpr_Fun:
		if cur.Parent().ParentEdgeKind() != edge.GoStmt_Call {
			return false, false
		}
	case edge.CallExpr_Args:
	default:
		return false, false
	}
	for p := cur.Parent(); p != fn; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			inLoop = true
		case *ast.FuncLit:
			return false, false
		}
	}
	return inLoop, true
}

// defersCancel reports whether the function at fn defers a call of a
// context's cancel func (defer cancel()).
func defersCancel(info *types.Info, fn inspector.Cursor) bool {
	for d := range fn.Preorder((*ast.DeferStmt)(nil)) {
		if t, ok := info.TypeOf(d.Node().(*ast.DeferStmt).Call.Fun).(*types.Named); ok && t.Obj().Pkg() != nil &&
			t.Obj().Pkg().Path() == "context" && t.Obj().Name() == "CancelFunc" {
			return true
		}
	}
	return false
}

// sendsOpen reports whether send, in the function literal at lit, sends
// a response (itself, or in a field of a literal) that lit does nothing
// else with than test it and read its fields other than Body: a
// response still open.
func sendsOpen(c *checker, lit inspector.Cursor, send *ast.SendStmt) bool {
	info := c.pass.TypesInfo
	value := ast.Unparen(send.Value)
	if u, ok := value.(*ast.UnaryExpr); ok && u.Op == token.AND {
		value = ast.Unparen(u.X)
	}
	var resp *types.Var
	if cl, ok := value.(*ast.CompositeLit); ok {
		for _, elt := range cl.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if v := flow.VarOf(info, elt); v != nil && nethttp.IsResponse(v.Type()) {
				resp = v
			}
		}
	} else if v := flow.VarOf(info, value); v != nil && nethttp.IsResponse(v.Type()) {
		resp = v
	}
	if resp == nil {
		return false
	}
	for _, use := range c.UsesOf(lit, resp) {
		switch use.ParentEdgeKind() {
		case edge.AssignStmt_Lhs, edge.BinaryExpr_X, edge.BinaryExpr_Y:
			continue // got from the call, tested against nil
		case edge.SelectorExpr_X:
			if sel := use.Parent().Node().(*ast.SelectorExpr); sel.Sel.Name != "Body" {
				continue // resp.StatusCode
			}
		}
		if !flow.PosIn(use.Node().Pos(), send) {
			return false // closed, handed on, or anything else
		}
	}
	return true
}

// receivedIn returns where the function at fn may stop receiving from
// the channel at the receive rcv (a <-ch, or a range over ch): the other
// cases of the select it is a case of, or the loop that receives (the
// range itself, or the innermost loop around the receive); nil if none.
func receivedIn(rcv, fn inspector.Cursor) ast.Node {
	if r, ok := rcv.Node().(*ast.RangeStmt); ok {
		return r
	}
	for p := rcv; p != fn; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.CommClause:
			if p.ParentEdgeKind() == edge.BlockStmt_List && p.Parent().ParentEdgeKind() == edge.SelectStmt_Body {
				return otherCases{p.Parent().Node().(*ast.BlockStmt), n}
			}
		case *ast.ForStmt, *ast.RangeStmt:
			return n
		case *ast.FuncLit:
			return nil
		}
	}
	return nil
}

// otherCases are the cases of a select but one.
type otherCases struct {
	*ast.BlockStmt
	but *ast.CommClause
}

// earlyReturn returns the first return statement in the body of the
// loop, or in the other cases of a select, not in a function literal, if
// any.
func earlyReturn(exit ast.Node) *ast.ReturnStmt {
	var bodies []ast.Stmt
	switch l := exit.(type) {
	case *ast.ForStmt:
		bodies = append(bodies, l.Body)
	case *ast.RangeStmt:
		bodies = append(bodies, l.Body)
	case otherCases:
		for _, cc := range l.List {
			if cc != l.but {
				bodies = append(bodies, cc)
			}
		}
	}
	for _, body := range bodies {
		if rets := flow.ReturnsOf(body); len(rets) > 0 {
			return rets[0]
		}
	}
	return nil
}
