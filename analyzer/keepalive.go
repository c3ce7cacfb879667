package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds the keepalive check: keep-alive switched off on the
// dialer of an http.Transport that still pools its connections. The
// resolution of dial funcs and dialers to their toggles is in
// keepalive_dial.go, of transports to their literals in
// keepalive_origin.go.

// kaConsequence completes every keepalive message. net/http documents
// DisableKeepAlives as "unrelated to the similarly named TCP keep-alives".
const kaConsequence = "disables TCP keep-alive probes only; the http.Transport still reuses and pools the connection " +
	"(to close connections after each request, set DisableKeepAlives: true on the Transport)"

// A dialInstall is a dial func installed on an http.Transport:
//
//	&http.Transport{DialContext: dial}   // at is the KeyValueExpr
//	t.DialContext = dial                 // at is the AssignStmt
//	dep.UseShortDial(t)                  // at is the CallExpr
type dialInstall struct {
	at        ast.Node    // the KeyValueExpr or AssignStmt that installs the dial func, or the call of a helper that does
	dial      ast.Expr    // the dial func
	helper    *types.Func // for a call, the helper (see callInstalls)
	dialer    bool        // dial is a net.Dialer, whose method the helper installs (see paramInstalls)
	transport ast.Node    // the Transport literal, or the assignment
	base      ast.Expr    // for an assignment, the Transport assigned to (t above)
	next      token.Pos   // for an assignment, the start of the line after it, if a statement may go there
}

// A kaFinding is one keepalive diagnostic under construction.
type kaFinding struct {
	at      ast.Node // where it is reported
	message string
	related []ast.Node          // the transports that install the dial func
	edits   []analysis.TextEdit // the fix: DisableKeepAlives: true on each of them
	seen    map[ast.Node]bool   // members of related
}

// foreignKey identifies a finding at an install whose dial func,
// declared in another package, disables keep-alive.
type foreignKey struct {
	at ast.Node
	fn *types.Func
}

// checkKeepAlive reports dial funcs and net.Dialers that turn off TCP
// keep-alive while the http.Transport they are installed on keeps
// pooling connections (DisableKeepAlives is not set):
//
//	func dial(network, addr string) (net.Conn, error) {
//		conn, err := net.Dial(network, addr)
//		...
//		conn.(*net.TCPConn).SetKeepAlive(false)   // reported here
//	}
//	var t = &http.Transport{Dial: dial}           // related information
//
//	&http.Transport{DialContext: (&net.Dialer{KeepAlive: -1}).DialContext}
//	                                         ^ reported at the field
//
// A toggle is reported once per package, however many transports install
// its dial func: each of them is listed as related information and gets
// DisableKeepAlives: true in the suggested fix, in its composite literal
// or, for a Transport from elsewhere (a Clone) held in a variable, by an
// assignment after the one that installs the dial func.
//
// When the dial func is declared in another package, its toggle cannot
// be reported there (that package does not know about the transport),
// so the diagnostic goes to the field or assignment that installs it, in
// this package, and names the dial func. The dial func's package tells
// this one through the DialNoKeepAlive fact.
func checkKeepAlive(c *checker, installs []dialInstall, turnedOff []ast.Expr) {
	dials := &dialResolver{c: c, info: c.pass.TypesInfo}
	origins := &transportOrigins{c: c, info: c.pass.TypesInfo, turnedOff: turnedOff}
	findings := make(map[any]*kaFinding)
	add := func(key any, at ast.Node, message string, in dialInstall, edit *analysis.TextEdit) {
		f := findings[key]
		if f == nil {
			f = &kaFinding{at: at, message: message, seen: make(map[ast.Node]bool)}
			findings[key] = f
		}
		if !f.seen[in.transport] {
			f.seen[in.transport] = true
			f.related = append(f.related, in.transport)
		}
		if edit != nil && !slices.ContainsFunc(f.edits, func(e analysis.TextEdit) bool { return e.Pos == edit.Pos }) {
			f.edits = append(f.edits, *edit)
		}
	}
	for _, in := range installs {
		var toggles []ast.Node
		foreign := []*types.Func{in.helper}
		switch {
		case in.dialer:
			foreign = nil
			if t := dials.dialerToggle(in.dial, 0); t != nil {
				toggles = []ast.Node{t}
			}
		case in.helper == nil:
			toggles, foreign = dials.dialSources(in.dial, 0, make(map[*types.Func]bool))
		}
		if len(toggles) == 0 && len(foreign) == 0 {
			continue // the dial func leaves TCP keep-alive alone, as far as we can tell
		}
		var o trOrigin
		if in.base == nil {
			o = trOrigin{fix: in.transport.(*ast.CompositeLit), lits: []*ast.CompositeLit{in.transport.(*ast.CompositeLit)}}
		} else if o = origins.transportOrigin(in.base, 0); !o.known {
			continue // a Transport from elsewhere: it may disable keep-alives
		}
		if origins.disablesKeepAlives(o) {
			continue // the real switch is on (or may be), or no idle conn is kept
		}
		edit := disableKeepAlivesEdit(c, in, o)
		for _, t := range toggles {
			add(t, t, render(t)+" "+kaConsequence, in, edit)
		}
		for _, fn := range foreign {
			what := "dial func "
			if !nethttp.IsDialResults(fn.Signature().Results()) {
				what = "helper " // a helper the dial func hands its connection to
			}
			add(foreignKey{in.at, fn}, in.at, what+qualifiedName(fn)+" "+kaConsequence, in, edit)
		}
	}

	ordered := slices.Collect(maps.Values(findings))
	slices.SortFunc(ordered, func(a, b *kaFinding) int {
		return cmp.Or(cmp.Compare(a.at.Pos(), b.at.Pos()), strings.Compare(a.message, b.message))
	})
	for _, f := range ordered {
		d := analysis.Diagnostic{
			Pos:      f.at.Pos(),
			End:      f.at.End(),
			Category: nameKeepAlive,
			Message:  f.message,
		}
		for _, t := range f.related {
			if t == f.at {
				continue // reported at the assignment that installs it
			}
			d.Related = append(d.Related, analysis.RelatedInformation{
				Pos:     t.Pos(),
				End:     t.End(),
				Message: "installed on this http.Transport, which does not set DisableKeepAlives",
			})
		}
		if len(f.edits) > 0 {
			slices.SortFunc(f.edits, func(a, b analysis.TextEdit) int { return cmp.Compare(a.Pos, b.Pos) })
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Set DisableKeepAlives: true on the Transport",
				TextEdits: f.edits,
			}}
		}
		c.report(d)
	}
}

