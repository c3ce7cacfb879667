package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
)

// funcFact summarizes what a function does with responses, transports
// and dialers, so that its callers, in this package or another, can be
// checked. It travels between packages as an analysis fact, so its
// fields must stay exported (gob) and small.
type funcFact struct {
	// NoReturn: the function never returns normally (it ends in
	// os.Exit, log.Fatal, panic, ...).
	NoReturn bool
	// Borrows lists the parameters (by index) of a response or closable
	// type that the function only reads: passing a response or its Body
	// there does not hand over the duty to close it.
	Borrows []int
	// Response is 1 + the index of a result that holds a fresh
	// *http.Response whose Body the caller must close; 0 for none.
	Response int
	// ViaRoundTripper: that response only ever comes from an
	// http.RoundTripper interface, which tests routinely fake.
	ViaRoundTripper bool
	// FreshTransport: the function returns a new connection pool (an
	// http.Transport, a Client with its own Transport, or a value
	// holding one) that the caller owns.
	FreshTransport bool
	// DialNoKeepAlive: the function (a dial func) turns off TCP
	// keep-alive on the connections it returns.
	DialNoKeepAlive bool
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var parts []string
	if f.NoReturn {
		parts = append(parts, "noReturn")
	}
	if len(f.Borrows) > 0 {
		parts = append(parts, fmt.Sprintf("borrows%v", f.Borrows))
	}
	if f.Response > 0 {
		parts = append(parts, fmt.Sprintf("returnsResponse(%d)", f.Response-1))
	}
	if f.ViaRoundTripper {
		parts = append(parts, "viaRoundTripper")
	}
	if f.FreshTransport {
		parts = append(parts, "freshTransport")
	}
	if f.DialNoKeepAlive {
		parts = append(parts, "dialNoKeepAlive")
	}
	return strings.Join(parts, " ")
}

func (f *funcFact) empty() bool {
	return !f.NoReturn && len(f.Borrows) == 0 && f.Response == 0 && !f.FreshTransport && !f.DialNoKeepAlive
}

// A localFunc is a function of this package with a body, and its
// summary once computed.
type localFunc struct {
	fn    *types.Func
	decl  *ast.FuncDecl
	state uint8 // unsummarized, summarizing (recursion), or summarized
	fact  funcFact
}

const (
	unsummarized uint8 = iota
	summarizing
	summarized
)

// localFunc returns the entry of fn in c.funcs, or nil if fn is not a
// function of this package with a body. The index is built on first use:
// many packages never call their own functions in a way that needs it.
func (c *checker) localFunc(fn *types.Func) *localFunc {
	if c.local == nil {
		c.local = make(map[*types.Func]int, len(c.funcs))
		for i, lf := range c.funcs {
			c.local[lf.fn] = i
		}
	}
	if i, ok := c.local[fn]; ok {
		return &c.funcs[i]
	}
	return nil
}

// decl returns the declaration of fn if it is a function of this
// package with a body, or nil.
func (c *checker) decl(fn *types.Func) *ast.FuncDecl {
	if lf := c.localFunc(fn); lf != nil {
		return lf.decl
	}
	return nil
}

// summary returns what is known of fn: computed for a function of this
// package, imported as a fact for another. It never returns nil; a
// function still being summarized (recursion) is assumed to do nothing.
// Callers must not modify the summary.
func (c *checker) summary(fn *types.Func) *funcFact {
	if fn == nil {
		return &c.nothing
	}
	fn = fn.Origin()
	if fn.Pkg() != c.pass.Pkg {
		f, ok := c.imported[fn]
		if !ok {
			f = new(funcFact)
			if fn.Pkg() == nil || !c.pass.ImportObjectFact(fn, f) {
				f = &c.nothing
			}
			c.imported[fn] = f
		}
		return f
	}
	lf := c.localFunc(fn)
	if lf == nil {
		return &c.nothing // no body (assembly, or a method of an interface)
	}
	return c.summarize(lf)
}

// summarize returns the summary of lf, computed on first use.
func (c *checker) summarize(lf *localFunc) *funcFact {
	switch lf.state {
	case summarizing:
		return &c.nothing // recursion: assume nothing
	case summarized:
		return &lf.fact
	}
	lf.state = summarizing
	fn, fd, f := lf.fn, lf.decl, &lf.fact
	f.NoReturn = c.endsInNoReturn(fd.Body)
	c.summarizeBorrows(fn, fd, f)
	c.summarizeKeepAlive(fn, fd, f) // dial funcs often live in packages that import only net
	if c.http {
		c.summarizeResponse(fn, fd, f)
		c.summarizeTransport(fn, fd, f)
	}
	lf.state = summarized
	return f
}

// exportFacts summarizes every function of the package and exports the
// summaries that say something. A main package (a command, or the main
// that go test generates) is imported by nobody: it exports nothing.
func (c *checker) exportFacts() {
	if c.pass.Pkg.Name() == "main" {
		return
	}
	for i := range c.funcs {
		lf := &c.funcs[i]
		if f := c.summarize(lf); !f.empty() {
			export := *f // a copy: the fact outlives this pass, and lf holds the syntax
			c.pass.ExportObjectFact(lf.fn, &export)
		}
	}
}

// endsInNoReturn reports whether body has no return statement and its
// last statement is a call that never returns: then every path through
// the function ends in that call (or another that never returns).
func (c *checker) endsInNoReturn(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	last, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(last.X).(*ast.CallExpr)
	if !ok || c.mayReturn(call) {
		return false
	}
	hasReturn := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ReturnStmt:
			hasReturn = true
		case *ast.FuncLit:
			return false // its returns are its own
		}
		return !hasReturn
	})
	return !hasReturn
}
