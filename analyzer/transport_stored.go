package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds a pool that a method stores into a field of its
// receiver on every call, replacing the one the call before stored
// there, and sends requests through:
//
//	func (w *Worker) Handle(job Job) error {
//		w.client = &http.Client{Transport: &http.Transport{...}}   // the last job's pool is orphaned
//		resp, err := w.client.Post(job.URL, ...)
//
// The receiver lives on, but only the last pool with it: each call
// leaves the pool of the call before with its idle connections, which
// nothing can reach to close any more.

// checkStored reports the pool built at src if fn stores it into a field
// of its receiver on every call, and runs repeatedly on the same value.
func (t *poolCheck) checkStored(src poolSource, fn inspector.Cursor) {
	if src.off || src.noKeepAlive || src.lazy || src.bare || src.closer != 0 {
		return // it may keep no connection, or its cleanup goes elsewhere
	}
	if _, ok := fn.Node().(*ast.FuncLit); ok {
		fn, _ = flow.EnclosingFunc(fn.Parent()) // (a literal of a Once made per call: see everyCall)
	}
	if field, uses, ok := storedPerCall(t.c, src, fn); ok {
		if why := t.repeatedAt(src.cur, nil); why != "" && !t.calledOnNew(fn) {
			t.reportStored(src, field, uses, why)
		}
	}
}

// storedPerCall returns the field of fn's receiver (a pointer) that the
// pool built at src is stored into by a statement of fn's body, which
// runs on every call, and the requests fn sends through it after that;
// ok is false when fn does anything else: stores it elsewhere, stores it
// under a test (a lazy fill: if w.client == nil), closes idle
// connections anywhere, or sends no request through it.
func storedPerCall(c *checker, src poolSource, fn inspector.Cursor) (field string, uses []ast.Node, ok bool) {
	info := c.pass.TypesInfo
	decl, isDecl := fn.Node().(*ast.FuncDecl)
	if !isDecl || decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 {
		return "", nil, false
	}
	recv, _ := info.Defs[decl.Recv.List[0].Names[0]].(*types.Var)
	if recv == nil || !flow.IsPointerType(recv.Type()) || setUpName(decl.Name.Name) {
		return "", nil, false
	}
	as, lhs, place, ok := storeOf(info, src)
	if !ok || !slices.Contains(decl.Body.List, everyCall(info, fn, as)) {
		return "", nil, false
	}
	base, fields, ok := flow.FieldChain(info, lhs)
	if !ok || len(fields) == 0 || flow.VarOf(info, base) != recv {
		return "", nil, false
	}
	place = append(slices.Clone(fields), place...)
	for cur := range fn.Preorder((*ast.Ident)(nil), (*ast.SelectorExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.SelectorExpr:
			if n.Sel.Name == "CloseIdleConnections" {
				return "", nil, false // it closes some pool's idle connections: maybe the last one's
			}
		case *ast.Ident:
			if n.Pos() < as.End() || info.Uses[n] != recv {
				continue
			}
			if u := c.Classify(c.pools.spec, flow.StackOf(cur, fn), place, -1); u.Kind == flow.UseUse {
				uses = append(uses, u.Node)
			}
		}
	}
	if len(uses) == 0 {
		return "", nil, false
	}
	return types.ExprString(lhs), uses, true
}

// setUpName reports whether name, a method's, says it sets its value up
// (Init, Setup, Start, Open, Connect, Configure, Dial, Login, Prepare,
// Bootstrap, in any case, and what begins with them): such a method is
// taken to run once for each value, with no pool before it to replace.
func setUpName(name string) bool {
	name = strings.ToLower(name)
	for _, verb := range []string{"init", "setup", "start", "open", "connect", "configure", "dial", "login", "prepare", "bootstrap"} {
		if strings.HasPrefix(name, verb) {
			return true
		}
	}
	return false
}

