package analyzer

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ignorePrefix starts a suppression directive:
//
//	//httpleakcheck:ignore the body is closed by the caller's cleanup
//
// It suppresses the findings reported on its own line or the next one.
const ignorePrefix = "//httpleakcheck:ignore"

type ignoreKey struct {
	file string
	line int
}

type ignoreDirective struct {
	pos    token.Pos
	reason string
	used   bool
}

// An ignoreSet holds a package's suppression directives by line.
type ignoreSet struct {
	byLine map[ignoreKey]*ignoreDirective
	all    []*ignoreDirective // in source order
}

func collectIgnores(pass *analysis.Pass) *ignoreSet {
	s := &ignoreSet{byLine: make(map[ignoreKey]*ignoreDirective)}
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, cm := range cg.List {
				rest, ok := strings.CutPrefix(cm.Text, ignorePrefix)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue // not our directive
				}
				d := &ignoreDirective{pos: cm.Pos(), reason: strings.TrimSpace(rest)}
				p := pass.Fset.Position(cm.Pos())
				s.byLine[ignoreKey{p.Filename, p.Line}] = d
				s.all = append(s.all, d)
			}
		}
	}
	return s
}

// suppresses reports whether a directive with a reason covers a finding
// at pos, and marks it used.
func (s *ignoreSet) suppresses(pass *analysis.Pass, pos token.Pos) bool {
	p := pass.Fset.Position(pos)
	for _, line := range []int{p.Line, p.Line - 1} {
		if d := s.byLine[ignoreKey{p.Filename, line}]; d != nil && d.reason != "" {
			d.used = true
			return true
		}
	}
	return false
}

// finish reports directives without a reason, and, in strict mode,
// directives that suppressed nothing.
func (s *ignoreSet) finish(c *checker) {
	for _, d := range s.all {
		switch {
		case d.reason == "":
			c.pass.Report(analysis.Diagnostic{
				Pos:      d.pos,
				Category: "directive",
				URL:      docURL("README.md#suppressing-a-finding"),
				Message:  "httpleakcheck:ignore directive needs a reason after it, e.g. //httpleakcheck:ignore closed by the caller",
			})
		case c.cfg.Strict && !d.used:
			c.pass.Report(analysis.Diagnostic{
				Pos:      d.pos,
				Category: "directive",
				URL:      docURL("README.md#suppressing-a-finding"),
				Message:  "httpleakcheck:ignore directive suppresses nothing; remove it",
			})
		}
	}
}
