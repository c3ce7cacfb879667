// Package checks holds the pages that document httpleakcheck's checks,
// one per check (body.md, transport.md, keepalive.md, drain.md, bodyeof.md), for the tools
// that link to them or show them, such as the command's SARIF output.
package checks

import (
	"embed"
	"strings"
)

//go:embed *.md
var pages embed.FS

// A Page is the documentation of one check.
type Page struct {
	Check    string // the check's name: the Category of its diagnostics
	Title    string // the page's title, without its "# "
	Summary  string // the page's first paragraph: what the check reports
	Markdown string // the whole page
	URL      string // where the page is published
}

// URL returns the address of a page of httpleakcheck's documentation,
// relative to the root of its repository, such as "docs/checks/body.md".
func URL(page string) string {
	return "https://github.com/httpleakcheck/httpleakcheck/blob/main/" + page
}

// Pages returns the pages of the checks, in the order body, transport,
// keepalive, drain, bodyeof (the opt-in checks last).
func Pages() []Page {
	var ps []Page
	for _, check := range []string{"body", "transport", "keepalive", "drain", "bodyeof"} {
		data, err := pages.ReadFile(check + ".md")
		if err != nil {
			panic(err) // embedded above
		}
		p := Page{Check: check, Markdown: string(data), URL: URL("docs/checks/" + check + ".md")}
		for para := range strings.SplitSeq(p.Markdown, "\n\n") {
			para = strings.TrimSpace(para)
			switch {
			case p.Title == "" && strings.HasPrefix(para, "# "):
				p.Title = strings.TrimPrefix(para, "# ")
			case p.Summary == "" && para != "" && !strings.HasPrefix(para, "#") && !strings.HasPrefix(para, "**"):
				p.Summary = strings.Join(strings.Fields(para), " ")
			}
		}
		ps = append(ps, p)
	}
	return ps
}
