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

	"golang.org/x/tools/go/analysis"
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

A finding can be suppressed with a comment on its line or the line above:

	//httpleakcheck:ignore <reason>

The reason is required.`

// The names of the checks, as used by the -checks flag and as the
// Category of their diagnostics.
const (
	checkBody      = "body"
	checkTransport = "transport"
	checkKeepAlive = "keepalive"
)

// allChecks returns the names of all checks.
func allChecks() []string { return []string{checkBody, checkTransport, checkKeepAlive} }

// Config selects what an Analyzer made by NewAnalyzer reports.
type Config struct {
	// Checks lists the checks to run: "body", "transport", "keepalive".
	// Empty means all of them.
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
	return len(c.Checks) == 0 || slices.Contains(c.Checks, check)
}

// checksFlag is the -checks flag: a comma-separated list of check names.
type checksFlag struct{ cfg *Config }

func (f checksFlag) String() string {
	if f.cfg == nil || len(f.cfg.Checks) == 0 {
		return strings.Join(allChecks(), ",")
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
		Name:      "httpleakcheck",
		Doc:       Doc,
		URL:       "https://pkg.go.dev/github.com/httpleakcheck/httpleakcheck/analyzer",
		FactTypes: []analysis.Fact{new(funcFact)},
		Run:       func(pass *analysis.Pass) (any, error) { return run(pass, &cfg) },
	}
	a.Flags.Init("httpleakcheck", flag.ContinueOnError)
	a.Flags.Var(checksFlag{&cfg}, "checks", "comma-separated checks to run: "+strings.Join(allChecks(), ","))
	a.Flags.BoolVar(&cfg.Strict, "strict", cfg.Strict, "also report //httpleakcheck:ignore directives that suppress nothing")
	return a
}

// A checker holds the state of one pass: the package's function
// summaries and its suppression directives.
type checker struct {
	pass *analysis.Pass
	cfg  *Config
	in   *inspector.Inspector // built on first use: see cursor

	funcs    []localFunc               // this package's functions with bodies, in source order
	local    map[*types.Func]int       // the index of each in funcs
	imported map[*types.Func]*funcFact // the summaries imported so far
	nothing  funcFact                  // the summary of a function nothing is known of
	ignores  *ignoreSet
	http     bool // the package imports net/http, directly or not
}

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	size := 0
	for _, f := range pass.Files {
		size += len(f.Decls)
	}
	c := &checker{
		pass:     pass,
		cfg:      cfg,
		funcs:    make([]localFunc, 0, size),
		imported: make(map[*types.Func]*funcFact),
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					c.funcs = append(c.funcs, localFunc{fn: fn, decl: fd})
				}
			}
		}
	}
	c.http = importsHTTP(pass.Pkg)
	c.exportFacts()

	if !c.http {
		return nil, nil // fast path: nothing here can reach net/http
	}
	c.ignores = collectIgnores(pass)
	pools, dials := c.scan()
	if pools && cfg.enabled(checkTransport) {
		c.checkTransport()
	}
	if dials && cfg.enabled(checkKeepAlive) {
		c.checkKeepAlive()
	}
	c.ignores.finish(c)
	return nil, nil
}

// cursor returns the root cursor of the package's syntax. The inspector
// is built here, on first use, rather than required from
// passes/inspect: the checker keeps every required result until the end
// of a run, and an analyzer with facts runs on every dependency, std
// included, so requiring it would hold an inspector for each of them
// (about a quarter more memory on large runs). The body check needs no
// inspector (see scan): only packages that build a connection pool or
// install a dial func, and the summaries of functions that do, build
// one, and drop it after.
func (c *checker) cursor() inspector.Cursor {
	if c.in == nil {
		c.in = inspector.New(c.pass.Files)
	}
	return c.in.Root()
}

// report emits d unless an //httpleakcheck:ignore directive covers it.
func (c *checker) report(d analysis.Diagnostic) {
	if c.ignores.suppresses(c.pass, d.Pos) {
		return
	}
	c.pass.Report(d)
}
