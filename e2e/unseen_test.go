package e2e

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestUnseen scores httpleakcheck on the probe of client libraries that
// its fixtures and tables do not name (../bench/unseen, a module of its
// own). The truth is the runtime's: bench/unseen's TestGroundTruth runs
// every probe against a local server and says which leak connections.
// Then, probe by probe (a finding belongs to the function whose lines
// hold it):
//
//   - a finding in a probe that does not leak at run time is a false
//     positive: a failure, unless bench/unseen/false_positives.txt lists
//     it (known, must go away);
//   - a leaking probe marked "leak: CHECK" with no finding of that check
//     in its function is a miss: a failure, unless
//     bench/unseen/misses.txt lists it;
//   - a listed miss that is now found, or a listed false positive that
//     is no longer reported, fails too: the lists stay honest.
//
// It logs the score per check: leaking probes reported, fixed probes
// wrongly reported.
func TestUnseen(t *testing.T) {
	slow(t)
	dir, err := filepath.Abs("../bench/unseen")
	if err != nil {
		t.Fatal(err)
	}

	// (a) the runtime's verdicts.
	out := filepath.Join(t.TempDir(), "groundtruth.txt")
	gt := run(t, dir, []string{"GROUNDTRUTH_OUT=" + out}, "go", "test", "-run", "TestGroundTruth", "-count=1", ".")
	gt.want(t, "go test -run TestGroundTruth in bench/unseen", 0)
	leaks := readGroundTruth(t, out)

	// (b) the tool's findings.
	hlc := buildHTTPLeakCheck(t)
	r := run(t, dir, nil, hlc, "-json", "./...")
	r.want(t, "httpleakcheck -json ./... in bench/unseen", 0)
	diags := parseJSON(t, dir, r.stdout)

	// (c) probe by probe.
	funcs, marks := probeFuncs(t, dir)
	for name := range leaks {
		if !funcs.has(name) {
			t.Errorf("the ground truth names %s, which is not a function of the probe", name)
		}
	}
	found := map[string]map[string]bool{} // function → check → reported
	for _, d := range diags {
		file, line := splitPosn(t, d.Posn)
		fn := funcs.at(file, line)
		if fn == "" {
			fn = file
		}
		if found[fn] == nil {
			found[fn] = map[string]bool{}
		}
		found[fn][d.Category] = true
	}
	misses := readList(t, filepath.Join(dir, "misses.txt"))
	fps := readList(t, filepath.Join(dir, "false_positives.txt"))

	checks := []string{"body", "transport", "keepalive"}
	type score struct{ leakReported, leakTotal, fixedReported int }
	scores := map[string]*score{}
	for _, c := range checks {
		scores[c] = &score{}
	}
	fixedTotal := 0
	for name, leak := range leaks {
		if !leak {
			fixedTotal++
			for c := range found[name] {
				if scores[c] != nil {
					scores[c].fixedReported++
				}
				if _, known := fps[name+" "+c]; known {
					continue
				}
				t.Errorf("false positive: %s does not leak at run time, yet httpleakcheck reports a %s finding in it", name, c)
			}
			continue
		}
		for _, c := range marks[name] {
			s := scores[c]
			if s == nil {
				t.Errorf("%s: unknown check %q in its leak: mark", name, c)
				continue
			}
			s.leakTotal++
			_, listed := misses[name+" "+c]
			switch {
			case found[name][c]:
				s.leakReported++
				if listed {
					t.Errorf("%s %s is listed in misses.txt but is now reported: take it off the list", name, c)
				}
			case !listed:
				t.Errorf("miss: %s leaks at run time and is marked leak: %s, but httpleakcheck reports no %s finding in it (list it in misses.txt if that is known)", name, c, c)
			}
		}
	}
	for fn, cs := range found {
		if _, ok := leaks[fn]; ok {
			continue
		}
		for c := range cs {
			if _, known := fps[fn+" "+c]; !known {
				t.Errorf("finding outside any probe: %s finding in %s", c, fn)
			}
		}
	}
	for key := range misses {
		name, c, _ := strings.Cut(key, " ")
		if leak, ok := leaks[name]; !ok || !leak || !slices.Contains(marks[name], c) {
			t.Errorf("misses.txt lists %s, which is not a leaking probe marked leak: %s", name, c)
		}
	}
	for key := range fps {
		name, c, _ := strings.Cut(key, " ")
		if !found[name][c] {
			t.Errorf("false_positives.txt lists %s %s, which is no longer reported: take it off the list", name, c)
		}
		if leaks[name] {
			t.Errorf("false_positives.txt lists %s, which leaks at run time", name)
		}
	}

	// (d) the score.
	var b strings.Builder
	fmt.Fprintf(&b, "score on bench/unseen (%d probes: %d leak at run time, %d do not):\n", len(leaks), len(leaks)-fixedTotal, fixedTotal)
	fmt.Fprintf(&b, "| check | leaking probes reported | fixed probes wrongly reported |\n|---|---:|---:|\n")
	for _, c := range checks {
		s := scores[c]
		fmt.Fprintf(&b, "| %s | %d / %d | %d / %d |\n", c, s.leakReported, s.leakTotal, s.fixedReported, fixedTotal)
	}
	t.Log(b.String())
}

