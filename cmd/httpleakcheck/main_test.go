package main

import (
	"go/token"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"github.com/httpleakcheck/httpleakcheck/docs/checks"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

func TestVetProtocol(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-checks=body", "-json", "/tmp/b001/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{[]string{"-vet", "-staged", "./..."}, false},
		{[]string{"-json", "./cfg"}, false},
	} {
		if got := vetProtocol(tt.args); got != tt.want {
			t.Errorf("vetProtocol(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestCheckFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		err  string // "" for none
	}{
		{[]string{"-vet", "-staged", "-checks=body", "./..."}, ""},
		{[]string{"-sarif", "-baseline=b.json", "./..."}, ""},
		{[]string{"-fix", "-sarif", "./..."}, "-fix does not go with -sarif"},
		{[]string{"-json", "-sarif", "./..."}, "do not go together"},
		{[]string{"-staged", "-new-from-rev=HEAD", "./..."}, "do not go together"},
		{[]string{"-vet", "-test=false", "./..."}, "drop -test=false"},
	} {
		o, err := parseFlagsQuiet(t, tt.args)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
		case tt.err == "" && !reflect.DeepEqual(o.patterns, []string{"./..."}):
			t.Errorf("%q: patterns %q", tt.args, o.patterns)
		}
	}
	o, err := parseFlagsQuiet(t, []string{"-vet", "-checks=body", "-strict", "./..."})
	if err != nil || !reflect.DeepEqual(o.analyzerArg, []string{"-checks=body", "-strict=true"}) {
		t.Errorf("analyzer flags passed to go vet: %q (%v), want -checks=body -strict=true", o.analyzerArg, err)
	}
	if err := analyzer.Analyzer.Flags.Set("checks", "body,transport,keepalive"); err != nil {
		t.Fatal(err)
	}
	if err := analyzer.Analyzer.Flags.Set("strict", "false"); err != nil {
		t.Fatal(err)
	}
}

// parseFlagsQuiet runs parseFlags with its error output thrown away.
func parseFlagsQuiet(t *testing.T, args []string) (*options, error) {
	t.Helper()
	return parseFlags(args, io.Discard)
}

func TestParsePosn(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want token.Position
	}{
		{"/a/b.go:12:3", token.Position{Filename: "/a/b.go", Line: 12, Column: 3}},
		{"/a/b.go:12", token.Position{Filename: "/a/b.go", Line: 12}},
		{"C:/a/b.go:1:2", token.Position{Filename: "C:/a/b.go", Line: 1, Column: 2}},
	} {
		got, err := parsePosn(tt.s)
		if err != nil || got != tt.want {
			t.Errorf("parsePosn(%q) = %v, %v; want %v", tt.s, got, err, tt.want)
		}
	}
	if _, err := parsePosn("nowhere"); err == nil {
		t.Errorf("parsePosn(nowhere): no error")
	}
}

func TestParseDiff(t *testing.T) {
	const patch = `diff --git a/a.go b/a.go
index 1..2 100644
--- a/a.go
+++ b/a.go
@@ -3,0 +4,2 @@ func F() {
+	x := 1
+	_ = x
@@ -10 +12 @@ func G() {
-	old()
+	new()
@@ -20,2 +21,0 @@ func H() {
-	resp.Body.Close()
-	done()
diff --git a/gone.go b/gone.go
deleted file mode 100644
--- a/gone.go
+++ /dev/null
@@ -1,3 +0,0 @@
-package p
diff --git a/new.go b/new.go
new file mode 100644
--- /dev/null
+++ b/new.go
@@ -0,0 +1,2 @@
+package p
+
`
	got, err := parseDiff("/top", strings.NewReader(patch))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int]bool{
		"/top/a.go":   {4: true, 5: true, 12: true, 21: true, 22: true},
		"/top/new.go": {1: true, 2: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseDiff = %v, want %v", got, want)
	}
	if _, err := parseDiff("/top", strings.NewReader("+++ b/a.go\n@@ -1 +x @@\n")); err == nil {
		t.Errorf("parseDiff accepted a bad hunk header")
	}
}