// summarizeDial records in f whether lf is a dial func (it returns a
// net.Conn or *net.TCPConn and an error) that turns off TCP keep-alive on
// the connections it returns, itself or through the dial funcs and
// net.Dialers it uses; or a maker of a net.Dialer, or of a dial func,
// that turns it off (under a test of its flag parameter, if any).
func summarizeDial(c *checker, lf *flow.Func, f *flow.Fact) {
	dials := &dialResolver{c: c, info: c.pass.TypesInfo}
	seen := func() map[*types.Func]bool { // the functions followed: this one, against recursion
		if lf.Fn == nil {
			return make(map[*types.Func]bool)
		}
		return map[*types.Func]bool{lf.Fn.Origin(): true}
	}
	if w, ok := makerToggle(dials, lf); ok {
		f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindDialConn, When: w})
		return
	}
	if w, ok := dialMakerToggle(dials, lf, seen()); ok {
		f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindDialConn, When: w})
		return
	}
	if i := dialForwarder(c.pass.TypesInfo, lf); i >= 0 {
		f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindDialConn, Effect: flow.Returns})
		return
	}
	if j, into, ok := dialerInstall(c.pass.TypesInfo, lf); ok {
		pf := flow.ParamFact{Index: j, Kind: kindDialConn, Effect: flow.Returns}
		if into >= 0 {
			pf = flow.ParamFact{Index: j, Kind: kindDialConn, Effect: flow.Into, Holder: into}
		}
		f.Params = append(f.Params, pf)
		return
	}
	if !nethttp.IsDialResults(lf.Sig().Results()) {
		// A helper that turns keep-alive off on a connection or dialer
		// it is given.
		params := lf.Sig().Params()
		for i := range params.Len() {
			if flow.IsNamed(params.At(i).Type(), "net/http", "Transport") {
				if w, ok := transportInstall(dials, lf, params.At(i), seen()); ok {
					f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindDialConn, Effect: flow.Uses, When: w})
					break
				}
			}
			if !nethttp.IsConnOrDialer(params.At(i).Type()) {
				continue
			}
			if toggles, foreign := dials.bodyToggles(lf.Body(), 0, seen()); len(toggles)+len(foreign) > 0 {
				f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindDialConn, Effect: flow.Uses})
			} else if w, ok := flagToggle(dials, lf, false, 0); ok {
				f.Params = append(f.Params, flow.ParamFact{Index: i, Kind: kindDialConn, Effect: flow.Uses, When: w})
			}
			break
		}
		return
	}
	toggles, foreign := dials.bodyToggles(lf.Body(), 0, seen())
	if len(toggles) > 0 || len(foreign) > 0 {
		f.Results = append(f.Results, flow.ResultFact{Index: 0, Kind: kindDialConn})
	}
}