// readGroundTruth reads the lines that TestGroundTruth wrote:
// "GROUNDTRUTH <name> leaks=<bool> open(2)=a open(8)=b".
func readGroundTruth(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	leaks := map[string]bool{}
	for l := range strings.Lines(string(data)) {
		f := strings.Fields(l)
		if len(f) < 3 || f[0] != "GROUNDTRUTH" {
			continue
		}
		switch f[2] {
		case "leaks=true":
			leaks[f[1]] = true
		case "leaks=false":
			leaks[f[1]] = false
		default:
			t.Fatalf("ground truth: cannot read %q", l)
		}
	}
	if len(leaks) == 0 {
		t.Fatal("ground truth: no verdicts")
	}
	return leaks
}

// readList reads a list of probes (misses.txt, false_positives.txt):
// "<pkg>.<Func> <check> <reason>" a line; blank lines and lines starting
// with # are skipped. The keys are "<pkg>.<Func> <check>".
func readList(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.SplitN(l, " ", 3)
		if len(fs) < 3 || strings.TrimSpace(fs[2]) == "" {
			t.Errorf("%s: %q: want <pkg>.<Func> <check> <reason>", filepath.Base(path), l)
			continue
		}
		key := fs[0] + " " + fs[1]
		if _, dup := list[key]; dup {
			t.Errorf("%s: %s listed twice", filepath.Base(path), key)
		}
		list[key] = fs[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return list
}

var posnLine = regexp.MustCompile(`^(.*):(\d+):\d+$`)

// splitPosn splits "file:line:col" into file and line.
func splitPosn(t *testing.T, posn string) (string, int) {
	t.Helper()
	m := posnLine.FindStringSubmatch(posn)
	if m == nil {
		t.Fatalf("cannot read position %q", posn)
	}
	var line int
	fmt.Sscan(m[2], &line)
	return m[1], line
}

// A funcRange is the lines of one function of a probe file.
type funcRange struct {
	name     string
	from, to int
}

// probeIndex holds the functions of the probe files, by file (relative
// to the module, slashes).
type probeIndex map[string][]funcRange

func (p probeIndex) at(file string, line int) string {
	for _, f := range p[file] {
		if f.from <= line && line <= f.to {
			return f.name
		}
	}
	return ""
}

func (p probeIndex) has(name string) bool {
	for _, fs := range p {
		for _, f := range fs {
			if f.name == name {
				return true
			}
		}
	}
	return false
}

// probeFuncs parses the Go files of the probe packages under dir and
// returns their functions (named <pkg>.<Func>, or <pkg>.<Type>.<Method>)
// and the checks that the "leak: CHECK" marks inside each ask for.
func probeFuncs(t *testing.T, dir string) (probeIndex, map[string][]string) {
	t.Helper()
	idx := probeIndex{}
	marks := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			name := f.Name.Name + "." + fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) > 0 {
				typ := fd.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					name = f.Name.Name + "." + id.Name + "." + fd.Name.Name
				}
			}
			from, to := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
			idx[rel] = append(idx[rel], funcRange{name, from, to})
			for l := from; l <= to; l++ {
				if m := leakMark.FindStringSubmatch(lines[l-1]); m != nil && !slices.Contains(marks[name], m[1]) {
					marks[name] = append(marks[name], m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range marks {
		sort.Strings(cs)
	}
	return idx, marks
}
