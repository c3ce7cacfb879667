package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/httpleakcheck/httpleakcheck/docs/checks"
)

// SARIF 2.1.0 (OASIS), the subset that httpleakcheck writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		Invocations        []sarifInvocation           `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
		Results            []sarifResult               `json:"results"`
		ColumnKind         string                      `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifHelp      `json:"help"`
		HelpURI              string         `json:"helpUri"`
		DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level   string    `json:"level"`
		Message sarifText `json:"message"`
	}
	sarifResult struct {
		RuleID           string          `json:"ruleId"`
		RuleIndex        int             `json:"ruleIndex"`
		Level            string          `json:"level"`
		Message          sarifText       `json:"message"`
		Locations        []sarifLocation `json:"locations"`
		RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
		Fixes            []sarifFix      `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		ID               *int          `json:"id,omitempty"`
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifText    `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent sarifText   `json:"insertedContent"`
	}
)

// srcRoot is the base of relative artifact URIs: the current directory.
const srcRoot = "SRCROOT"

// sarifRules returns a rule per check, documented by its page, and one
// for the //httpleakcheck:ignore directives.
func sarifRules() []sarifRule {
	var rules []sarifRule
	for _, p := range checks.Pages() {
		rules = append(rules, sarifRule{
			ID:               p.Check,
			Name:             ruleName(p.Check),
			ShortDescription: sarifText{p.Title},
			FullDescription:  sarifText{p.Summary},
			Help:             sarifHelp{Text: p.Markdown, Markdown: p.Markdown},
			HelpURI:          p.URL,
		})
	}
	const directive = "An //httpleakcheck:ignore directive without a reason (it suppresses nothing), " +
		"or, with -strict, one that suppresses no finding."
	rules = append(rules, sarifRule{
		ID:               "directive",
		Name:             ruleName("directive"),
		ShortDescription: sarifText{"directive: a suppression comment that does nothing"},
		FullDescription:  sarifText{directive},
		Help:             sarifHelp{Text: directive + " Give the reason after the directive, or remove it."},
		HelpURI:          checks.URL("README.md#suppressing-a-finding"),
	})
	for i := range rules {
		rules[i].DefaultConfiguration = map[string]any{"level": "warning"}
	}
	return rules
}

// ruleName returns the SARIF name of a check, a readable identifier.
func ruleName(check string) string {
	return map[string]string{
		"body":      "UnclosedResponseBody",
		"transport": "TransportPerCall",
		"keepalive": "KeepAliveOffOnDialerOnly",
		"drain":     "ResponseBodyClosedUnread",
		"bodyeof":   "ResponseBodyReadButNotClosed",
		"directive": "IgnoreDirectiveWithoutEffect",
	}[check]
}

// printSARIF writes the results as a SARIF 2.1.0 log: one rule per
// check, and per finding its location, related locations and fixes.
// File names are relative to the current directory when they are in it.
func (r *results) printSARIF(w io.Writer) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	s := &sarifWriter{cwd: cwd, files: make(map[string][]byte)}
	rules := sarifRules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "httpleakcheck",
			Version:        version(),
			InformationURI: checks.URL("README.md"),
			Rules:          rules,
		}},
		Invocations:        []sarifInvocation{{ExecutionSuccessful: !r.failed()}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(cwd) + "/"}).String()}},
		Results:            []sarifResult{},
		ColumnKind:         "utf16CodeUnits",
	}
	inv := &run.Invocations[0]
	for _, p := range r.pkgs {
		if p.err != "" {
			inv.Notifications = append(inv.Notifications, sarifNotification{"error", sarifText{p.id + ": " + p.err}})
		}
	}
	for _, n := range r.notes {
		inv.Notifications = append(inv.Notifications, sarifNotification{"warning", sarifText{n}})
	}
	diags := r.unique()
	for _, d := range diags {
		// A check without a page here (one newer than this list) gets a
		// rule of its own, linked to the address its diagnostics give.
		if !slices.ContainsFunc(rules, func(rule sarifRule) bool { return rule.ID == d.category }) {
			rules = append(rules, sarifRule{
				ID:                   d.category,
				Name:                 cmp.Or(ruleName(d.category), d.category),
				ShortDescription:     sarifText{d.category},
				FullDescription:      sarifText{"Findings of httpleakcheck's " + d.category + " check."},
				Help:                 sarifHelp{Text: "See " + d.url},
				HelpURI:              d.url,
				DefaultConfiguration: map[string]any{"level": "warning"},
			})
		}
	}
	run.Tool.Driver.Rules = rules
	for _, d := range diags {
		index := slices.IndexFunc(rules, func(rule sarifRule) bool { return rule.ID == d.category })
		res := sarifResult{
			RuleID:    d.category,
			RuleIndex: index,
			Level:     "warning",
			Message:   sarifText{d.message},
			Locations: []sarifLocation{{PhysicalLocation: s.physical(d.posn, d.end)}},
		}
		for i, rel := range d.related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: s.physical(rel.posn, rel.end), Message: &sarifText{rel.message}})
		}
		for _, f := range d.fixes {
			res.Fixes = append(res.Fixes, s.fix(f))
		}
		run.Results = append(run.Results, res)
	}
	data, err := json.MarshalIndent(sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// version returns the module version this command was built from,
// without its "v", or "0.0.0-devel" when it is not known (a build from a
// work tree without version control information).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") {
		return bi.Main.Version[1:]
	}
	return "0.0.0-devel"
}

// A sarifWriter turns Go positions (byte columns) into SARIF locations
// (UTF-16 columns), reading the files it needs once.
type sarifWriter struct {
	cwd   string
	files map[string][]byte
}

// artifact returns the location of a file: relative to the current
// directory when it is inside it, else an absolute file URI.
func (s *sarifWriter) artifact(file string) sarifArtifactLoc {
	if rel, err := filepath.Rel(s.cwd, file); err == nil && filepath.IsLocal(rel) {
		return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
	}
	return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()}
}

// physical returns the location of the range [posn, end).
func (s *sarifWriter) physical(posn, end token.Position) sarifPhysical {
	if !end.IsValid() || end.Filename != posn.Filename {
		end = posn
	}
	return sarifPhysical{
		ArtifactLocation: s.artifact(posn.Filename),
		Region: sarifRegion{
			StartLine: posn.Line, StartColumn: s.column(posn.Filename, posn.Line, posn.Column),
			EndLine: end.Line, EndColumn: s.column(end.Filename, end.Line, end.Column),
		},
	}
}

// fix returns f as a SARIF fix, its edits grouped by file.
func (s *sarifWriter) fix(f fix) sarifFix {
	sf := sarifFix{Description: sarifText{f.message}}
	for _, e := range f.edits {
		i := slices.IndexFunc(sf.ArtifactChanges, func(c sarifArtifactChange) bool { return c.ArtifactLocation == s.artifact(e.filename) })
		if i < 0 {
			i = len(sf.ArtifactChanges)
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: s.artifact(e.filename)})
		}
		start, end := s.offsetPos(e.filename, e.start), s.offsetPos(e.filename, e.end)
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion: sarifRegion{
				StartLine: start.Line, StartColumn: s.column(e.filename, start.Line, start.Column),
				EndLine: end.Line, EndColumn: s.column(e.filename, end.Line, end.Column),
			},
			InsertedContent: sarifText{e.text},
		})
	}
	return sf
}

// file returns the content of a file, or nil if it cannot be read.
func (s *sarifWriter) file(name string) []byte {
	data, ok := s.files[name]
	if !ok {
		data, _ = os.ReadFile(name)
		s.files[name] = data
	}
	return data
}

// offsetPos returns the line and byte column of a byte offset in a file.
func (s *sarifWriter) offsetPos(name string, offset int) token.Position {
	data := s.file(name)
	offset = min(offset, len(data))
	lineStart := bytes.LastIndexByte(data[:offset], '\n') + 1
	return token.Position{Filename: name, Line: bytes.Count(data[:offset], []byte("\n")) + 1, Column: offset - lineStart + 1}
}

// column converts a byte column of a line of a file into the UTF-16
// column that SARIF counts in. It returns col when the file cannot be read.
func (s *sarifWriter) column(name string, line, col int) int {
	data := s.file(name)
	for range line - 1 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return col
		}
		data = data[i+1:]
	}
	if col-1 > len(data) {
		return col
	}
	n := 1
	for prefix := data[:col-1]; len(prefix) > 0; {
		r, size := utf8.DecodeRune(prefix)
		n += utf16.RuneLen(r)
		prefix = prefix[size:]
	}
	return n
}
