// Package analyzer defines an analysis.Analyzer that reports net/http
// client code that leaks connections.
package analyzer

import (
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Doc is the analyzer's documentation; its first line is the title.
const Doc = `report net/http client code that leaks connections

httpleakcheck finds three mistakes that make a Go program's HTTP
connections grow until it hits its file-descriptor limit:

body: a *http.Response whose Body is not closed on some path where the
response is non-nil (a status check that returns before the defer, a
"continue" in a retry loop, a response discarded with _). The connection
never returns to the pool, and sits in CLOSE_WAIT once the server closes it.

transport: an http.Transport (or a Client with its own new Transport, or a
Transport.Clone()) built inside a function that runs repeatedly and then
dropped. Each call leaves a new pool whose idle keep-alive connections stay
open forever. Reuse one long-lived client, or set DisableKeepAlives: true,
or call CloseIdleConnections.

keepalive: keep-alive switched off only on the dialer (SetKeepAlive(false),
net.Dialer{KeepAlive: -1}, with or without KeepAliveConfig{Enable: false})
of a Transport that keeps DisableKeepAlives false. That only stops TCP
keep-alive probes; the Transport still pools the connection.

drain (opt-in: -checks=body,transport,keepalive,drain): a body closed
without being read to the end, in a module whose go line is older than
1.27: an HTTP/1 connection is then not reused (Close drains from 1.27).

bodyeof (opt-in: -checks=body,transport,keepalive,bodyeof): a body read
to its end (io.ReadAll, io.Copy, a helper that does, its error checked)
and then not closed. Its connection went back to the pool at EOF, so the
body check leaves it out; this one holds code to net/http's Close
contract.

A finding can be suppressed with a comment on its line or the line above:

	//httpleakcheck:ignore <reason>

The reason is required.`

// The names of the checks, as used by the -checks flag and as the
// Category of their diagnostics.
const (
	nameBody      = "body"
	nameTransport = "transport"
	nameKeepAlive = "keepalive"
	nameDrain     = "drain"
	nameBodyEOF   = "bodyeof"
)

// allChecks returns the names of all checks.
func allChecks() []string {
	return []string{nameBody, nameTransport, nameKeepAlive, nameDrain, nameBodyEOF}
}

// defaultChecks returns the names of the checks run when none are named:
// all but drain and bodyeof, which are opt-in.
func defaultChecks() []string { return []string{nameBody, nameTransport, nameKeepAlive} }

// Config selects what an Analyzer made by NewAnalyzer reports.
type Config struct {
	// Checks lists the checks to run: "body", "transport", "keepalive",
	// "drain", "bodyeof". Empty means the default ones: all but drain and
	// bodyeof.
	Checks []string
	// Strict also reports //httpleakcheck:ignore directives that suppress
	// nothing.
	Strict bool
}

// Validate reports an error for an unknown check name.
func (c Config) Validate() error {
	for _, name := range c.Checks {
		if !slices.Contains(allChecks(), name) {
			return fmt.Errorf("unknown check %q (want one of %s)", name, strings.Join(allChecks(), ", "))
		}
	}
	return nil
}

func (c Config) enabled(check string) bool {
	if len(c.Checks) == 0 {
		return slices.Contains(defaultChecks(), check)
	}
	return slices.Contains(c.Checks, check)
}

// checksFlag is the -checks flag: a comma-separated list of check names.
type checksFlag struct{ cfg *Config }

func (f checksFlag) String() string {
	if f.cfg == nil || len(f.cfg.Checks) == 0 {
		return strings.Join(defaultChecks(), ",")
	}
	return strings.Join(f.cfg.Checks, ",")
}

func (f checksFlag) Set(s string) error {
	var checks []string
	for name := range strings.SplitSeq(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			checks = append(checks, name)
		}
	}
	cfg := Config{Checks: checks}
	if err := cfg.Validate(); err != nil {
		return err
	}
	f.cfg.Checks = checks
	return nil
}

// Analyzer reports all checks; its flags (-checks, -strict) configure it.
var Analyzer = NewAnalyzer(Config{})

