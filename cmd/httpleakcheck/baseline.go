package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// A baseline lists accepted findings, so that a code base can adopt the
// linter with old findings left to fix later. A finding is known by its
// file (relative to the baseline's directory), check and message, not by
// its line, so that edits elsewhere in the file keep it matched; Count
// says how many findings share those.
type baseline struct {
	Comment  string          `json:"comment"`
	Findings []baselineEntry `json:"findings"`

	dir string
}

type baselineEntry struct {
	File    string `json:"file"`
	Check   string `json:"check"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

// entry returns the baseline entry of d, with Count 0.
func (b *baseline) entry(d *diag) baselineEntry {
	file := d.posn.Filename
	if r, err := filepath.EvalSymlinks(file); err == nil {
		file = r
	}
	if rel, err := filepath.Rel(b.dir, file); err == nil {
		file = filepath.ToSlash(rel)
	}
	return baselineEntry{File: file, Check: d.category, Message: d.message}
}

// newBaseline returns an empty baseline for the file path.
func newBaseline(path string) (*baseline, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(abs)
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	return &baseline{dir: dir}, nil
}

// writeBaseline writes the findings of res to the baseline file path and
// returns how many there are.
func writeBaseline(path string, res *results) (int, error) {
	b, err := newBaseline(path)
	if err != nil {
		return 0, err
	}
	b.Comment = "findings accepted by httpleakcheck -baseline; regenerate with httpleakcheck -write-baseline=" + filepath.Base(path) + " ./..."
	index := make(map[baselineEntry]int)
	ds := res.unique()
	for _, d := range ds {
		e := b.entry(d)
		if i, ok := index[e]; ok {
			b.Findings[i].Count++
			continue
		}
		index[e] = len(b.Findings)
		e.Count = 1
		b.Findings = append(b.Findings, e)
	}
	data, err := json.MarshalIndent(b, "", "\t")
	if err != nil {
		return 0, err
	}
	return len(ds), os.WriteFile(path, append(data, '\n'), 0o666)
}

// readBaseline reads the baseline file path.
func readBaseline(path string) (*baseline, error) {
	b, err := newBaseline(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, b); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return b, nil
}

// unlisted returns a filter that keeps the findings not in b: each
// entry drops up to Count findings.
func (b *baseline) unlisted() func(*diag) bool {
	left := make(map[baselineEntry]int)
	for _, e := range b.Findings {
		n := e.Count
		e.Count = 0
		left[e] += n
	}
	return func(d *diag) bool {
		e := b.entry(d)
		if left[e] > 0 {
			left[e]--
			return false
		}
		return true
	}
}
