package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommit runs the real pre-commit with both hooks of
// ../.pre-commit-hooks.yaml, taken from a throwaway hooks repository
// made from this working tree, in a throwaway repository holding
// testdata/leaky, whose findings are old (committed). By default the
// hooks report only what the staged changes add: the old findings do
// not block a commit, a new leak does, an unstaged one does not; with
// args overridden they check the whole module.
func TestPreCommit(t *testing.T) {
	slow(t)
	git := need(t, "git", "apt-get install -y git")
	preCommit := need(t, "pre-commit", "apt-get install -y pre-commit")
	hlc := buildHTTPLeakCheck(t)
	modcache := strings.TrimSpace(run(t, ".", nil, "go", "env", "GOMODCACHE").stdout)
	env := []string{
		"PRE_COMMIT_HOME=" + t.TempDir(),
		// language: golang sets GOPATH to its environment; keep the module
		// cache so that installing the hook needs no download.
		"GOMODCACHE=" + modcache,
		// For language: system.
		"PATH=" + filepath.Dir(hlc) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=e2e", "GIT_AUTHOR_EMAIL=e2e@example.invalid",
		"GIT_COMMITTER_NAME=e2e", "GIT_COMMITTER_EMAIL=e2e@example.invalid",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
	commit := func(dir string) {
		t.Helper()
		run(t, dir, env, git, "init", "-q").want(t, "git init", 0)
		run(t, dir, env, git, "add", "-A").want(t, "git add", 0)
		run(t, dir, env, git, "commit", "-q", "-m", "e2e").want(t, "git commit", 0)
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	appendTo := func(path, content string) {
		t.Helper()
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		write(path, string(old)+content)
	}
	hooks := []string{"httpleakcheck", "httpleakcheck-system"}

	hooksRepo := filepath.Join(t.TempDir(), "hooks")
	copyRootModule(t, hooksRepo)
	commit(hooksRepo)
	rev := strings.TrimSpace(run(t, hooksRepo, env, git, "rev-parse", "HEAD").stdout)

	dir := copyModule(t, "leaky")
	repo := "repos:\n- repo: " + hooksRepo + "\n  rev: " + rev + "\n  hooks:\n"
	write(filepath.Join(dir, ".pre-commit-config.yaml"), repo+"  - id: httpleakcheck\n  - id: httpleakcheck-system\n")
	// A full check of the module, for CI or a first clean-up.
	write(filepath.Join(dir, "full.yaml"), repo+"  - id: httpleakcheck\n    args: [-vet, ./...]\n  - id: httpleakcheck-system\n    args: [-vet, ./...]\n")
	commit(dir)

	for _, hook := range hooks {
		t.Run(hook+" old findings", func(t *testing.T) {
			r := run(t, dir, env, preCommit, "run", "--all-files", "--color=never", hook)
			r.want(t, "pre-commit run "+hook, 0)
			if !strings.Contains(r.stdout, "Passed") {
				t.Errorf("the hook did not pass:\n%s", r.stdout)
			}
		})
		t.Run(hook+" full check", func(t *testing.T) {
			r := run(t, dir, env, preCommit, "run", "--config", "full.yaml", "--all-files", "--color=never", hook)
			r.want(t, "pre-commit run "+hook, 1)
			if !strings.Contains(r.stdout, "- exit code: 3") {
				t.Errorf("pre-commit did not report httpleakcheck's exit code 3:\n%s", r.stdout)
			}
			for _, f := range leakyFindings {
				if !strings.Contains(r.stdout, findingAt(f.pos)) {
					t.Errorf("no %s finding at %s in the output:\n%s", f.category, f.pos, r.stdout)
				}
			}
		})
	}

	// A commit that adds a leak to a file with old findings, while an
	// unstaged change adds another leak elsewhere: the commit fails on
	// the staged leak only. Once the staged leak is fixed, it goes
	// through, old findings and all.
	run(t, dir, env, preCommit, "install").want(t, "pre-commit install", 0)
	const leak = "\n// Fresh leaks.\nfunc Fresh(u string) int {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n"
	appendTo(filepath.Join(dir, "app", "body.go"), leak) // Fresh's http.Get is on line 51
	run(t, dir, env, git, "add", "app/body.go").want(t, "git add", 0)
	appendTo(filepath.Join(dir, "client", "client.go"), strings.Replace(leak, "Fresh", "Unstaged", 2))
	r := run(t, dir, env, git, "commit", "-m", "a new leak")
	r.want(t, "git commit with a new leak", 1)
	out := r.stdout + r.stderr
	for _, hook := range hooks {
		if !strings.Contains(out, "- hook id: "+hook+"\n- exit code: 3") {
			t.Errorf("hook %s did not fail with exit code 3:\n%s", hook, out)
		}
	}
	if n := strings.Count(out, findingAt("app/body.go:51")); n != len(hooks) {
		t.Errorf("the staged leak at app/body.go:51 is reported %d times, want once per hook:\n%s", n, out)
	}
	for _, f := range append(leakyFindings, finding{"client/client.go:29", "body"}) {
		if strings.Contains(out, findingAt(f.pos)) {
			t.Errorf("%s is reported, but is old or not staged:\n%s", f.pos, out)
		}
	}
	fixed := strings.Replace(leak, "\t\treturn 0\n\t}\n", "\t\treturn 0\n\t}\n\tdefer resp.Body.Close()\n", 1)
	body, err := os.ReadFile(filepath.Join(dir, "app", "body.go"))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, "app", "body.go"), strings.Replace(string(body), leak, fixed, 1))
	run(t, dir, env, git, "add", "app/body.go").want(t, "git add", 0)
	r = run(t, dir, env, git, "commit", "-m", "no new leak")
	r.want(t, "git commit without a new leak", 0)
	if out := r.stdout + r.stderr; strings.Count(out, "Passed") != len(hooks) {
		t.Errorf("want both hooks to pass:\n%s", out)
	}
}

// findingAt returns how a finding at pos (file:line, relative to the
// module root) starts in pre-commit's output.
func findingAt(pos string) string {
	return string(filepath.Separator) + filepath.FromSlash(pos) + ":"
}

// copyRootModule copies the root module of this working tree (its files
// less .git, testdata and nested modules) to dst: a hooks repository
// for pre-commit that includes uncommitted changes.
func copyRootModule(t *testing.T, dst string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			// A directory, or in a git worktree a file naming the
			// repository's: copied, "git init" would take it over.
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // a nested module
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
}
