package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// runStandalone loads the packages matching o.patterns and their
// dependencies from source and analyzes them. It prints the errors of
// packages that do not load or type-check to stderr.
func runStandalone(o *options, stderr io.Writer) (*results, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: o.tests}
	roots, err := packages.Load(cfg, o.patterns...)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(o.patterns, " "))
	}
	res := &results{}
	printed := make(map[string]bool) // errors of a package and of its test variant, printed once
	for _, p := range leaveOutBroken(roots) {
		if slices.Contains(roots, p) {
			for _, e := range packageErrors(p) {
				if !printed[e] {
					printed[e] = true
					fmt.Fprintln(stderr, e)
				}
			}
			continue
		}
		note := fmt.Sprintf("dependency %s does not build, so it was not analyzed; the packages that import it were analyzed without its facts:", p.PkgPath)
		for _, e := range p.Errors {
			note += "\n\t" + firstLine(e)
		}
		fmt.Fprintf(stderr, "httpleakcheck: %s\n", note)
		res.notes = append(res.notes, note)
	}
	opts := &checker.Options{
		Sequential:  strings.Contains(o.debug, "p"),
		SanityCheck: strings.Contains(o.debug, "s"),
	}
	if strings.Contains(o.debug, "f") {
		opts.FactLog = os.Stderr
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, roots, opts)
	if err != nil {
		return nil, err
	}
	for _, act := range graph.Roots {
		p := pkgResult{id: act.Package.ID}
		if act.Err != nil {
			p.err = failure(act)
		}
		for _, d := range act.Diagnostics {
			p.diags = append(p.diags, newDiag(act.Package.Fset, d))
		}
		res.pkgs = append(res.pkgs, p)
	}
	return res, nil
}

// leaveOutBroken finds the packages, among roots and their dependencies,
// whose own code does not build, and returns them. It cuts them out of
// the import graph that the checker follows, so that their importers
// are analyzed (without facts from them) instead of failing with them;
// a package whose own files type-check is no longer ill-typed. The
// broken roots stay roots: their analysis is skipped, with an error.
func leaveOutBroken(roots []*packages.Package) []*packages.Package {
	var broken []*packages.Package
	packages.Visit(roots, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 {
			broken = append(broken, p)
		} else {
			p.IllTyped = false
		}
	})
	if len(broken) == 0 {
		return nil
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		for path, imp := range p.Imports {
			if slices.Contains(broken, imp) {
				delete(p.Imports, path)
			}
		}
	})
	return broken
}

// firstLine returns the first line of e that says what is wrong (go list
// starts some with "# package"), after e's position if it has one.
func firstLine(e packages.Error) string {
	msg := e.Msg
	for l := range strings.Lines(e.Msg) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			msg = l
			break
		}
	}
	if e.Pos != "" {
		return e.Pos + ": " + msg
	}
	return msg
}

// failure says why the analysis act failed: the error of the action
// where the failure began (the checker says only "failed prerequisites"
// of those that depend on it), naming its package when it is another
// one, such as a dependency whose summaries failed.
func failure(act *checker.Action) string {
	seen := make(map[*checker.Action]bool)
	var cause func(a *checker.Action) *checker.Action
	cause = func(a *checker.Action) *checker.Action {
		if seen[a] {
			return nil
		}
		seen[a] = true
		if a.Err == nil {
			return nil
		}
		if !strings.HasPrefix(a.Err.Error(), "failed prerequisites") {
			return a
		}
		for _, dep := range a.Deps {
			if c := cause(dep); c != nil {
				return c
			}
		}
		return nil
	}
	c := cause(act)
	switch {
	case c == nil:
		return act.Err.Error()
	case c.Package != act.Package:
		return fmt.Sprintf("%s of dependency %s: %v", c.Analyzer.Name, c.Package.ID, c.Err)
	}
	return c.Err.Error()
}

// packageErrors returns the errors of a package to check that does not
// load or type-check, each as a line to print, as the compiler reports
// them: with parse errors, those alone, one per line (the type errors
// that come after them are about the parser's repairs of the syntax: an
// expression it could not parse printed as "(ast: *ast.BadExpr)", a
// "missing return" at no position), else all the errors. An error
// without a position (a pattern that matches no directory) is prefixed
// by the package instead.
func packageErrors(p *packages.Package) []string {
	errs := p.Errors
	if slices.ContainsFunc(errs, func(e packages.Error) bool { return e.Kind == packages.ParseError }) {
		errs = slices.DeleteFunc(slices.Clone(errs), func(e packages.Error) bool { return e.Kind != packages.ParseError })
	}
	var lines []string
	seen := make(map[string]bool) // file:line of the parse errors printed
	for _, e := range errs {
		if e.Pos == "" || e.Pos == "-" {
			lines = append(lines, p.ID+": "+e.Msg)
			continue
		}
		if e.Kind == packages.ParseError {
			line := e.Pos
			if posn, err := parsePosn(e.Pos); err == nil {
				line = fmt.Sprintf("%s:%d", posn.Filename, posn.Line)
			}
			if seen[line] {
				continue
			}
			seen[line] = true
		}
		lines = append(lines, e.Error())
	}
	return lines
}
