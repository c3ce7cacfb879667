package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// funcFact summarizes what a function does with the resources that pass
// through its parameters and results, so that its callers, in this
// package or another, can be checked. It travels between packages as an
// analysis fact, so its fields must stay exported (gob) and small. Each
// check fills in its part: body.go (parameters it only reads, a fresh
// response), transport.go (a fresh pool), keepalive.go (a dial func that
// turns keep-alive off).
type funcFact struct {
	// NoReturn: the function never returns normally (it ends in
	// os.Exit, log.Fatal, panic, ...).
	NoReturn bool
	// Params says what the function does with the resource a parameter
	// may carry, for the parameters it says something of.
	Params []paramFact
	// Results says which results hand a fresh resource to the caller.
	Results []resultFact
}

// A paramFact says what a function does with the resource a parameter
// carries. For kindDialConn, effUses says that it turns TCP keep-alive
// off on the connection or net.Dialer in the parameter.
type paramFact struct {
	Index  int // -1 for the receiver
	Kind   resourceKind
	Effect effect
	When   condition // releases: only then
	Result int       // returns: the result that holds it
	Path   string    // returns: where it sits in that result, fields joined by dots
}

// An effect is what a function does with a parameter's resource: a set
// of the bits below. A function that says nothing of a parameter may do
// anything with it.
type effect uint8

const (
	effBorrows         effect = 1 << iota // only reads it: the caller keeps the duty to release it
	effUses                               // uses it (sends a request through the pool)
	effReturns                            // hands it back in a result (Result, at Path)
	effReleases                           // releases it (when When holds)
	effKeeps                              // keeps it in something that outlives the call
	effReleasesOnError                    // releases it when it returns a non-nil error, and only then
	effReplaces                           // replaces the resource in it without releasing it (resp.Body = copy)
	effFills                              // puts a fresh resource of its own in it (a pool built on first use, kept in the receiver)
)

func (e effect) String() string {
	var names []string
	for i, name := range []string{"borrows", "uses", "returns", "releases", "keeps", "releasesOnError", "replaces", "fills"} {
		if e&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "unknown"
	}
	return strings.Join(names, "+")
}

// A resultFact says that a result hands the caller a fresh resource, or a
// holder of one.
type resultFact struct {
	Index int
	Kind  resourceKind
	// Path is where the resource sits in the result, fields joined by
	// dots ("" when the result is the resource; "Transport" for a
	// Client holding a pool).
	Path string
	// ViaRoundTripper: a response that only ever comes from an
	// http.RoundTripper interface, which tests routinely fake.
	ViaRoundTripper bool
	// WithError: the result may be non-nil along with a non-nil error.
	WithError bool
	// Lazy: the result is a holder that builds its pool on first use:
	// there is one only once a method that fills it is called.
	Lazy bool
	// When: the result holds a fresh resource only then (the function
	// builds a pool only when an option asks for it, or closes the body
	// only when the caller passes somewhere to decode it).
	When condition
}

func (*funcFact) AFact() {}

