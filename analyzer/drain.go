package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strconv"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the drain check (opt-in): a response body closed
// without being read to the end. Before Go 1.27, Close does not drain
// the body, so an HTTP/1 connection whose body was not read to EOF is
// closed instead of going back to the pool (golang/go#77370: Close drains
// from 1.27 on). In a module whose go line is 1.27 or newer it reports
// nothing.
//
//	resp, err := client.Do(req)
//	if err != nil {
//		return err
//	}
//	defer resp.Body.Close()
//	if resp.StatusCode != http.StatusOK {
//		return errStatus   // closed unread: the connection is not reused
//	}

// drainsOnClose is the Go version from which Body.Close drains the body.
const drainsOnClose = "go1.27"

// checkDrain reports the response in v, made by the call at cur in the
// function at fn, if the function closes its body and never reads it:
// nothing reads the body, or hands it (or the response) to code that may.
func checkDrain(c *checker, cur, fn inspector.Cursor, v *types.Var, at flow.Place) {
	if !c.cfg.enabled(nameDrain) || len(at) != 1 || !nethttp.IsResponse(v.Type()) || drainedOnClose(c, cur.Node().Pos()) {
		return // not asked for, not a plain response, or Go drains it
	}
	closing, unread := closedUnread(c, fn, v, at)
	if !unread {
		return
	}
	if closing == nil {
		return // never closed here: the body check's business
	}
	d := analysis.Diagnostic{
		Pos:      cur.Node().Pos(),
		End:      cur.Node().End(),
		Category: nameDrain,
		Message: fmt.Sprintf("%s.Body is closed without being read to the end: the connection is closed instead of going back to the pool (Close drains it only from Go 1.27); read it first, e.g. io.Copy(io.Discard, %s.Body)",
			v.Name(), v.Name()),
		Related: []analysis.RelatedInformation{{Pos: closing.Pos(), End: closing.End(), Message: "closed here, unread"}},
	}
	d.SuggestedFixes = drainFix(c, fn, closing, v)
	c.report(d)
}

// maxCopies bounds the local copies of the response or its body that
// closedUnread follows.
const maxCopies = 4

// closedUnread returns where the function at fn closes the body that v
// holds at at (nil if nowhere), and whether nothing reads it: every use
// of v, and of the local variables it is copied into, only closes the
// body or reads another field of the response.
//
//	var c io.Closer = resp.Body
//	defer c.Close()
func closedUnread(c *checker, fn inspector.Cursor, v *types.Var, at flow.Place) (ast.Node, bool) {
	type held struct {
		v  *types.Var
		at flow.Place
	}
	var closing ast.Node
	todo := []held{{v, at}}
	for n := 0; n < len(todo); n++ {
		h := todo[n]
		for _, use := range c.UsesOf(fn, h.v) {
			stack := flow.StackOf(use, fn)
			u := c.Classify(c.body, stack, h.at, -1)
			switch {
			case u.Kind == flow.UseRelease && !readsFirst(c, u.Node):
				if closing == nil {
					closing = closeOf(stack)
				}
				continue
			case u.Closer: // closeBody := resp.Body.Close closes where it is called
				if call := closerCall(c, fn, stack, u.Node); call != nil {
					if closing == nil {
						closing = call
					}
					continue
				}
			case u.Kind == flow.UseRead:
				if len(h.at) > 0 && !readsBody(stack) {
					continue // a field or a method of the response: StatusCode, Header, Cookies
				}
			case u.Kind == flow.UseStore && !u.Holder && len(todo) < maxCopies:
				if copied, ok := c.pass.TypesInfo.ObjectOf(flow.IdentOf(u.Into)).(*types.Var); ok && copied.Kind() == types.LocalVar && copied != h.v && len(u.At) <= len(h.at) {
					todo = append(todo, held{copied, u.At}) // followed as the response is
					continue
				}
			}
			return nil, false // read, handed on, stored: it may be drained
		}
	}
	return closing, true
}

// drainedOnClose reports whether the code at pos is built with a Go
// that drains the body on Close: the module's go line, or the file's
// version, is 1.27 or newer.
func drainedOnClose(c *checker, pos token.Pos) bool {
	goVersion := ""
	if m := c.pass.Module; m != nil && m.GoVersion != "" {
		goVersion = "go" + m.GoVersion
	}
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			if v := c.pass.TypesInfo.FileVersions[f]; v != "" {
				goVersion = v
			}
		}
	}
	return goVersion != "" && version.Compare(goVersion, drainsOnClose) >= 0
}

