package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file decides whether code runs repeatedly, so that a pool it
// builds and drops is one of many. It answers with the reason, for the
// message, or "" when the code runs once or we cannot tell.

// repeatedAt returns why the code at cur runs repeatedly: it is in a
// loop of its function, or its function runs repeatedly. A loop counts
// only if it also holds the declarations of vars, the variables the pool
// is kept in: a client kept in a variable declared before the loop
// (lazily built on the first iteration) is reused by the next ones.
func (t *poolCheck) repeatedAt(cur inspector.Cursor, vars []*types.Var) string {
	for ; ; cur = cur.Parent() {
		parent := cur.Parent()
		switch n := parent.Node().(type) {
		case nil, *ast.File:
			return "" // package level: runs once
		case *ast.FuncDecl, *ast.FuncLit:
			return t.repeatedFunc(parent)
		case *ast.ForStmt, *ast.RangeStmt:
			switch cur.ParentEdgeKind() {
			case edge.ForStmt_Body, edge.ForStmt_Cond, edge.ForStmt_Post, edge.RangeStmt_Body:
				if varsDeclaredIn(vars, n) {
					return "in a loop"
				}
			}
		}
	}
}

// localOnce reports whether call, once.Do(f) or sync.OnceFunc(f) (or
// OnceValue, OnceValues), makes its Once in the function that calls it:
// the Once is a local variable, or the func that OnceFunc returns is
// kept in one. Each run of the function then has a new Once, and runs f.
func localOnce(info *types.Info, call inspector.Cursor) bool {
	var v *types.Var
	if sel, ok := ast.Unparen(call.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr); ok && flow.IsMethod(flow.CalleeFunc(info, call.Node().(*ast.CallExpr)), "sync", "Once", "Do") {
		v = flow.VarOf(info, sel.X)
	} else if kind, i := flow.OuterParens(call).ParentEdge(); kind == edge.AssignStmt_Rhs {
		as := flow.OuterParens(call).Parent().Node().(*ast.AssignStmt)
		if len(as.Lhs) == len(as.Rhs) {
			v = flow.VarOf(info, as.Lhs[i])
		}
	}
	return v != nil && v.Kind() == types.LocalVar
}

// varsDeclaredIn reports whether every variable of vars is declared in n.
func varsDeclaredIn(vars []*types.Var, n ast.Node) bool {
	for _, v := range vars {
		if !flow.PosIn(v.Pos(), n) {
			return false
		}
	}
	return true
}

// repeatedFunc returns why the function (declaration or literal) at fn
// runs repeatedly, or "". A function that reaches itself through its
// callers is in a cycle of calls, so it runs repeatedly.
func (t *poolCheck) repeatedFunc(fn inspector.Cursor) string {
	n := fn.Node()
	if why, ok := t.repeated[n]; ok {
		return why
	}
	t.repeated[n] = "in a recursive function" // what a cycle back here finds
	why := t.computeRepeated(fn)
	t.repeated[n] = why
	return why
}

func (t *poolCheck) computeRepeated(fn inspector.Cursor) string {
	info := t.c.pass.TypesInfo
	switch n := fn.Node().(type) {
	case *ast.FuncLit:
		if nethttp.IsHandlerSig(info.TypeOf(n)) {
			return "on every request served by this handler"
		}
		switch outer := flow.OuterParens(fn); outer.ParentEdgeKind() {
		case edge.CallExpr_Args:
			callee := flow.CalleeFunc(info, outer.Parent().Node().(*ast.CallExpr))
			switch {
			case flow.IsMethod(callee, "sync", "Once", "Do"), flow.IsFunc(callee, "sync", "OnceFunc", "OnceValue", "OnceValues"):
				if !localOnce(info, outer.Parent()) {
					return "" // runs once
				}
			case flow.IsMethod(callee, "testing", "F", "Fuzz"):
				return "in a fuzz target"
			}
		case edge.KeyValueExpr_Value, edge.CompositeLit_Elts:
			return "" // kept in a value (a command's Run, a callback): when it runs is not known here
		case edge.AssignStmt_Rhs:
			as := outer.Parent().Node().(*ast.AssignStmt)
			if len(as.Lhs) == len(as.Rhs) {
				if _, local := ast.Unparen(as.Lhs[outer.ParentEdgeIndex()]).(*ast.Ident); !local {
					return "" // kept in a field or element: when it runs is not known here
				}
			}
		}
		return t.repeatedAt(fn, nil) // it runs where it is written, or later from there
	case *ast.FuncDecl:
		obj, ok := info.Defs[n.Name].(*types.Func)
		if !ok {
			return ""
		}
		name := flow.FuncName(n)
		test := flow.IsTestFile(t.c.pass.Fset, n.Pos())
		switch {
		case n.Recv == nil && (n.Name.Name == "init" || n.Name.Name == "main" && t.c.pass.Pkg.Name() == "main"):
			return "" // set-up: runs once (its loops still count)
		case test && n.Recv == nil && isTestEntry(n.Name.Name):
			return "" // a test, benchmark, example or fuzz function: one-off (its loops still count)
		case nethttp.IsHandlerSig(obj.Type()):
			return "on every request served by " + name
		case obj.Exported() && !test && t.c.pass.Pkg.Name() != "main":
			return "on every call of " + name // callers unknown
		}
		for _, call := range t.callersOf(obj) {
			if why := t.repeatedAt(call, nil); why != "" {
				if i := strings.Index(why, ", which runs"); i >= 0 {
					why = why[:i] // one level of explanation is enough
				}
				return "on every call of " + name + ", which runs " + why
			}
		}
	}
	return "" // called once from set-up, or only through values we do not follow
}

// callersOf returns the calls of fn in this package.
func (t *poolCheck) callersOf(fn *types.Func) []inspector.Cursor {
	if t.callers == nil {
		t.callers = make(map[*types.Func][]inspector.Cursor)
		for cur := range t.c.Root().Preorder((*ast.CallExpr)(nil)) {
			if callee := flow.CalleeFunc(t.c.pass.TypesInfo, cur.Node().(*ast.CallExpr)); callee != nil && callee.Pkg() == t.c.pass.Pkg {
				callee = callee.Origin()
				t.callers[callee] = append(t.callers[callee], cur)
			}
		}
	}
	return t.callers[fn]
}

// isTestEntry reports whether name is that of a function the testing
// package calls: TestX, BenchmarkX, ExampleX, FuzzX, TestMain.
func isTestEntry(name string) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}