// exportDialerVars exports, for each exported package-level variable of
// the package that holds a net.Dialer turning TCP keep-alive off
// (KeepAlive: -1, KeepAliveConfig{Enable: false}), a fact that says so:
// a Transport of another package that dials through it
// (DialContext: dialers.Default.DialContext) is then judged as one of
// this package would be.
func exportDialerVars(c *checker) {
	dials := &dialResolver{c: c, info: c.pass.TypesInfo}
	scope := c.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || !v.Exported() || !flow.IsNamed(v.Type(), "net", "Dialer") {
			continue
		}
		if dials.varToggle(v, 0) != nil {
			c.pass.ExportObjectFact(v, &flow.Fact{Results: []flow.ResultFact{{Index: 0, Kind: kindDialConn}}})
		}
	}
}

// checkDialerOption reports a dialer option that turns TCP keep-alive
// off: a func literal that takes a *net.Dialer and sets its KeepAlive
// negative, handed to a method or function of a client that can hold a
// pool, when the function around it never mentions DisableKeepAlives:
//
//	awshttp.NewBuildableClient().WithDialerOptions(func(d *net.Dialer) {
//		d.KeepAlive = -1   // reported here
//	})
func checkDialerOption(c *checker, cur inspector.Cursor, fn *types.Func) {
	call := cur.Node().(*ast.CallExpr)
	if fn == nil || !slices.ContainsFunc(call.Args, func(e ast.Expr) bool { _, ok := e.(*ast.FuncLit); return ok }) {
		return // the cheap test first
	}
	sig := fn.Signature()
	holder := sig.Recv() != nil && c.pools.holdsPool(sig.Recv().Type()) || c.pools.poolResult(sig.Results()) >= 0
	if !holder {
		return
	}
	info := c.pass.TypesInfo
	for _, arg := range call.Args {
		lit, ok := arg.(*ast.FuncLit)
		if !ok || lit.Type.Params.NumFields() != 1 || len(lit.Type.Params.List[0].Names) != 1 {
			continue
		}
		v, ok := info.Defs[lit.Type.Params.List[0].Names[0]].(*types.Var)
		if !ok || !flow.IsPointerTo(v.Type(), "net", "Dialer") {
			continue
		}
		toggle := dialerLitToggle(c, nil, v)
		if toggle == nil {
			continue
		}
		if encl := flow.EnclosingDecl(cur); encl != nil && flow.MentionsName(encl, "DisableKeepAlives") {
			return // the real switch may be set too
		}
		c.report(analysis.Diagnostic{
			Pos:      toggle.Pos(),
			End:      toggle.End(),
			Category: nameKeepAlive,
			Message:  render(toggle) + " " + kaConsequence,
			Related: []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(),
				Message: "the dialer option is handed to " + fn.Name() + ", whose client pools its connections"}},
		})
	}
}

// litInstalls appends to installs the dial funcs that the composite
// literal at cur installs, if it is an http.Transport:
//
//	&http.Transport{Dial: f, DialContext: f, DialTLS: f, DialTLSContext: f}
func litInstalls(c *checker, cur inspector.Cursor, installs []dialInstall) []dialInstall {
	info := c.pass.TypesInfo
	lit := cur.Node().(*ast.CompositeLit)
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok || !nethttp.IsDialField(flow.IdentOf(kv.Key)) || flow.IsNil(info, kv.Value) {
			continue // not a dial func
		}
		if !flow.IsNamed(info.TypeOf(lit), "net/http", "Transport") {
			return installs // not a Transport
		}
		installs = append(installs, dialInstall{at: kv, dial: kv.Value, transport: lit})
	}
	return installs
}

// assignInstalls appends to installs the dial funcs that the assignment
// at cur sets on an http.Transport:
//
//	t.DialContext = f
func assignInstalls(c *checker, cur inspector.Cursor, installs []dialInstall) []dialInstall {
	info := c.pass.TypesInfo
	as := cur.Node().(*ast.AssignStmt)
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return installs // no Transport field is set by := or a tuple
	}
	for i, lhs := range as.Lhs {
		sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
		if !ok || !nethttp.IsDialField(sel.Sel) || !nethttp.IsTransportField(flow.FieldOf(info, sel), nethttp.DialFields...) || flow.IsNil(info, as.Rhs[i]) {
			continue // not a dial func set on a Transport
		}
		installs = append(installs, dialInstall{at: as, dial: as.Rhs[i], transport: as, base: sel.X, next: lineAfter(c, cur)})
	}
	return installs
}