func (f *funcFact) String() string {
	var parts []string
	if f.NoReturn {
		parts = append(parts, "noReturn")
	}
	for _, p := range f.Params {
		s := fmt.Sprintf("param%d:", p.Index)
		if p.Index < 0 {
			s = "recv:"
		}
		s += p.Kind.String() + ":" + p.Effect.String()
		if p.Effect&effReturns != 0 {
			s += fmt.Sprintf("(%d", p.Result)
			if p.Path != "" {
				s += "@" + p.Path
			}
			s += ")"
		}
		if p.When.Param != 0 {
			s += ",when(" + p.When.String() + ")"
		}
		parts = append(parts, s)
	}
	for _, r := range f.Results {
		s := fmt.Sprintf("result%d:%s", r.Index, r.Kind)
		if r.Path != "" {
			s += "@" + r.Path
		}
		if r.ViaRoundTripper {
			s += ",viaRoundTripper"
		}
		if r.WithError {
			s += ",withError"
		}
		if r.Lazy {
			s += ",lazy"
		}
		if r.When.Param != 0 {
			s += ",when(" + r.When.String() + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (f *funcFact) empty() bool { return !f.NoReturn && len(f.Params) == 0 && len(f.Results) == 0 }

// param returns what the function does with the resource of kind k in
// parameter i (-1: the receiver).
func (f *funcFact) param(i int, k resourceKind) paramFact {
	for _, p := range f.Params {
		if p.Index == i && p.Kind == k {
			return p
		}
	}
	return paramFact{Index: i, Kind: k}
}

// result returns the result that hands the caller a fresh resource of
// kind k, or nil.
func (f *funcFact) result(k resourceKind) *resultFact {
	for i := range f.Results {
		if f.Results[i].Kind == k {
			return &f.Results[i]
		}
	}
	return nil
}

// summaries holds the summaries of a package's functions, computed on
// first use, and of the functions of other packages, imported as facts.
type summaries struct {
	c        *checker
	funcs    []localFunc               // this package's functions with bodies, in source order
	local    map[*types.Func]int       // the index of each in funcs
	imported map[*types.Func]*funcFact // the summaries imported so far
	nothing  funcFact                  // the summary of a function nothing is known of
}

// A localFunc is a function of this package with a body, and its
// summary once computed.
type localFunc struct {
	fn    *types.Func
	decl  *ast.FuncDecl
	cur   inspector.Cursor
	state uint8 // unsummarized, summarizing (recursion), or summarized
	fact  funcFact
}

const (
	unsummarized uint8 = iota
	summarizing
	summarized
)

// localFunc returns the entry of fn in s.funcs, or nil if fn is not a
// function of this package with a body. The index is built on first use:
// many packages never call their own functions in a way that needs it.
func (s *summaries) localFunc(fn *types.Func) *localFunc {
	if s.local == nil {
		s.local = make(map[*types.Func]int, len(s.funcs))
		for i, lf := range s.funcs {
			s.local[lf.fn] = i
		}
	}
	if i, ok := s.local[fn]; ok {
		return &s.funcs[i]
	}
	return nil
}

// summary returns what is known of fn: computed for a function of this
// package, imported as a fact for another. It never returns nil; a
// function still being summarized (recursion) is assumed to do nothing.
// Callers must not modify the summary.
func (s *summaries) summary(fn *types.Func) *funcFact {
	if fn == nil {
		return &s.nothing
	}
	fn = fn.Origin()
	if pass := s.c.pass; fn.Pkg() != pass.Pkg {
		f, ok := s.imported[fn]
		if !ok {
			f = new(funcFact)
			if fn.Pkg() == nil || !pass.ImportObjectFact(fn, f) {
				f = &s.nothing
			}
			s.imported[fn] = f
		}
		return f
	}
	lf := s.localFunc(fn)
	if lf == nil {
		return &s.nothing // no body (assembly, or a method of an interface)
	}
	return s.summarize(lf)
}

// summarize returns the summary of lf, computed on first use.
func (s *summaries) summarize(lf *localFunc) *funcFact {
	switch lf.state {
	case summarizing:
		return &s.nothing // recursion: assume nothing
	case summarized:
		return &lf.fact
	}
	lf.state = summarizing
	f := &lf.fact
	f.NoReturn = s.endsInNoReturn(lf.decl.Body)
	summarizeBodyParams(s.c, lf, f)
	summarizeDial(s.c, lf, f) // dial funcs often live in packages that import only net
	if s.c.http {
		summarizeResponse(s.c, lf, f)
		summarizePool(s.c, lf, f)
		summarizePoolParams(s.c, lf, f)
	}
	lf.state = summarized
	return f
}

// exportFacts summarizes every function of the package and exports the
// summaries that say something. A main package (a command, or the main
// that go test generates) is imported by nobody: it exports nothing.
func (s *summaries) exportFacts() {
	pass := s.c.pass
	if pass.Pkg.Name() == "main" {
		return
	}
	for i := range s.funcs {
		lf := &s.funcs[i]
		if f := s.summarize(lf); !f.empty() {
			export := *f // a copy: the fact outlives this pass, and lf holds the syntax
			pass.ExportObjectFact(lf.fn, &export)
		}
	}
}

// endsInNoReturn reports whether body has no return statement and its
// last statement is a call that never returns: then every path through
// the function ends in that call (or another that never returns).
func (s *summaries) endsInNoReturn(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	last, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(last.X).(*ast.CallExpr)
	if !ok || s.mayReturn(call) {
		return false
	}
	return len(returnsOf(body)) == 0
}

// mayReturn reports whether call may return normally. It knows the
// standard library's functions that never return, and reads the NoReturn
// summaries of other functions (computed here or imported as facts).
func (s *summaries) mayReturn(call *ast.CallExpr) bool {
	info := s.c.pass.TypesInfo
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
		isTestingMethod(fn, "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"):
		return false
	}
	return !s.summary(fn).NoReturn
}

// isTestFailure reports whether fn marks a test as failed and goes on
// (t.Error, t.Errorf, t.Fail).
func isTestFailure(fn *types.Func) bool { return isTestingMethod(fn, "Error", "Errorf", "Fail") }

// isTestingMethod reports whether fn is a method of the testing package
// named one of names (of T, B, F or TB).
func isTestingMethod(fn *types.Func, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" || fn.Signature().Recv() == nil {
		return false
	}
	for _, name := range names {
		if fn.Name() == name {
			return true
		}
	}
	return false
}