// closeOf returns the selector resp.Body.Close in the close at the top of
// stack (a release), or the call of a helper that closes it
// (closeIt(resp.Body)); nil if neither.
func closeOf(stack []ast.Node) ast.Node {
	var call ast.Node
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.SelectorExpr:
			if n.Sel.Name == "Close" {
				return n
			}
		case *ast.CallExpr:
			if call == nil {
				call = n
			}
		}
	}
	return call
}

// closerCall returns the first call of the local variable that the
// method value sel (at the top of stack, its mention) is assigned to:
//
//	closeBody := resp.Body.Close
//	defer closeBody()
func closerCall(c *checker, fn inspector.Cursor, stack []ast.Node, sel ast.Node) *ast.CallExpr {
	f := flow.LocalAssignedTo(c.pass.TypesInfo, stack, sel)
	if f == nil {
		return nil
	}
	for _, use := range c.UsesOf(fn, f) {
		if call, ok := use.Parent().Node().(*ast.CallExpr); ok && call.Fun == use.Node() {
			return call
		}
	}
	return nil
}

// readsBody reports whether the use at the top of stack (the response
// variable) goes on to the body: resp.Body read, passed or stored, not
// only closed.
func readsBody(stack []ast.Node) bool {
	for i := len(stack) - 2; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			continue
		case *ast.SelectorExpr:
			return p.Sel.Name == "Body"
		}
		return true // the response itself, passed on
	}
	return false
}

// drainFix offers to read the body to the end (bounded: at most 1 MiB)
// before the close at closing, in the function at fn, if the file
// imports io:
//
//	defer resp.Body.Close()
//	defer io.CopyN(io.Discard, resp.Body, 1<<20)   // runs first
func drainFix(c *checker, fn inspector.Cursor, closing ast.Node, v *types.Var) []analysis.SuggestedFix {
	cur, ok := fn.FindNode(closing)
	if !ok || !importsIO(c, closing.Pos()) {
		return nil
	}
	var stmt inspector.Cursor
	for s := cur; s.Node() != nil && s != fn; s = s.Parent() {
		if flow.StmtList(s.Parent().Node()) != nil {
			stmt = s
			break
		}
	}
	if !stmt.Valid() {
		return nil
	}
	col := c.pass.Fset.Position(stmt.Node().Pos()).Column
	drain := "io.CopyN(io.Discard, " + v.Name() + ".Body, 1<<20)"
	var edit analysis.TextEdit
	switch n := stmt.Node().(type) {
	case *ast.DeferStmt:
		// On the next line: deferred after the close, it runs before it.
		tf := c.pass.Fset.File(n.End())
		line := tf.Line(n.End())
		if line >= tf.LineCount() {
			return nil
		}
		next := tf.LineStart(line + 1)
		text := strings.Repeat("\t", col-1) + "defer " + drain + " // read to the end (at most 1 MiB): the connection is reused\n"
		edit = analysis.TextEdit{Pos: next, End: next, NewText: []byte(text)}
	case *ast.ExprStmt:
		text := "_, _ = " + drain + " // read to the end (at most 1 MiB): the connection is reused\n" + strings.Repeat("\t", col-1)
		edit = analysis.TextEdit{Pos: n.Pos(), End: n.Pos(), NewText: []byte(text)}
	default:
		return nil
	}
	return []analysis.SuggestedFix{{Message: "Read the body to the end before closing it", TextEdits: []analysis.TextEdit{edit}}}
}

// importsIO reports whether the file at pos imports io under its name.
func importsIO(c *checker, pos token.Pos) bool {
	for _, f := range c.pass.Files {
		if f.FileStart > pos || pos >= f.FileEnd {
			continue
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "io" && (imp.Name == nil || imp.Name.Name == "io") {
				return true
			}
		}
	}
	return false
}

// readsFirst reports whether n is a call of a helper that reads the body
// it is given before it closes it (drainAndClose(resp)).
func readsFirst(c *checker, n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := flow.CalleeFunc(c.pass.TypesInfo, call)
	if fn == nil {
		return false
	}
	for _, p := range c.Summary(fn.Origin()).Params {
		if p.Kind == kindBody && p.Effect&flow.ReadsFirst != 0 {
			return true
		}
	}
	return false
}
