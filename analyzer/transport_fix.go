package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"strconv"
	"unicode"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A hoister makes the fix of the transport check, and remembers the
// names of the package-level variables its fixes add.
type hoister struct {
	c       *checker
	hoisted map[string]bool
}

// hoistFix returns the fix that moves a per-call Transport literal into
// a package-level variable, so that every call shares one pool:
//
//	func DoRequest(URL string) ... {          var doRequestTransport = &http.Transport{Dial: dialTimeout}
//		transport := http.Transport{Dial: dialTimeout}   =>   func DoRequest(URL string) ... {
//		client := http.Client{Transport: &transport}          	transport := doRequestTransport
//	                                                          	client := http.Client{Transport: transport}
//
// It offers one only when that is safe: the literal refers to no
// variable (local or global) and calls nothing, so evaluating it once at
// start-up gives the same transport; and the function neither sets nor
// reads the transport's fields, which would race once it is shared.
func (h *hoister) hoistFix(src poolSource, fl *flow.Flow) (analysis.SuggestedFix, bool) {
	cur, lit := src.cur, src.lit
	if lit == nil || fl.Flags&poolMutated != 0 || !h.movable(cur) || h.mayDialNoKeepAlive(lit) {
		return analysis.SuggestedFix{}, false
	}
	top, file := topLevelDecl(cur)
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	name := h.hoistName(top, lit.Pos())
	var edits []analysis.TextEdit
	at := flow.OuterParens(cur)
	if u, ok := at.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		// &http.Transport{...} => name
		edits = append(edits, analysis.TextEdit{Pos: u.Pos(), End: u.End(), NewText: []byte(name)})
	} else {
		// transport := http.Transport{...}; ... &transport
		//   => transport := name; ... transport
		addrs, ok := h.addressUses(at)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: lit.Pos(), End: lit.End(), NewText: []byte(name)})
		for _, u := range addrs {
			edits = append(edits, analysis.TextEdit{Pos: u.Pos(), End: u.X.Pos()}) // drop the &
		}
	}
	user := "every call"
	if fn, _ := flow.EnclosingFunc(cur); fn.Node() == top {
		user = "every call of " + top.(*ast.FuncDecl).Name.Name
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "// %s is shared by %s, which reuses its idle connections.\nvar %s = &", name, user, name)
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&buf, h.c.pass.Fset, &printer.CommentedNode{Node: lit, Comments: file.Comments}); err != nil {
		return analysis.SuggestedFix{}, false
	}
	buf.WriteString("\n\n")
	pos := top.Pos()
	switch d := top.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			pos = d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			pos = d.Doc.Pos()
		}
	}
	edits = append(edits, analysis.TextEdit{Pos: pos, End: pos, NewText: buf.Bytes()})
	return analysis.SuggestedFix{
		Message:   "move the transport to package variable " + name + ", shared by all calls",
		TextEdits: edits,
	}, true
}

// movable reports whether the Transport literal at cur can be evaluated
// at package level instead: it names no variable (but fields and those
// it declares itself, in a function literal) nor anything local, and
// calls nothing outside a function literal but conversions.
func (h *hoister) movable(cur inspector.Cursor) bool {
	info := h.c.pass.TypesInfo
	lit := cur.Node()
	for n := range cur.Preorder((*ast.Ident)(nil), (*ast.CallExpr)(nil)) {
		switch x := n.Node().(type) {
		case *ast.CallExpr:
			if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
				continue // a conversion
			}
			if fl, ok := enclosingFuncLit(n); !ok || !flow.PosIn(fl.Pos(), lit) {
				return false // a call made when the literal is evaluated
			}
		case *ast.Ident:
			obj := info.Uses[x]
			if obj == nil || flow.PosIn(obj.Pos(), lit) {
				continue // declares, or uses what the literal declares
			}
			switch obj := obj.(type) {
			case *types.Var:
				if !obj.IsField() {
					return false // a variable: its value at start-up may differ
				}
			case *types.Const, *types.TypeName, *types.Func:
				if p := obj.Parent(); p != nil && p != types.Universe && (obj.Pkg() == nil || p != obj.Pkg().Scope()) {
					return false // declared in a function
				}
			case *types.PkgName, *types.Nil:
			default:
				return false
			}
		}
	}
	return true
}

