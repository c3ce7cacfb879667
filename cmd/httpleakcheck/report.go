package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/docs/checks"
	"golang.org/x/tools/go/analysis"
)

// results are what a run found, whichever way it ran (standalone or
// through go vet): per package, its diagnostics or the error that kept it
// from being analyzed, plus notes on dependencies left out.
type results struct {
	pkgs  []pkgResult
	notes []string // dependencies that do not build, said once each
}

// A pkgResult is the outcome of the analysis of one package (by ID, such
// as "example.com/m/a [example.com/m/a.test]").
type pkgResult struct {
	id    string
	err   string // why the package was not analyzed, if it was not
	diags []diag
}

// A diag is a diagnostic with its positions resolved: what the JSON
// output of x/tools drivers carries.
type diag struct {
	category, message string
	url               string // the check's page
	posn, end         token.Position
	related           []related
	fixes             []fix
}

// A related is a secondary position of a diag.
type related struct {
	posn, end token.Position
	message   string
}

// A fix is a suggested fix: edits to apply together.
type fix struct {
	message string
	edits   []edit
}

// An edit replaces the bytes [start, end) of a file with text.
type edit struct {
	filename   string
	start, end int
	text       string
}

// newDiag resolves the positions of d.
func newDiag(fset *token.FileSet, d analysis.Diagnostic) diag {
	x := diag{
		category: d.Category,
		message:  d.Message,
		url:      cmp.Or(d.URL, checkURL(d.Category)),
		posn:     fset.Position(d.Pos),
		end:      fset.Position(cmp.Or(d.End, d.Pos)),
	}
	for _, r := range d.Related {
		x.related = append(x.related, related{fset.Position(r.Pos), fset.Position(cmp.Or(r.End, r.Pos)), r.Message})
	}
	for _, f := range d.SuggestedFixes {
		xf := fix{message: f.Message}
		for _, e := range f.TextEdits {
			start, end := fset.Position(e.Pos), fset.Position(cmp.Or(e.End, e.Pos))
			xf.edits = append(xf.edits, edit{start.Filename, start.Offset, end.Offset, string(e.NewText)})
		}
		x.fixes = append(x.fixes, xf)
	}
	return x
}

// checkURL returns the address of the page that documents the
// diagnostics of a category: the check's page, or for a directive that
// does nothing, README's section on suppressing. The analyzer sets the
// same address as each diagnostic's URL (TestDiagnosticURLs checks
// that); go vet -json does not pass it on, so -vet takes it from here.
func checkURL(category string) string {
	switch category {
	case "":
		return ""
	case "directive":
		return checks.URL("README.md#suppressing-a-finding")
	}
	return checks.URL("docs/checks/" + category + ".md")
}

// key identifies a diagnostic across the packages that share its file
// (a package and its test variant).
type key struct {
	posn, end token.Position
	message   string
}

func (d *diag) key() key { return key{d.posn, d.end, d.message} }

// unique returns the diagnostics of all packages, each once, sorted by
// position.
func (r *results) unique() []*diag {
	seen := make(map[key]bool)
	var ds []*diag
	for i := range r.pkgs {
		for j := range r.pkgs[i].diags {
			d := &r.pkgs[i].diags[j]
			if !seen[d.key()] {
				seen[d.key()] = true
				ds = append(ds, d)
			}
		}
	}
	slices.SortStableFunc(ds, func(a, b *diag) int {
		return cmp.Or(strings.Compare(a.posn.Filename, b.posn.Filename), cmp.Compare(a.posn.Offset, b.posn.Offset),
			cmp.Compare(a.posn.Line, b.posn.Line), cmp.Compare(a.posn.Column, b.posn.Column))
	})
	return ds
}

// keep keeps the diagnostics for which want is true. It asks once per
// diagnostic, in the order of unique, so that want may count.
func (r *results) keep(want func(*diag) bool) {
	drop := make(map[key]bool)
	for _, d := range r.unique() {
		if !want(d) {
			drop[d.key()] = true
		}
	}
	for i := range r.pkgs {
		r.pkgs[i].diags = slices.DeleteFunc(r.pkgs[i].diags, func(d diag) bool { return drop[d.key()] })
	}
}

// failed reports whether some package was not analyzed.
func (r *results) failed() bool {
	return slices.ContainsFunc(r.pkgs, func(p pkgResult) bool { return p.err != "" })
}

