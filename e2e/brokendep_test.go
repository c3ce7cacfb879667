package e2e

import (
	"slices"
	"strings"
	"testing"
)

// TestBrokenDependency runs the command on testdata/brokendep, whose
// package app type-checks but imports a cgo package whose C header is
// missing and a package with a type error (both in the nested module
// dep): app is analyzed, with the facts of the package that builds
// (remote) and none of the broken ones, each broken dependency is
// reported once, and nothing fails "prerequisites". Standalone, with
// -json, and with -vet (go vet stops at the broken dependency, so the
// command analyzes from source instead).
func TestBrokenDependency(t *testing.T) {
	slow(t)
	need(t, "gcc", "apt-get install -y gcc")
	hlc := buildHTTPLeakCheck(t)
	dir := copyModule(t, "brokendep")
	env := []string{"CGO_ENABLED=1"}
	want := []finding{{"app/app.go:16", "body"}, {"app/app.go:26", "body"}}

	checkNotes := func(t *testing.T, stderr string) {
		t.Helper()
		for _, dep := range []string{"example.com/dep/cgolib", "example.com/dep/typo"} {
			if n := strings.Count(stderr, "dependency "+dep+" does not build"); n != 1 {
				t.Errorf("%s is reported %d times, want once:\n%s", dep, n, stderr)
			}
		}
		for _, s := range []string{"httpleakcheck_missing_header.h: No such file or directory", "typo.go:11:28: cannot use"} {
			if !strings.Contains(stderr, s) {
				t.Errorf("the report does not say %q:\n%s", s, stderr)
			}
		}
		if strings.Contains(stderr, "failed prerequisites") || strings.Contains(stderr, "analysis skipped") {
			t.Errorf("a package was not analyzed:\n%s", stderr)
		}
	}

	for _, mode := range [][]string{nil, {"-vet"}} {
		t.Run("text"+strings.Join(mode, ""), func(t *testing.T) {
			r := run(t, dir, env, append(append([]string{hlc}, mode...), "./...")...)
			r.want(t, "httpleakcheck", 3)
			checkNotes(t, r.stderr)
			// The findings, and the returns that leave their bodies open.
			wantLines := []string{"app/app.go:16", "app/app.go:20", "app/app.go:26", "app/app.go:30"}
			if got := textPositions(dir, r.stderr); !slices.Equal(got, wantLines) {
				t.Errorf("positions printed: %q, want %q", got, wantLines)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		r := run(t, dir, env, hlc, "-json", "./...")
		r.want(t, "httpleakcheck -json", 0)
		checkNotes(t, r.stderr)
		checkFindings(t, "httpleakcheck -json", findings(parseJSON(t, dir, r.stdout)), want)
	})
	t.Run("broken root", func(t *testing.T) {
		// Analyzed as a root, a package that does not type-check is an
		// error (exit 1), as before.
		r := run(t, dir+"/dep", env, hlc, "./typo")
		r.want(t, "httpleakcheck ./typo", 1)
		if !strings.Contains(r.stderr, "cannot use") || !strings.Contains(r.stderr, "analysis skipped due to errors in package") {
			t.Errorf("want the type error and the skipped analysis:\n%s", r.stderr)
		}
	})
}

// textPositions returns the positions (file:line, relative to dir) of
// the diagnostics and related positions printed as text in out, sorted;
// not those of indented lines, such as the errors of a broken dependency.
func textPositions(dir, out string) []string {
	var ps []string
	for l := range strings.Lines(out) {
		if !diagLine.MatchString(l) {
			continue
		}
		posn, _, _ := strings.Cut(l, ": ")
		posn = posn[:strings.LastIndex(posn, ":")] // less the column
		ps = append(ps, strings.TrimPrefix(posn, dir+"/"))
	}
	slices.Sort(ps)
	return ps
}
