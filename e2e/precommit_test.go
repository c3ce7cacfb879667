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
// testdata/leaky: each hook fails and prints the findings; once the
// leaking packages are removed, each hook passes.
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

	hooks := filepath.Join(t.TempDir(), "hooks")
	copyRootModule(t, hooks)
	commit(hooks)
	rev := strings.TrimSpace(run(t, hooks, env, git, "rev-parse", "HEAD").stdout)

	dir := copyModule(t, "leaky")
	config := "repos:\n- repo: " + hooks + "\n  rev: " + rev + "\n  hooks:\n  - id: httpleakcheck\n  - id: httpleakcheck-system\n"
	if err := os.WriteFile(filepath.Join(dir, ".pre-commit-config.yaml"), []byte(config), 0o666); err != nil {
		t.Fatal(err)
	}
	commit(dir)

	for _, hook := range []string{"httpleakcheck", "httpleakcheck-system"} {
		t.Run(hook+" leaking", func(t *testing.T) {
			r := run(t, dir, env, preCommit, "run", "--all-files", "--color=never", hook)
			r.want(t, "pre-commit run "+hook, 1)
			if !strings.Contains(r.stdout, "- exit code: 3") {
				t.Errorf("pre-commit did not report httpleakcheck's exit code 3:\n%s", r.stdout)
			}
			for _, f := range leakyFindings {
				if !strings.Contains(r.stdout, string(filepath.Separator)+filepath.FromSlash(f.pos)+":") {
					t.Errorf("no %s finding at %s in the output:\n%s", f.category, f.pos, r.stdout)
				}
			}
		})
	}
	run(t, dir, env, git, "rm", "-r", "-q", "app", "client").want(t, "git rm", 0)
	for _, hook := range []string{"httpleakcheck", "httpleakcheck-system"} {
		t.Run(hook+" clean", func(t *testing.T) {
			r := run(t, dir, env, preCommit, "run", "--all-files", "--color=never", hook)
			r.want(t, "pre-commit run "+hook, 0)
			if !strings.Contains(r.stdout, "Passed") {
				t.Errorf("the hook did not pass:\n%s", r.stdout)
			}
		})
	}
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
