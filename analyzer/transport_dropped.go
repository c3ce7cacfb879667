package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds the pools that a one-shot helper builds, uses and
// drops itself, where its arguments let it build one: its own check
// stays quiet (the argument decides), and its summary tells its callers
// when each call leaves a pool behind.
//
//	func QuickGet(ctx context.Context, cfg Config, u string) ([]byte, error) {
//		c := NewClient(cfg)           // its own Transport where cfg.HTTPClient is nil
//		return c.Fetch(ctx, u)        // fact droppedPool,when(!p1.HTTPClient)
//	}
//
//	QuickGet(ctx, dep.Config{Timeout: t}, u)   // a pool per call

// dropped reports whether the pool built at src, which fl follows in its
// function, is used there and then dropped with its idle connections:
// not handed on, closed, turned off, unused, replaced first, nor kept
// alive by a worker loop (whether the function runs repeatedly is
// asked apart).
func dropped(c *checker, src poolSource, fl *flow.Flow) bool {
	fn := fl.Fn
	switch {
	case src.closer != 0 && !cleanupCalls(c, src, fl):
		return false // its cleanup handed on: whoever holds it releases the pool
	case fl.Escapes || fl.Returned:
		return false // handed on: whoever holds it owns it
	case closesPool(c, fl) || fl.Flags&poolNoKeepAlive != 0 || fl.Flags&poolNoKeepAliveSet != 0 && offBeforeUse(c, fl):
		return false // its idle connections are closed, or never kept
	case src.off && fl.Flags&poolKeepAliveOn == 0:
		return false // keep-alives off, and never turned back on
	case len(fl.Uses) == 0, (src.lazy || src.bare) && !filled(fl):
		return false // never used (or never built): it holds no connections
	case (src.lazy || src.bare) && (fl.Replaced || fl.Flags&poolFieldSet != 0):
		return false // given a client of the caller's, or content, first: it may not build its own
	case replacedBeforeUse(c, fl, src.expr.Pos()):
		return false // a setter gave its holder another client first: it never holds a connection
	case closesRequests(c, fn, fl):
		return false // req.Close = true: each connection is closed after its request
	case servesEndlessLoop(c, src.cur, fl):
		return false // a worker: the pool lives as long as its loop, as long as the process
	case flow.IsTestFile(c.pass.Fset, src.expr.Pos()) && allExpectedToFail(c, fl):
		return false // a test whose requests through it are all expected to fail
	case flow.IsTestFile(c.pass.Fset, src.expr.Pos()) && closesTestServer(c, fn):
		return false // a test (or subtest) that closes its httptest server, which closes the idle connections
	}
	return true
}

// summarizeDropped records in f the pool that lf gets from a helper
// that builds it only under a test of lf's own parameters (or receiver),
// and then uses and drops (not returned, kept, closed or turned off):
// its callers whose arguments pass the test leave one pool per call.
// A helper of that kind called the same way passes its fact on.
func summarizeDropped(c *checker, lf *flow.Func, f *flow.Fact) {
	if lf.Decl == nil || !carriesPoolTest(c, lf.Sig()) {
		return // a literal runs where it is written; a test needs a value to test
	}
	info := c.pass.TypesInfo
	var calls []*ast.CallExpr // the calls that may build a pool under a test (the cheap test first: most functions have none)
	ast.Inspect(lf.Body(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // when a literal runs is its own
		case *ast.CallExpr:
			if fn := flow.CalleeFunc(info, n); fn != nil && mayDrop(c, fn) {
				calls = append(calls, n)
			}
		}
		return true
	})
	for _, call := range calls {
		cur, ok := lf.Cur().FindNode(call)
		if !ok {
			continue
		}
		src, ok := poolCall(c, cur, flow.CalleeFunc(info, call))
		if !ok || !src.passed || src.noKeepAlive && !src.off {
			continue // built whatever lf is given (its own check's), or never
		}
		if !src.dropped {
			fl := flow.Lift(c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, 0))
			if fl.Fn.Node() != lf.Node() || !dropped(c, src, fl) {
				continue
			}
		}
		var tests []flow.Condition // the callee's, in terms of lf's parameters
		for _, w := range append([]flow.Condition{src.when}, src.and...) {
			if w = passedCond(c, lf.Cur(), call, w); w.Param != 0 {
				tests = append(tests, w)
			}
		}
		r := flow.ResultFact{Index: -1, Kind: kindPoolDropped}
		if len(tests) > 0 {
			r.When, r.And = tests[0], tests[1:]
		}
		f.Results = append(f.Results, r)
		return
	}
}

// carriesPoolTest reports whether a function of signature sig takes a
// value that a helper's test of whether to build a pool can read: a
// receiver or parameter that can hold a pool (a config with a client, a
// client, a builder), or options.
func carriesPoolTest(c *checker, sig *types.Signature) bool {
	if recv := sig.Recv(); recv != nil && c.pools.holdsPool(recv.Type()) {
		return true
	}
	for p := range sig.Params().Variables() {
		if c.pools.holdsPool(p.Type()) || c.pools.isOption(p.Type()) {
			return true
		}
	}
	return false
}

// mayDrop reports whether a call of fn may build a pool its caller
// drops under a test of the arguments, or drop one itself: the cheap
// test before poolCall.
func mayDrop(c *checker, fn *types.Func) bool {
	f := c.Summary(fn)
	if r := f.Result(kindPool); r != nil && r.When.Param != 0 {
		return true
	}
	return f.Result(kindPoolDropped) != nil
}

// reportDropped emits the diagnostic for the call at src of a helper
// that builds, uses and drops a pool of its own where its arguments let
// it (see summarizeDropped), in code that runs repeatedly (why).
func (t *poolCheck) reportDropped(src poolSource, why string) {
	fix := "build what it builds once and reuse it"
	if fn := flow.CalleeFunc(t.c.pass.TypesInfo, src.expr.(*ast.CallExpr)); fn != nil {
		if r := t.c.Summary(fn).Result(kindPoolDropped); r != nil && r.When.Field != "" && !r.When.NonZero && r.When.Const == "" {
			fields := strings.Split(r.When.Field, ".")
			fix = "give it a long-lived client in its " + fields[len(fields)-1] + ", or " + fix
		}
	}
	t.c.report(poolDiag(src, fmt.Sprintf("%s() builds a connection pool of its own for the arguments given here, uses it and drops it, %s, so each call leaves a new pool of idle keep-alive connections open; %s",
		src.helper, why, fix)))
}
