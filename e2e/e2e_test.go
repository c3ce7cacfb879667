// Package e2e runs httpleakcheck through the real tools users run it
// with: the standalone command, go vet -vettool, go fix -fixtool,
// golangci-lint (a custom build with the module plugin) and pre-commit,
// on the sample module in testdata/leaky. The tests are slow: -short
// skips them. A tool that is not installed skips its test on a developer
// machine, and fails it in CI (CI=true).
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// A finding is a diagnostic reduced to what every runner can show:
// where (file:line, relative to the module root) and which check.
type finding struct {
	pos      string
	category string
}

// leakyFindings is what httpleakcheck, with default flags, reports on
// testdata/leaky. The body findings in app come through facts about
// closer.Status (only reads) and remote.Fetch (returns a fresh response);
// closer.Close hands the body off (no finding); the keepalive finding
// comes through a fact about dial.NoKeepAlive. app/suppress.go:8 is
// suppressed by //httpleakcheck:ignore, and app/suppress.go:28 carries
// //nolint:httpleakcheck, which only golangci-lint honours.
var leakyFindings = []finding{
	{"app/body.go:14", "body"},
	{"app/body.go:33", "body"},
	{"app/body.go:42", "body"},
	{"app/suppress.go:18", "directive"},
	{"app/suppress.go:19", "body"},
	{"app/suppress.go:28", "body"},
	{"client/client.go:12", "keepalive"},
	{"client/client.go:19", "transport"},
}

// checkPages are the pages that the diagnostics of each check link to.
var checkPages = map[string]string{
	"body":      "https://github.com/httpleakcheck/httpleakcheck/blob/main/docs/checks/body.md",
	"transport": "https://github.com/httpleakcheck/httpleakcheck/blob/main/docs/checks/transport.md",
	"keepalive": "https://github.com/httpleakcheck/httpleakcheck/blob/main/docs/checks/keepalive.md",
	"drain":     "https://github.com/httpleakcheck/httpleakcheck/blob/main/docs/checks/drain.md",
	"bodyeof":   "https://github.com/httpleakcheck/httpleakcheck/blob/main/docs/checks/bodyeof.md",
	"directive": "https://github.com/httpleakcheck/httpleakcheck/blob/main/README.md#suppressing-a-finding",
}

// staleDirective is the extra finding of -strict on testdata/leaky.
var staleDirective = finding{"app/suppress.go:38", "directive"}

// without returns fs less the findings whose category or position is
// in drop.
func without(fs []finding, drop ...string) []finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f finding) bool {
		return slices.Contains(drop, f.category) || slices.Contains(drop, f.pos)
	})
}

// sortFindings sorts fs in place and returns it.
func sortFindings(fs []finding) []finding {
	slices.SortFunc(fs, func(a, b finding) int {
		return strings.Compare(a.pos+" "+a.category, b.pos+" "+b.category)
	})
	return fs
}

// checkFindings fails t unless got and want hold the same findings.
func checkFindings(t *testing.T, what string, got, want []finding) {
	t.Helper()
	got, want = sortFindings(slices.Clone(got)), sortFindings(slices.Clone(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s: findings differ\ngot:  %v\nwant: %v", what, got, want)
	}
}

// slow skips t under -short.
func slow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: runs real tools; skipped with -short")
	}
}

// need returns the path of the named tool. If it is not installed, t
// fails in CI (CI=true) and is skipped elsewhere, with how to install it.
func need(t *testing.T, tool, install string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed, and CI must run this test: %s", tool, install)
	}
	t.Skipf("SKIP: %s is not installed (%s); CI=true makes this a failure", tool, install)
	return ""
}

// benchPatterns returns the package patterns that the list file at path
// (bench/small.pkgs, large.pkgs) holds, one a line, # comments left out.
func benchPatterns(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for l := range strings.Lines(string(data)) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			pkgs = append(pkgs, l)
		}
	}
	return pkgs
}