func TestTouches(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	ch := &changes{
		lines: map[string]map[int]bool{file: {7: true}},
		whole: map[string]bool{filepath.Join(dir, "new.go"): true},
		real:  make(map[string]string),
	}
	at := func(name string, line int) token.Position {
		return token.Position{Filename: filepath.Join(dir, name), Line: line}
	}
	for _, tt := range []struct {
		d    diag
		want bool
	}{
		{diag{posn: at("a.go", 7)}, true},
		{diag{posn: at("a.go", 3)}, false},
		{diag{posn: at("a.go", 3), related: []related{{posn: at("a.go", 7)}}}, true}, // a new return leaks an old response
		{diag{posn: at("new.go", 100)}, true},
		{diag{posn: at("b.go", 7)}, false},
	} {
		if got := ch.touches(&tt.d); got != tt.want {
			t.Errorf("touches(%v, related %v) = %v, want %v", tt.d.posn, tt.d.related, got, tt.want)
		}
	}
}

func TestBaselineCounts(t *testing.T) {
	dir := t.TempDir()
	finding := func(file, msg string, line int) diag {
		return diag{category: "body", message: msg, posn: token.Position{Filename: filepath.Join(dir, file), Line: line, Column: 1}}
	}
	old := &results{pkgs: []pkgResult{{id: "p", diags: []diag{
		finding("a.go", "dropped response", 3),
		finding("a.go", "dropped response", 9),
		finding("b.go", "open body in F", 4),
	}}}}
	path := filepath.Join(dir, "baseline.json")
	if n, err := writeBaseline(path, old); err != nil || n != 3 {
		t.Fatalf("writeBaseline: %d, %v", n, err)
	}
	b, err := readBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	// Lines moved, and one more dropped response in a.go: only that one
	// (the last of the three) is new.
	now := &results{pkgs: []pkgResult{{id: "p", diags: []diag{
		finding("a.go", "dropped response", 5),
		finding("a.go", "dropped response", 11),
		finding("a.go", "dropped response", 20),
		finding("b.go", "open body in F", 40),
		finding("b.go", "open body in G", 50),
	}}}}
	now.keep(b.unlisted())
	var got []int
	for _, d := range now.unique() {
		got = append(got, d.posn.Line)
	}
	if want := []int{20, 50}; !reflect.DeepEqual(got, want) {
		t.Errorf("lines of the findings not in the baseline: %v, want %v", got, want)
	}
}

func TestSARIFColumns(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package a\n\nvar s = \"é😀\"; var x = 1\n"
	s := &sarifWriter{cwd: dir, files: map[string][]byte{file: []byte(src)}}
	// "x" is at byte column 23 of line 3: é is 2 bytes and 1 UTF-16
	// unit, 😀 is 4 bytes and 2 units.
	if got := s.column(file, 3, 23); got != 20 {
		t.Errorf("column of x = %d, want 20", got)
	}
	off := strings.Index(src, "x =")
	if got := s.offsetPos(file, off); got.Line != 3 || got.Column != 23 {
		t.Errorf("offsetPos(%d) = %v, want line 3 column 23", off, got)
	}
	if got := s.artifact(file); got.URI != "a.go" || got.URIBaseID != srcRoot {
		t.Errorf("artifact(%s) = %+v, want a.go relative to %s", file, got, srcRoot)
	}
	if got := s.artifact("/elsewhere/b.go"); got.URI != "file:///elsewhere/b.go" || got.URIBaseID != "" {
		t.Errorf("artifact outside the current directory = %+v, want an absolute file URI", got)
	}
}

// TestDiagnosticURLs checks that every diagnostic of the analyzer on
// ../../e2e/testdata/leaky links to the page that the SARIF rule of its
// check links to.
func TestDiagnosticURLs(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "../../e2e/testdata/leaky", Env: append(os.Environ(), "GOWORK=off")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	// The opt-in drain check too: every check's page must be linked.
	flag := analyzer.Analyzer.Flags.Lookup("checks")
	defer flag.Value.Set(flag.DefValue)
	if err := flag.Value.Set("body,transport,keepalive,drain"); err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	rules := make(map[string]string)
	for _, r := range sarifRules() {
		rules[r.ID] = r.HelpURI
	}
	seen := make(map[string]bool)
	for _, act := range graph.Roots {
		for _, d := range act.Diagnostics {
			seen[d.Category] = true
			if d.URL != rules[d.Category] {
				t.Errorf("%s diagnostic: URL %q, SARIF rule's helpUri %q", d.Category, d.URL, rules[d.Category])
			}
		}
	}
	for _, p := range checks.Pages() {
		if !seen[p.Check] {
			t.Errorf("no %s diagnostic on testdata/leaky", p.Check)
		}
		if p.Title == "" || p.Summary == "" {
			t.Errorf("%s: page without a title or summary: %+v", p.Check, p)
		}
	}
}