// lineAfter returns the start of the line after the statement at cur, if
// it is a statement of a block that ends its line; token.NoPos otherwise.
func lineAfter(c *checker, cur inspector.Cursor) token.Pos {
	block, ok := cur.Parent().Node().(*ast.BlockStmt)
	if !ok {
		return token.NoPos // an init or post statement
	}
	tf := c.pass.Fset.File(cur.Node().End())
	line := tf.Line(cur.Node().End())
	next := block.Rbrace
	if i := slices.Index(block.List, cur.Node().(ast.Stmt)); i+1 < len(block.List) {
		next = block.List[i+1].Pos()
	}
	if tf.Line(next) <= line {
		return token.NoPos // something follows on the same line
	}
	return tf.LineStart(line + 1)
}

// disableKeepAlivesEdit returns the edit that sets DisableKeepAlives:
// true on the Transport of origin o that in installs a dial func on, or
// nil if there is none:
//
//	&http.Transport{Dial: dial, DisableKeepAlives: true}   // in its literal
//	t.DialContext = dial
//	t.DisableKeepAlives = true                              // after the assignment
func disableKeepAlivesEdit(c *checker, in dialInstall, o trOrigin) *analysis.TextEdit {
	if o.fix != nil {
		return literalEdit(c, o.fix)
	}
	id := flow.IdentOf(in.base)
	if id == nil || !in.next.IsValid() {
		return nil // no variable to assign to, or no room for a statement
	}
	column := c.pass.Fset.Position(in.at.Pos()).Column
	text := strings.Repeat("\t", column-1) + id.Name + ".DisableKeepAlives = true\n"
	return &analysis.TextEdit{Pos: in.next, End: in.next, NewText: []byte(text)}
}

// literalEdit returns the edit that sets DisableKeepAlives: true in the
// Transport literal lit: it replaces an explicit false, or adds the field
// after the last one, on the same line or on a line of its own before the
// closing brace.
func literalEdit(c *checker, lit *ast.CompositeLit) *analysis.TextEdit {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok && flow.IdentOf(kv.Key) != nil && flow.IdentOf(kv.Key).Name == "DisableKeepAlives" {
			return &analysis.TextEdit{Pos: kv.Value.Pos(), End: kv.Value.End(), NewText: []byte("true")}
		}
	}
	if len(lit.Elts) == 0 {
		return &analysis.TextEdit{Pos: lit.Rbrace, End: lit.Rbrace, NewText: []byte("DisableKeepAlives: true")}
	}
	fset := c.pass.Fset
	last := lit.Elts[len(lit.Elts)-1]
	lastLine := fset.Position(last.End()).Line
	rbraceLine := fset.Position(lit.Rbrace).Line
	if lastLine == rbraceLine {
		return &analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte(", DisableKeepAlives: true")}
	}
	// A line of its own, indented like the leftmost field on the last
	// field's line (gofmt indents with tabs).
	column := fset.Position(last.Pos()).Column
	for _, elt := range lit.Elts {
		if p := fset.Position(elt.Pos()); p.Line == fset.Position(last.Pos()).Line {
			column = min(column, p.Column)
		}
	}
	at := fset.File(lit.Rbrace).LineStart(rbraceLine)
	text := strings.Repeat("\t", column-1) + "DisableKeepAlives: true,\n"
	return &analysis.TextEdit{Pos: at, End: at, NewText: []byte(text)}
}

// render returns the source of a toggle for a message: a call, a
// field of a literal, or an assignment.
func render(n ast.Node) string {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return joinExprs(n.Lhs) + " " + n.Tok.String() + " " + joinExprs(n.Rhs)
	case *ast.KeyValueExpr:
		return types.ExprString(n.Key) + ": " + types.ExprString(n.Value)
	case ast.Expr:
		return types.ExprString(n)
	}
	panic(fmt.Sprintf("unexpected toggle %T", n))
}

// joinExprs returns the source of a list of expressions.
func joinExprs(list []ast.Expr) string {
	var strs []string
	for _, e := range list {
		strs = append(strs, types.ExprString(e))
	}
	return strings.Join(strs, ", ")
}

// qualifiedName returns the name of fn qualified by its package name and, for
// a method, its receiver type: dialers.Dial, dialers.Pool.Dial.
func qualifiedName(fn *types.Func) string {
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		t := types.Unalias(recv.Type())
		if ptr, ok := t.(*types.Pointer); ok {
			t = types.Unalias(ptr.Elem())
		}
		if named, ok := t.(*types.Named); ok {
			name = named.Obj().Name() + "." + name
		}
	}
	return fn.Pkg().Name() + "." + name
}

// uniqueNodes returns nodes without repeats, in order.
func uniqueNodes(nodes []ast.Node) []ast.Node {
	seen := make(map[ast.Node]bool)
	var out []ast.Node
	for _, n := range nodes {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