// printText prints the packages that were not analyzed, then the
// diagnostics, as x/tools drivers do, with each diagnostic's check after
// its message: "file:line:col: message [check]"; each related position
// after its diagnostic, "file:line:col: \tmessage" (its message indented
// by a tab); and with context >= 0, after each of those lines the lines
// it covers with that many lines around them.
func (r *results) printText(w io.Writer, context int) error {
	var b strings.Builder
	for _, p := range r.pkgs {
		if p.err != "" {
			fmt.Fprintf(&b, "httpleakcheck: %s: %s\n", p.id, p.err)
		}
	}
	lines := make(map[string][]string)
	show := func(posn, end token.Position, message string) {
		fmt.Fprintf(&b, "%s: %s\n", posn, message)
		if context < 0 {
			return
		}
		if !end.IsValid() {
			end = posn
		}
		ls, ok := lines[posn.Filename]
		if !ok {
			data, _ := os.ReadFile(posn.Filename)
			ls = strings.Split(string(data), "\n")
			lines[posn.Filename] = ls
		}
		for i := max(posn.Line-context, 1); i <= min(end.Line+context, len(ls)); i++ {
			fmt.Fprintf(&b, "%d\t%s\n", i, ls[i-1])
		}
	}
	for _, d := range r.unique() {
		show(d.posn, d.end, d.textMessage())
		for _, rel := range d.related {
			show(rel.posn, rel.end, "\t"+rel.message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textMessage returns the message of d as the text output shows it:
// followed by its check in brackets.
func (d *diag) textMessage() string {
	if d.category == "" {
		return d.message
	}
	return d.message + " [" + d.category + "]"
}

// The JSON output of x/tools drivers (and of go vet -json): package ID →
// analyzer name → diagnostics, or {"error": ...}. A diagnostic has a url
// too (the page of its check), which x/tools drivers do not print.
type (
	jsonDiag struct {
		Category       string        `json:"category,omitempty"`
		Posn           string        `json:"posn"`
		End            string        `json:"end"`
		Message        string        `json:"message"`
		URL            string        `json:"url,omitempty"`
		SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated `json:"related,omitempty"`
	}
	jsonFix struct {
		Message string     `json:"message"`
		Edits   []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// printJSON prints the results as x/tools drivers do with -json.
func (r *results) printJSON(w io.Writer) error {
	tree := make(map[string]map[string]any)
	for _, p := range r.pkgs {
		var v any
		if p.err != "" {
			v = jsonError{p.err}
		} else if len(p.diags) > 0 {
			ds := make([]jsonDiag, 0, len(p.diags))
			for _, d := range p.diags {
				ds = append(ds, d.toJSON())
			}
			v = ds
		} else {
			continue
		}
		if tree[p.id] == nil {
			tree[p.id] = make(map[string]any)
		}
		tree[p.id]["httpleakcheck"] = v
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func (d *diag) toJSON() jsonDiag {
	j := jsonDiag{Category: d.category, Posn: d.posn.String(), End: d.end.String(), Message: d.message, URL: d.url}
	for _, f := range d.fixes {
		jf := jsonFix{Message: f.message}
		for _, e := range f.edits {
			jf.Edits = append(jf.Edits, jsonEdit{e.filename, e.start, e.end, e.text})
		}
		j.SuggestedFixes = append(j.SuggestedFixes, jf)
	}
	for _, r := range d.related {
		j.Related = append(j.Related, jsonRelated{r.posn.String(), r.end.String(), r.message})
	}
	return j
}

// fromJSON is the inverse of toJSON. Positions get no byte offset. The
// JSON of go vet has no url: the category gives it.
func (j *jsonDiag) fromJSON() (diag, error) {
	d := diag{category: j.Category, message: j.Message, url: cmp.Or(j.URL, checkURL(j.Category))}
	var err error
	pos := func(s string) token.Position {
		p, e := parsePosn(s)
		err = cmp.Or(err, e)
		return p
	}
	d.posn, d.end = pos(j.Posn), pos(j.End)
	for _, r := range j.Related {
		d.related = append(d.related, related{pos(r.Posn), pos(r.End), r.Message})
	}
	for _, f := range j.SuggestedFixes {
		xf := fix{message: f.Message}
		for _, e := range f.Edits {
			xf.edits = append(xf.edits, edit{e.Filename, e.Start, e.End, e.New})
		}
		d.fixes = append(d.fixes, xf)
	}
	return d, err
}

// parsePosn parses "file:line:col" (or "file:line").
func parsePosn(s string) (token.Position, error) {
	file, col, ok := cutLastInt(s)
	if !ok {
		return token.Position{}, fmt.Errorf("bad position %q", s)
	}
	if name, line, ok := cutLastInt(file); ok {
		return token.Position{Filename: name, Line: line, Column: col}, nil
	}
	return token.Position{Filename: file, Line: col}, nil
}

// cutLastInt splits "s:n" into s and the number n.
func cutLastInt(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	return s[:i], n, err == nil
}