// mayDialNoKeepAlive reports whether the Transport literal installs a
// dial func that may turn TCP keep-alive off: the keepalive check then
// suggests DisableKeepAlives: true in the same literal, and moving the
// literal would conflict with that fix. Known safe dial funcs are
// functions without the DialNoKeepAlive fact and the methods of a
// net.Dialer literal that leaves KeepAlive non-negative:
//
//	Dial: dialTimeout
//	DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext
func (h *hoister) mayDialNoKeepAlive(lit *ast.CompositeLit) bool {
	info := h.c.pass.TypesInfo
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if !nethttp.IsDialField(flow.IdentOf(kv.Key)) {
			continue // not a dial func
		}
		var fn *types.Func
		switch v := ast.Unparen(kv.Value).(type) {
		case *ast.Ident:
			fn, _ = info.Uses[v].(*types.Func)
		case *ast.SelectorExpr:
			fn, _ = info.Uses[v.Sel].(*types.Func)
			if flow.IsMethod(fn, "net", "Dialer", "Dial", "DialContext") {
				if !nethttp.KeepsDialerKeepAlive(info, v.X) {
					return true
				}
				continue
			}
		}
		if fn == nil || h.c.Summary(fn).Result(kindDialConn) != nil {
			return true
		}
	}
	return false
}

// enclosingFuncLit returns the innermost function literal around cur.
func enclosingFuncLit(cur inspector.Cursor) (ast.Node, bool) {
	for fl := range cur.Enclosing((*ast.FuncLit)(nil)) {
		return fl.Node(), true
	}
	return nil, false
}

// addressUses returns the &v expressions of the variable v that the
// Transport value at lit initializes, as in
//
//	v := http.Transport{...}    or    var v = http.Transport{...}
//
// if v is used only as &v or x in v.m(...): then v can become a pointer.
func (h *hoister) addressUses(lit inspector.Cursor) ([]*ast.UnaryExpr, bool) {
	info := h.c.pass.TypesInfo
	var id *ast.Ident
	switch kind, idx := lit.ParentEdge(); kind {
	case edge.AssignStmt_Rhs:
		as := lit.Parent().Node().(*ast.AssignStmt)
		if as.Tok == token.DEFINE && len(as.Lhs) == len(as.Rhs) {
			id = flow.IdentOf(as.Lhs[idx])
		}
	case edge.ValueSpec_Values:
		spec := lit.Parent().Node().(*ast.ValueSpec)
		if spec.Type == nil && len(spec.Names) == len(spec.Values) {
			id = spec.Names[idx]
		}
	}
	if id == nil {
		return nil, false
	}
	v, ok := info.Defs[id].(*types.Var)
	if !ok {
		return nil, false // redeclared by :=: assigned, not declared, here
	}
	fn, ok := flow.EnclosingFunc(lit)
	if !ok {
		return nil, false
	}
	var addrs []*ast.UnaryExpr
	for _, use := range h.c.UsesOf(fn, v) {
		use = flow.OuterParens(use)
		switch use.ParentEdgeKind() {
		case edge.UnaryExpr_X:
			u := use.Parent().Node().(*ast.UnaryExpr)
			if u.Op != token.AND {
				return nil, false
			}
			addrs = append(addrs, u)
		case edge.SelectorExpr_X:
			if sel := use.Parent(); sel.ParentEdgeKind() != edge.CallExpr_Fun {
				return nil, false // a field: a copy would be needed
			}
		default:
			return nil, false
		}
	}
	return addrs, true
}

// topLevelDecl returns the package-level declaration around cur, and its file.
func topLevelDecl(cur inspector.Cursor) (ast.Decl, *ast.File) {
	for ; cur.Valid(); cur = cur.Parent() {
		if file, ok := cur.Parent().Node().(*ast.File); ok {
			decl, _ := cur.Node().(ast.Decl)
			return decl, file
		}
	}
	return nil, nil
}

// hoistName returns a new package-level name for the transport hoisted
// out of decl, used at pos: unused in the package, in its files' imports
// and in the scopes around pos.
func (h *hoister) hoistName(decl ast.Decl, pos token.Pos) string {
	base := "sharedTransport"
	if fd, ok := decl.(*ast.FuncDecl); ok {
		base = lowerInitial(fd.Name.Name) + "Transport"
	}
	pkg := h.c.pass.Pkg
	scope := pkg.Scope().Innermost(pos)
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name += strconv.Itoa(i)
		}
		if h.hoisted[name] {
			continue
		}
		if scope != nil {
			if _, obj := scope.LookupParent(name, token.NoPos); obj != nil {
				continue
			}
		}
		if h.importsName(name) {
			continue
		}
		h.hoisted[name] = true
		return name
	}
}

// importsName reports whether a file of the package imports a package
// under name.
func (h *hoister) importsName(name string) bool {
	for _, f := range h.c.pass.Files {
		if s := h.c.pass.TypesInfo.Scopes[f]; s != nil && s.Lookup(name) != nil {
			return true
		}
	}
	return false
}

// lowerInitial lowercases the leading capitals of an identifier, keeping
// the last one before a lower-case letter: DoRequest → doRequest,
// HTTPGet → httpGet, URL → url.
func lowerInitial(s string) string {
	r := []rune(s)
	for i := range r {
		if !unicode.IsUpper(r[i]) {
			break
		}
		if i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1]) {
			break
		}
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}