// NewAnalyzer returns a new Analyzer configured by cfg, whose flags
// start from cfg. It panics if cfg names an unknown check; call
// cfg.Validate first to get an error instead.
func NewAnalyzer(cfg Config) *analysis.Analyzer {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	cfg.Checks = slices.Clone(cfg.Checks)
	a := &analysis.Analyzer{
		Name:     "httpleakcheck",
		Doc:      Doc,
		URL:      docURL("README.md"),
		Requires: []*analysis.Analyzer{summariesAnalyzer, inspect.Analyzer},
		Run:      func(pass *analysis.Pass) (any, error) { return run(pass, &cfg) },
	}
	a.Flags.Init("httpleakcheck", flag.ContinueOnError)
	a.Flags.Var(checksFlag{&cfg}, "checks", "comma-separated checks to run, of "+strings.Join(allChecks(), ",")+" (drain and bodyeof are opt-in)")
	a.Flags.BoolVar(&cfg.Strict, "strict", cfg.Strict, "also report //httpleakcheck:ignore directives that suppress nothing")
	return a
}

// A checker holds the state of one pass: the engine over the package
// (its syntax, the summaries of its functions and those imported, the
// engine's indexes), the suppression directives, and each check's own
// state.
type checker struct {
	*flow.Engine
	pass *analysis.Pass
	cfg  *Config
	http bool // the package imports net/http, directly or not

	ignores *ignoreSet
	body    bodySpec
	pools   *pools
}

// The kinds of resources, as summaries name them.
const (
	kindBody     flow.Kind = "body"            // a response whose Body the caller must close
	kindPool     flow.Kind = "pool"            // a connection pool that keeps idle connections
	kindPoolOff  flow.Kind = "poolOff"         // a Transport with keep-alives off by a constant: a pool if turned back on
	kindDialConn flow.Kind = "noKeepAliveConn" // a connection with TCP keep-alive turned off (the result of a dial func)
	// kindPoolDropped: not a result (Index -1), a pool the function
	// builds, uses and drops itself each time it runs, where its
	// parameters pass the result's tests (transport_dropped.go).
	kindPoolDropped flow.Kind = "droppedPool"
	// kindInertOption: not a resource, a functional option that sets no
	// field that can hold a pool (transport_inert.go).
	kindInertOption flow.Kind = "inertOption"
	// kindRequestMethod: not a resource, a request builder: the method of
	// the request it returns (body_head.go).
	kindRequestMethod flow.Kind = "requestMethod"
)

// run runs the checks on the package of pass, with the summaries of the
// package's functions and those imported, as summariesAnalyzer computed
// and exported them (a main package exports none: its summaries are
// computed here, as the checks need them).
func run(pass *analysis.Pass, cfg *Config) (any, error) {
	c := newChecker(pass, cfg, flow.Options{
		Root:       pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root(),
		Facts:      pass.ResultOf[summariesAnalyzer].(*summaryFacts).importFact,
		LocalFacts: pass.Pkg.Name() != "main",
	})
	if !c.http {
		return nil, nil // fast path: nothing here can reach net/http
	}
	c.ignores = collectIgnores(pass)
	found := c.scan() // the body check runs in it
	if cfg.enabled(nameTransport) && len(found.pools) > 0 {
		checkTransport(c, found.pools)
	}
	if cfg.enabled(nameKeepAlive) && len(found.installs) > 0 {
		checkKeepAlive(c, found.installs, found.turnedOff)
	}
	c.ignores.finish(c)
	return nil, nil
}

// newChecker returns the checker of pass, with the package's functions
// and the checks' summarizers, over an engine of options opts.
func newChecker(pass *analysis.Pass, cfg *Config, opts flow.Options) *checker {
	c := &checker{
		Engine: flow.New(pass, nethttp.Hooks{}, opts),
		pass:   pass,
		cfg:    cfg,
		http:   nethttp.ImportsHTTP(pass.Pkg),
	}
	c.body = bodySpec{info: pass.TypesInfo, c: c}
	c.pools = newPools(c)
	c.Summarizers = []flow.Summarizer{
		func(lf *flow.Func, f *flow.Fact) { summarizeBodyParams(c, lf, f) },
		func(lf *flow.Func, f *flow.Fact) { summarizeDial(c, lf, f) }, // dial funcs often live in packages that import only net
		func(lf *flow.Func, f *flow.Fact) {
			if c.http {
				summarizeResponse(c, lf, f)
				summarizePool(c, lf, f)
				summarizePoolParams(c, lf, f)
				summarizeInertOption(c, lf, f)
				summarizeRequestMethod(c, lf, f)
				summarizeDropped(c, lf, f)
			}
		},
	}
	return c
}