// buildHTTPLeakCheck builds the httpleakcheck command into a temporary
// directory and returns its absolute path.
func buildHTTPLeakCheck(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "httpleakcheck")
	run(t, ".", nil, "go", "build", "-o", exe, "github.com/httpleakcheck/httpleakcheck/cmd/httpleakcheck").want(t, "building httpleakcheck", 0)
	return exe
}

// copyModule copies testdata/name to a new temporary directory, so that
// tests may change it, and returns that directory.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A result is the outcome of a command.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the command args in dir with env added to the environment,
// and fails t if it cannot be started, or if it is still running a
// minute before the test binary's -timeout (see command).
func run(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := command(t, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"GOWORK=off"}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if cmd.ProcessState == nil || !errors.As(err, &exit) && err != nil || cmd.ProcessState.ExitCode() < 0 {
		t.Fatalf("%s: %v (%v)\nstderr:\n%s", strings.Join(args, " "), err, cmd.ProcessState, tail(stderr.String(), 20))
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// command returns the command args, to be killed a minute before the
// test binary's -timeout: when a slow machine runs out of time, the test
// fails naming the command, and no go command is left behind to build
// on while the next tests run.
func command(t *testing.T, args ...string) *exec.Cmd {
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
		t.Cleanup(cancel)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// want fails t unless r exited with code.
func (r result) want(t *testing.T, what string, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, code, r.stdout, r.stderr)
	}
}

// A diagnostic is one diagnostic of the analyzers' -json output.
type diagnostic struct {
	Category       string            `json:"category"`
	Posn           string            `json:"posn"` // file:line:column
	Message        string            `json:"message"`
	URL            string            `json:"url"`
	Related        []related         `json:"related"`
	SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
}

// A related is a secondary position of a diagnostic.
type related struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// parseJSON decodes the -json output of httpleakcheck (analysis results
// by package and analyzer) run in dir, making positions relative to dir.
// It skips the packages that could not be analyzed: the exit code says so.
func parseJSON(t *testing.T, dir, out string) []diagnostic {
	t.Helper()
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("decoding -json output: %v\n%s", err, out)
	}
	var diags []diagnostic
	for pkg, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			if bytes.HasPrefix(raw, []byte("{")) {
				continue // {"error": ...}: the exit code tells
			}
			var ds []diagnostic
			if err := json.Unmarshal(raw, &ds); err != nil {
				t.Fatalf("%s: %s: %s", pkg, name, raw)
			}
			for _, d := range ds {
				d.Posn = relPosn(t, dir, d.Posn)
				for i := range d.Related {
					d.Related[i].Posn = relPosn(t, dir, d.Related[i].Posn)
				}
				diags = append(diags, d)
			}
		}
	}
	return diags
}

// relPosn makes the file of posn relative to dir.
func relPosn(t *testing.T, dir, posn string) string {
	t.Helper()
	rel, err := filepath.Rel(dir, posn)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// findings reduces diags to findings.
func findings(diags []diagnostic) []finding {
	var fs []finding
	for _, d := range diags {
		pos := d.Posn[:strings.LastIndex(d.Posn, ":")] // less the column
		fs = append(fs, finding{pos, d.Category})
	}
	return fs
}

// diagLine matches a diagnostic printed as text: "file.go:line:col: message".
var diagLine = regexp.MustCompile(`^\S+\.go:\d+:\d+: `)

// parseText returns the diagnostics that go vet printed as text in out,
// as "file:line:col: message".
func parseText(out string) []string {
	var lines []string
	for l := range strings.Lines(out) {
		if l = strings.TrimSpace(l); diagLine.MatchString(l) {
			lines = append(lines, l)
		}
	}
	slices.Sort(lines)
	return lines
}

// textLines renders diags as parseText returns them: go vet prints
// the related positions of a diagnostic after it, their message
// indented by a tab.
func textLines(diags []diagnostic) []string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, d.Posn+": "+d.Message)
		for _, r := range d.Related {
			lines = append(lines, r.Posn+": \t"+r.Message)
		}
	}
	slices.Sort(lines)
	return lines
}
