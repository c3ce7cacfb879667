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
	for _, p := range leaveOutBroken(roots) {
		if slices.Contains(roots, p) {
			for _, e := range p.Errors {
				fmt.Fprintln(stderr, e)
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
	for act := range graph.All() {
		if !act.IsRoot && (act.Err == nil || strings.HasPrefix(act.Err.Error(), "failed prerequisites")) {
			continue // the summaries of a dependency, or a failure already told where it began
		}
		p := pkgResult{id: act.Package.ID}
		if act.Err != nil {
			p.err = act.Err.Error()
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
