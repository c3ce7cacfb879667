package analyzer

import (
	"go/ast"
	"go/types"
)

// mayReturn reports whether call may return normally. It knows the
// standard library's functions that never return, and reads the NoReturn
// summaries of other functions (computed here or imported as facts).
func (c *checker) mayReturn(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if id := identOf(call.Fun); id != nil {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return false
		}
	}
	fn := calleeFunc(info, call)
	if fn == nil {
		return true
	}
	switch {
	case isFunc(fn, "os", "Exit"),
		isFunc(fn, "syscall", "Exit"),
		isFunc(fn, "runtime", "Goexit"),
		isFunc(fn, "log", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"),
		isMethod(fn, "log", "Logger", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"),
		isTestingNoReturn(fn):
		return false
	}
	return !c.summary(fn).NoReturn
}

// isTestingNoReturn reports whether fn is a testing method that stops
// the test (t.Fatal, b.FailNow, tb.Skip, ...).
func isTestingNoReturn(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "testing" || fn.Signature().Recv() == nil {
		return false
	}
	switch fn.Name() {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}

// isTestFailure reports whether fn marks a test as failed and goes on
// (t.Error, t.Errorf, t.Fail).
func isTestFailure(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" || fn.Signature().Recv() == nil {
		return false
	}
	switch fn.Name() {
	case "Error", "Errorf", "Fail":
		return true
	}
	return false
}