// What the transport and keepalive checks start from, found in one walk
// of the package.
type starts struct {
	pools     []poolSource  // constructions of connection pools that keep idle connections (transport)
	installs  []dialInstall // dial funcs set on an http.Transport (keepalive)
	turnedOff []ast.Expr    // Transports given to helpers that turn their pooling off (keepalive)
}

// scan walks the package's syntax once: it runs the body check on each
// call that produces a response, while the call's syntax and types are
// still in the CPU's caches (which keeps the analyzer's cost linear in
// big packages), and returns where the other enabled checks start.
func (c *checker) scan() starts {
	var found starts
	body := c.cfg.enabled(nameBody) || c.cfg.enabled(nameDrain) || c.cfg.enabled(nameBodyEOF)
	pools, dials := c.cfg.enabled(nameTransport), c.cfg.enabled(nameKeepAlive)
	for cur := range c.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil), (*ast.RangeStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			fn := flow.CalleeFunc(c.pass.TypesInfo, n)
			if fn == nil && mayHand(c, n) {
				fn, _ = c.FuncValue(n) // get := client.Get; get(u)
			}
			if body {
				if r, ok := responseAt(c, cur, fn); ok {
					checkResponse(c, r)
				}
				callbacks(c, cur, fn)
			}
			if pools {
				if src, ok := poolCall(c, cur, fn); ok && (!src.noKeepAlive || src.off) && !src.passed && !c.NeverRuns(cur) {
					found.pools = append(found.pools, src)
				}
			}
			if dials {
				checkDialerOption(c, cur, fn)
				found.installs = callInstalls(c, cur, fn, found.installs)
				found.turnedOff = turnsOffArgs(c, n, fn, found.turnedOff)
				found.installs = paramInstalls(c, cur, fn, found.installs)
			}
		case *ast.CompositeLit:
			if pools {
				if src, ok := poolLit(c, cur); ok && (!src.noKeepAlive || src.off) && !c.NeverRuns(cur) {
					found.pools = append(found.pools, src)
				} else if src, ok := bareClient(c, cur); ok {
					found.pools = append(found.pools, src)
				}
			}
			if dials {
				found.installs = litInstalls(c, cur, found.installs)
			}
		case *ast.ValueSpec:
			if src, ok := poolDecl(c, cur); ok && pools && !c.NeverRuns(cur) {
				found.pools = append(found.pools, src)
			}
		case *ast.AssignStmt:
			if dials {
				found.installs = assignInstalls(c, cur, found.installs)
			}
			if body {
				checkReceived(c, cur)
				checkUndrained(c, cur)
			}
		case *ast.RangeStmt:
			if body {
				checkReceived(c, cur)
			}
		}
	}
	return found
}

// report emits d, a finding of the check named by its category, if that
// check is enabled and no //httpleakcheck:ignore directive covers it.
func (c *checker) report(d analysis.Diagnostic) {
	if !c.cfg.enabled(d.Category) || c.ignores.suppresses(c.pass, d.Pos) {
		return
	}
	d.URL = docURL("docs/checks/" + d.Category + ".md")
	c.pass.Report(d)
}

// docURL returns the address of a page of this repository's
// documentation, such as "docs/checks/body.md".
func docURL(page string) string {
	return "https://github.com/httpleakcheck/httpleakcheck/blob/main/" + page
}

// mayHand reports whether a result of call could be a response, a
// library's holder of one, or hold a connection pool: whether its callee
// is worth resolving.
func mayHand(c *checker, call *ast.CallExpr) bool {
	var results []types.Type
	switch t := c.pass.TypesInfo.TypeOf(call).(type) {
	case nil:
	case *types.Tuple:
		for v := range t.Variables() {
			results = append(results, v.Type())
		}
	default:
		results = append(results, t)
	}
	for _, t := range results {
		if _, holder := holderPlace(t); holder || nethttp.IsResponse(t) || c.pools.holdsPool(t) {
			return true
		}
	}
	return false
}