// calledOnNew reports whether a call of the method fn in this package
// runs it on a value its caller has just built (w := &Worker{};
// w.setup()): that value had no pool to replace.
func (t *poolCheck) calledOnNew(fn inspector.Cursor) bool {
	info := t.c.pass.TypesInfo
	obj, _ := info.Defs[fn.Node().(*ast.FuncDecl).Name].(*types.Func)
	for _, call := range t.callersOf(obj) {
		sel, ok := ast.Unparen(call.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		x := sel.X
		if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.AND {
			x = u.X // (&w).setup(), as Go writes w.setup() for an addressable w
		}
		if v := flow.VarOf(info, x); v != nil && v.Kind() == types.LocalVar {
			if encl, ok := flow.EnclosingFunc(call); ok {
				if init, result, ok := t.c.LocalOrigin(encl, v); ok && init != nil && t.c.IsNew(init, result) {
					return true
				}
			}
		}
	}
	return false
}

// everyCall returns the statement of fn's body that runs the assignment
// as: as itself, or the call of a sync.Once's Do that fn makes anew on
// every call (var once sync.Once; once.Do(func() { w.client = ... })),
// whose literal holds as.
func everyCall(info *types.Info, fn inspector.Cursor, as *ast.AssignStmt) ast.Stmt {
	cur, ok := fn.FindNode(as)
	if !ok {
		return nil
	}
	lit := cur.Parent().Parent() // as, in the block of a literal
	if _, isLit := lit.Node().(*ast.FuncLit); !isLit {
		return as
	}
	call := flow.OuterParens(lit).Parent()
	if es, ok := call.Parent().Node().(*ast.ExprStmt); ok && call.Node() == es.X && localOnce(info, call) {
		return es
	}
	return nil
}

// storeOf returns the assignment that stores the value built at src, as
// is or inside composite literals (&http.Client{Transport: tr}), into
// one left-hand side, lhs, and where the pool sits in what lhs holds.
func storeOf(info *types.Info, src poolSource) (as *ast.AssignStmt, lhs ast.Expr, place flow.Place, ok bool) {
	place = slices.Clone(src.at)
	for cur := src.cur; ; cur = cur.Parent() {
		switch n := cur.Parent().Node().(type) {
		case *ast.ParenExpr:
		case *ast.CompositeLit:
			if _, kv := cur.Node().(*ast.KeyValueExpr); !kv || !flow.IsStructType(info.TypeOf(n)) {
				return nil, nil, nil, false // an element of a slice or map, or a field by position
			}
		case *ast.UnaryExpr:
			if n.Op != token.AND {
				return nil, nil, nil, false
			}
		case *ast.KeyValueExpr:
			key, isIdent := n.Key.(*ast.Ident)
			if !isIdent || n.Value != cur.Node() {
				return nil, nil, nil, false
			}
			place = append(flow.Place{key.Name}, place...)
		case *ast.AssignStmt:
			k := slices.Index(n.Rhs, cur.Node().(ast.Expr))
			if n.Tok != token.ASSIGN || len(n.Lhs) != len(n.Rhs) || k < 0 {
				return nil, nil, nil, false
			}
			return n, n.Lhs[k], place, true
		default:
			return nil, nil, nil, false
		}
	}
}

// reportStored emits the diagnostic for the pool built at src that fn
// stores into field of its receiver on every call (see storedPerCall),
// where why says fn runs repeatedly.
func (t *poolCheck) reportStored(src poolSource, field string, uses []ast.Node, why string) {
	subject := src.what
	if src.helper != "" {
		subject = "connection pool from " + src.helper + "()"
	}
	d := poolDiag(src, fmt.Sprintf("%s is stored into %s %s, replacing the pool the call before stored there without closing it, so each call orphans a pool of idle keep-alive connections; "+
		"build it once (in the constructor, or only while %s is nil), or call CloseIdleConnections on the old one before replacing it", subject, field, why, field))
	for _, u := range uses {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: u.Pos(), End: u.End(), Message: "request sent through the pool stored on this call"})
	}
	t.c.report(d)
}
