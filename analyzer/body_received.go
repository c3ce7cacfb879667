package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the body check of responses received from a channel:
// the sender handed the response on, so the receiver owns it and must
// close it on every path, as if it had made the call.
//
//	for resp := range results {
//		if resp.StatusCode != http.StatusOK {
//			continue          // leaks: resp.Body is still open
//		}
//		...
//		resp.Body.Close()
//	}

// receivedAt returns the variable that the statement at cur receives a
// response into from a channel, where the response sits in it (a
// struct's field: r.resp), the struct's field that holds the error that
// came with it ("" if none), and the node its search starts from: the
// range statement (for resp := range ch: its body), or the assignment
// (resp := <-ch: after it; in a select's case, case resp := <-ch:, its
// body). A receive that also says whether the channel is closed (resp,
// ok := <-ch) is left alone: its response is nil when it is.
func receivedAt(info *types.Info, cur inspector.Cursor) (v *types.Var, at flow.Place, errField string, def ast.Node) {
	var id *ast.Ident
	switch n := cur.Node().(type) {
	case *ast.RangeStmt:
		if _, ok := info.TypeOf(n.X).Underlying().(*types.Chan); !ok || n.Tok != token.DEFINE {
			return nil, nil, "", nil
		}
		id, _ = n.Key.(*ast.Ident) // the one variable of a range over a channel
	case *ast.AssignStmt:
		if len(n.Lhs) != 1 || len(n.Rhs) != 1 || n.Tok != token.DEFINE {
			return nil, nil, "", nil
		}
		if u, ok := ast.Unparen(n.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			id, _ = n.Lhs[0].(*ast.Ident)
		}
	}
	if id == nil {
		return nil, nil, "", nil
	}
	v, ok := info.Defs[id].(*types.Var)
	if !ok {
		return nil, nil, "", nil
	}
	if nethttp.IsResponse(v.Type()) {
		return v, responsePlace, "", cur.Node()
	}
	if field, errField := responseField(v.Type()); field != "" {
		return v, flow.Place{field, "Body"}, errField, cur.Node()
	}
	return nil, nil, "", nil
}

// responseField returns the name of the one field of the struct type t
// that is a response, and of its one field of an error type, if any
// (result{resp, err}: the error of the call that made the response,
// which says there is none where it is not nil); "" if t has no such
// field, or more than one.
//
//	type reply struct {
//		url  string
//		resp *http.Response
//		err  error
//	}
func responseField(t types.Type) (field, errField string) {
	s, ok := t.Underlying().(*types.Struct)
	if !ok {
		return "", ""
	}
	for f := range s.Fields() {
		switch {
		case flow.IsErrorType(f.Type()) && errField == "":
			errField = f.Name()
		case nethttp.IsResponse(f.Type()) && field == "":
			field = f.Name()
		case flow.IsErrorType(f.Type()), nethttp.IsResponse(f.Type()):
			return "", "" // two
		}
	}
	return field, errField
}

// checkReceived reports the response that the statement at cur receives
// from a channel, if a path leaves its body open.
func checkReceived(c *checker, cur inspector.Cursor) {
	v, at, errField, def := receivedAt(c.pass.TypesInfo, cur)
	if v == nil {
		return
	}
	fn, _ := flow.EnclosingFunc(cur)
	if _, body := flow.FuncParts(fn.Node()); body == nil {
		return
	}
	found := c.Search(flow.Target{Spec: c.body, V: v, At: at, ErrField: errField}, fn.Node(), def)
	if found.Leak == nil {
		return
	}
	where := ""
	if fd := flow.EnclosingDecl(cur); fd != nil {
		where = " in " + flow.FuncName(fd)
	}
	closer := strings.Join(append([]string{v.Name()}, at...), ".")
	advice := "defer " + closer + ".Close() right after the receive"
	if _, ok := def.(*ast.RangeStmt); ok {
		advice = "close it before each continue and at the end of the loop's body (a defer there runs only when the function returns)"
	}
	c.report(analysis.Diagnostic{
		Pos:      v.Pos(),
		End:      v.Pos() + token.Pos(len(v.Name())),
		Category: nameBody,
		Message: fmt.Sprintf("%s is not closed on every path%s: the response was received from a channel, so it is this code's to close, and "+bodyConsequence+"; %s",
			closer, where, advice),
		Related: []analysis.RelatedInformation{{Pos: found.Leak.Pos, Message: leakMessage(found.Leak, closer, v.Name())}},
	})
}
