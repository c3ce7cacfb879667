package e2e

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
)

// TestREADME checks that README.md stays the entry point: a newcomer
// finds the install line, the first run and the rule for suppressing a
// finding within its first 150 lines; and that its table of checks lists
// every check of the analyzer, the opt-in ones marked, as its opening
// sentence says.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	top := strings.Join(lines[:min(150, len(lines))], "\n")
	for _, s := range []string{
		"go install github.com/httpleakcheck/httpleakcheck/cmd/httpleakcheck@latest",
		`"$(go env GOPATH)/bin/httpleakcheck" ./...`,
		"go install ./cmd/httpleakcheck",
		"2> findings.txt",
		"//httpleakcheck:ignore",
		"The reason is\nrequired",
	} {
		if !strings.Contains(top, s) {
			t.Errorf("the first 150 lines of README.md do not say %q", s)
		}
	}

	// The checks, from the usage of the -checks flag: "... of
	// body,transport,keepalive,drain,bodyeof (drain and bodyeof are opt-in)".
	usage := analyzer.Analyzer.Flags.Lookup("checks").Usage
	m := regexp.MustCompile(`of ([a-z,]+) \(([a-z ,]+) (?:is|are) opt-in\)`).FindStringSubmatch(usage)
	if m == nil {
		t.Fatalf("cannot read the checks from the usage of -checks: %q", usage)
	}
	checks := strings.Split(m[1], ",")
	optIn := regexp.MustCompile(`[a-z]+`).FindAllString(strings.ReplaceAll(m[2], " and ", " "), -1)
	row := regexp.MustCompile("(?m)^\\| \\[?`([a-z]+)`(?:\\]\\([^)]*\\))?( \\(opt-in\\))? \\|")
	var table, tableOptIn []string
	for _, r := range row.FindAllStringSubmatch(top, -1) {
		table = append(table, r[1])
		if r[2] != "" {
			tableOptIn = append(tableOptIn, r[1])
		}
	}
	if !slices.Equal(table, checks) {
		t.Errorf("README's table of checks lists %q, the analyzer has %q", table, checks)
	}
	if !slices.Equal(tableOptIn, optIn) {
		t.Errorf("README's table marks %q opt-in, the analyzer %q", tableOptIn, optIn)
	}
	if !strings.Contains(top, "the first three run by default") || len(checks)-len(optIn) != 3 {
		t.Errorf("README's opening says the first three checks run by default; the analyzer runs %d of %d by default", len(checks)-len(optIn), len(checks))
	}
}
