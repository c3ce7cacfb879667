package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNewFindings adopts httpleakcheck on testdata/leaky, whose findings
// are committed, in the two ways a team can: -new-from-rev reports only
// the leaks added since a revision (in a changed file and in an untracked
// one), and a baseline written once hides the old findings, but not a
// new one; both through -vet too.
func TestNewFindings(t *testing.T) {
	slow(t)
	git := need(t, "git", "apt-get install -y git")
	hlc := buildHTTPLeakCheck(t)
	dir := copyModule(t, "leaky")
	env := []string{
		"GIT_AUTHOR_NAME=e2e", "GIT_AUTHOR_EMAIL=e2e@example.invalid",
		"GIT_COMMITTER_NAME=e2e", "GIT_COMMITTER_EMAIL=e2e@example.invalid",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
	run(t, dir, env, git, "init", "-q").want(t, "git init", 0)
	run(t, dir, env, git, "add", "-A").want(t, "git add", 0)
	run(t, dir, env, git, "commit", "-q", "-m", "old findings").want(t, "git commit", 0)

	leak := func(name string) string {
		return "\n// " + name + " leaks.\nfunc " + name + "(u string) int {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n"
	}
	body := filepath.Join(dir, "app", "body.go")
	old, err := os.ReadFile(body)
	if err != nil {
		t.Fatal(err)
	}
	writeSource(t, body, string(old)+leak("Changed"))                                                                   // http.Get on line 51
	writeSource(t, filepath.Join(dir, "app", "untracked.go"), "package app\n\nimport \"net/http\"\n"+leak("Untracked")) // line 7

	positions := func(t *testing.T, args ...string) []string {
		t.Helper()
		r := run(t, dir, env, append([]string{hlc}, args...)...)
		r.want(t, strings.Join(args, " "), 3)
		return textPositions(dir, r.stderr)
	}
	for _, mode := range [][]string{nil, {"-vet"}} {
		got := positions(t, append(mode, "-new-from-rev=HEAD", "./...")...)
		// The new findings, and the returns that leave their bodies open.
		want := []string{"app/body.go:51", "app/body.go:55", "app/untracked.go:11", "app/untracked.go:7"}
		if !slices.Equal(got, want) {
			t.Errorf("%s -new-from-rev=HEAD: %q, want %q", strings.Join(mode, " "), got, want)
		}
	}

	// The JSON of the findings kept carries their check's page.
	wantJSONFindings(t, dir, env, hlc, "-new-from-rev=HEAD", 2)

	baseline := filepath.Join(dir, "baseline.json")
	run(t, dir, env, hlc, "-write-baseline="+baseline, "./...").want(t, "httpleakcheck -write-baseline", 0)
	for _, mode := range [][]string{nil, {"-vet"}} {
		r := run(t, dir, env, append(append([]string{hlc}, mode...), "-baseline="+baseline, "./...")...)
		r.want(t, "httpleakcheck -baseline", 0)
	}
	// A new leak in a file with old findings, above them: they move, and
	// stay accepted; the new one is reported.
	writeSource(t, body, strings.Replace(string(old), "// Status never", strings.TrimPrefix(leak("Newer"), "\n")+"\n// Status never", 1)+leak("Changed"))
	wantJSONFindings(t, dir, env, hlc, "-baseline="+baseline, 1)
	got := positions(t, "-baseline="+baseline, "./...")
	if want := []string{"app/body.go:14", "app/body.go:18"}; !slices.Equal(got, want) {
		t.Errorf("-baseline: %q, want %q (the new leak only)", got, want)
	}
}

// wantJSONFindings runs hlc -json with flag over ./... in dir, standalone
// and with -vet, and checks that it reports n findings, each with the page
// of its check.
func wantJSONFindings(t *testing.T, dir string, env []string, hlc, flag string, n int) {
	t.Helper()
	for _, mode := range [][]string{nil, {"-vet"}} {
		what := strings.TrimSpace(strings.Join(mode, " ") + " -json " + flag)
		r := run(t, dir, env, append(append([]string{hlc}, mode...), "-json", flag, "./...")...)
		r.want(t, "httpleakcheck "+what, 0)
		diags := parseJSON(t, dir, r.stdout)
		if len(diags) != n {
			t.Errorf("%s: %d findings, want %d", what, len(diags), n)
		}
		for _, d := range diags {
			if d.URL != checkPages[d.Category] {
				t.Errorf("%s: %s: url %q, want %q", what, d.Posn, d.URL, checkPages[d.Category])
			}
		}
	}
}
