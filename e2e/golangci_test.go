package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// golangciConfig returns a .golangci.yml that enables only the
// httpleakcheck module plugin, with settings (YAML lines), and shows
// every issue.
func golangciConfig(settings ...string) string {
	return `version: "2"
linters:
  default: none
  enable: [httpleakcheck]
  settings:
    custom:
      httpleakcheck:
        type: module
        description: reports net/http client code that leaks connections
        settings:
          ` + strings.Join(settings, "\n          ") + `
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
`
}

// golangciEnv names a golangci-lint built with the plugin from this work
// tree (the nested module ../tools/golangci) for TestGolangci to use
// instead of building its own: .ci/run builds it before the tests, so
// that the build (minutes with an empty cache) is not part of the test's
// time budget.
const golangciEnv = "HTTPLEAKCHECK_GOLANGCI"

// TestGolangci builds golangci-lint v2 with the httpleakcheck plugin
// (the nested module ../tools/golangci), or takes the one that
// $HTTPLEAKCHECK_GOLANGCI names, and runs it on testdata/leaky: the
// findings appear, //nolint:httpleakcheck suppresses one, the settings
// reach the analyzer, --fix applies the body fixes, and bad settings stop
// the run with a clear error. The first build takes minutes.
func TestGolangci(t *testing.T) {
	slow(t)
	gcl := os.Getenv(golangciEnv)
	if gcl == "" {
		gcl = filepath.Join(t.TempDir(), "golangci-lint")
		run(t, ".", nil, "go", "build", "-C", "../tools/golangci", "-o", gcl, ".").want(t, "building golangci-lint with the plugin", 0)
	} else if _, err := os.Stat(gcl); err != nil {
		t.Fatalf("%s: %v", golangciEnv, err)
	}
	dir := copyModule(t, "leaky")
	env := []string{"GOLANGCI_LINT_CACHE=" + t.TempDir()}
	lint := func(t *testing.T, dir string, flags []string, settings ...string) result {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, ".golangci.yml"), []byte(golangciConfig(settings...)), 0o666); err != nil {
			t.Fatal(err)
		}
		args := append([]string{gcl, "run", "--allow-parallel-runners", "--show-stats=false", "--output.json.path=stdout"}, flags...)
		return run(t, dir, env, append(args, "./...")...)
	}
	nolint := without(leakyFindings, "app/suppress.go:28")

	t.Run("findings", func(t *testing.T) {
		r := lint(t, dir, nil, "checks: [body, transport, keepalive]")
		r.want(t, "golangci-lint run", 1)
		checkPositions(t, r.stdout, nolint)
	})
	t.Run("settings", func(t *testing.T) {
		r := lint(t, dir, nil, "checks: [body, keepalive]", "strict: true")
		r.want(t, "golangci-lint run", 1)
		checkPositions(t, r.stdout, append(without(nolint, "transport"), staleDirective))
	})
	t.Run("fix", func(t *testing.T) {
		dir := copyModule(t, "leaky")
		lint(t, dir, []string{"--fix"}, "checks: [body]")
		got, err := os.ReadFile(filepath.Join(dir, "app", "body.go"))
		if err != nil {
			t.Fatal(err)
		}
		if want, err := os.ReadFile(filepath.Join(dir, "app", "body.go.golden")); err != nil || string(got) != string(want) {
			t.Errorf("app/body.go after golangci-lint run --fix:\n%s\nwant (app/body.go.golden):\n%s", got, want)
		}
	})
	for _, tt := range []struct{ setting, err string }{
		{"checks: [body, tls]", `unknown check "tls"`},
		{"chekcs: [body]", `unknown field "chekcs"`},
	} {
		t.Run("bad "+tt.setting, func(t *testing.T) {
			r := lint(t, dir, nil, tt.setting)
			r.want(t, "golangci-lint run", 3)
			if !strings.Contains(r.stderr, "httpleakcheck settings") || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("stderr does not name the bad setting (%s):\n%s", tt.err, r.stderr)
			}
		})
	}
}

// checkPositions fails t unless the issues in golangci-lint's JSON
// output out are httpleakcheck's, at the positions of want. It leaves
// out the issues that golangci-lint makes of each diagnostic's related
// positions ("httpleakcheck(related information): ...").
func checkPositions(t *testing.T, out string, want []finding) {
	t.Helper()
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("decoding golangci-lint's JSON output: %v\n%s", err, out)
	}
	var got, wantPos []string
	for _, is := range report.Issues {
		if is.FromLinter != "httpleakcheck" {
			t.Errorf("issue from %s: %s", is.FromLinter, is.Text)
		}
		if strings.HasPrefix(is.Text, "httpleakcheck(related information): ") {
			continue
		}
		got = append(got, fmt.Sprintf("%s:%d", filepath.ToSlash(is.Pos.Filename), is.Pos.Line))
	}
	for _, f := range want {
		wantPos = append(wantPos, f.pos)
	}
	slices.Sort(got)
	slices.Sort(wantPos)
	if !slices.Equal(got, wantPos) {
		t.Errorf("golangci-lint issues differ\ngot:  %v\nwant: %v\noutput: %s", got, wantPos, out)
	}
}
