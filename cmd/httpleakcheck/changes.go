package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// changes are the lines added or changed in a git work tree: per file
// (an absolute path with symbolic links resolved), the line numbers in
// the new version, or all of the file when it is new.
type changes struct {
	lines map[string]map[int]bool
	whole map[string]bool
	real  map[string]string // resolved file names, by name
}

// gitChanges returns the lines changed in the git repository of the
// current directory: with staged, those of the staged changes (git diff
// --cached, what a commit adds); otherwise those changed since the
// revision rev in the work tree, untracked files counting as new, as
// golangci-lint's --new-from-rev does.
func gitChanges(rev string, staged bool) (*changes, error) {
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	top = strings.TrimSpace(top)
	diffArgs := []string{"-C", top, "-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", "-U0"}
	if staged {
		diffArgs = append(diffArgs, "--cached")
	} else {
		diffArgs = append(diffArgs, rev)
	}
	patch, err := git(append(diffArgs, "--")...)
	if err != nil {
		return nil, err
	}
	ch := &changes{whole: make(map[string]bool), real: make(map[string]string)}
	if ch.lines, err = parseDiff(top, strings.NewReader(patch)); err != nil {
		return nil, err
	}
	if !staged {
		untracked, err := git("-C", top, "ls-files", "--others", "--exclude-standard", "-z")
		if err != nil {
			return nil, err
		}
		for name := range strings.SplitSeq(strings.TrimRight(untracked, "\x00"), "\x00") {
			if name != "" {
				ch.whole[filepath.Join(top, name)] = true
			}
		}
	}
	return ch, nil
}

// git runs git with args and returns its output.
func git(args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("git", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.String(), nil
}

// parseDiff returns the lines that a unified diff (with --dst-prefix=b/)
// adds or changes, per file under top. A hunk that only deletes counts
// as a change of the lines on either side of the deletion.
func parseDiff(top string, r io.Reader) (map[string]map[int]bool, error) {
	files := make(map[string]map[int]bool)
	var cur map[int]bool
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			cur = nil
			if name, ok := strings.CutPrefix(line[4:], "b/"); ok {
				cur = make(map[int]bool)
				files[filepath.Join(top, name)] = cur
			} // else /dev/null: a deleted file
		case strings.HasPrefix(line, "@@ ") && cur != nil:
			start, count, err := hunkLines(line)
			if err != nil {
				return nil, err
			}
			if count == 0 {
				cur[start], cur[start+1] = true, true // lines around a deletion
			}
			for l := start; l < start+count; l++ {
				cur[l] = true
			}
		}
	}
	return files, sc.Err()
}

// hunkLines returns the first line and the number of lines of the new
// side of a hunk header, "@@ -a,b +c,d @@".
func hunkLines(header string) (start, count int, err error) {
	fields := strings.Fields(header)
	if len(fields) < 3 || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, fmt.Errorf("bad hunk header %q", header)
	}
	s, c, ok := strings.Cut(fields[2][1:], ",")
	count = 1
	if ok {
		if count, err = strconv.Atoi(c); err != nil {
			return 0, 0, fmt.Errorf("bad hunk header %q", header)
		}
	}
	if start, err = strconv.Atoi(s); err != nil {
		return 0, 0, fmt.Errorf("bad hunk header %q", header)
	}
	return start, count, nil
}

// touches reports whether d is on a changed line, or has a related
// position on one (a new return that leaves an old response open).
func (ch *changes) touches(d *diag) bool {
	if ch.changed(d.posn.Filename, d.posn.Line) {
		return true
	}
	for _, r := range d.related {
		if ch.changed(r.posn.Filename, r.posn.Line) {
			return true
		}
	}
	return false
}

// changed reports whether line of file is changed.
func (ch *changes) changed(file string, line int) bool {
	name, ok := ch.real[file]
	if !ok {
		name = file
		if r, err := filepath.EvalSymlinks(file); err == nil {
			name = r
		}
		ch.real[file] = name
	}
	return ch.whole[name] || ch.lines[name][line]
}
