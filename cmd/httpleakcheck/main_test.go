package main

import (
	"encoding/json"
	"errors"
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
// check links to, and to the address that checkURL gives its category.
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
	if err := flag.Value.Set("body,transport,keepalive,drain,bodyeof"); err != nil {
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
			if d.URL != rules[d.Category] && rules[d.Category] != "" {
				t.Errorf("%s diagnostic: URL %q, SARIF rule's helpUri %q", d.Category, d.URL, rules[d.Category])
			}
			// -vet gets the URL from the category (go vet -json has none).
			if d.URL != checkURL(d.Category) {
				t.Errorf("%s diagnostic: URL %q, checkURL gives %q", d.Category, d.URL, checkURL(d.Category))
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

// TestPrintText checks the text output: each finding with its check in
// brackets, its related positions indented after it, the packages not
// analyzed named, and with -c the lines around each position.
func TestPrintText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	if err := os.WriteFile(file, []byte("package a\n\nfunc F() {\n\tresp := get()\n\treturn\n}\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	at := func(line, col int) token.Position { return token.Position{Filename: file, Line: line, Column: col} }
	res := &results{pkgs: []pkgResult{
		{id: "example.com/broken", err: "analysis skipped due to errors in package"},
		{id: "example.com/a", diags: []diag{{
			category: "body", message: "resp.Body is not closed",
			posn: at(4, 2), end: at(4, 6),
			related: []related{{posn: at(5, 2), end: at(5, 8), message: "still open here"}},
		}}},
	}}
	for _, tt := range []struct {
		context int
		want    string
	}{
		{-1, "httpleakcheck: example.com/broken: analysis skipped due to errors in package\n" +
			file + ":4:2: resp.Body is not closed [body]\n" +
			file + ":5:2: \tstill open here\n"},
		{1, "httpleakcheck: example.com/broken: analysis skipped due to errors in package\n" +
			file + ":4:2: resp.Body is not closed [body]\n" +
			"3\tfunc F() {\n4\t\tresp := get()\n5\t\treturn\n" +
			file + ":5:2: \tstill open here\n" +
			"4\t\tresp := get()\n5\t\treturn\n6\t}\n"},
	} {
		var b strings.Builder
		if err := res.printText(&b, tt.context); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("printText(context %d):\n%s\nwant:\n%s", tt.context, b.String(), tt.want)
		}
	}
}

// TestJSONURL checks that a diagnostic's url goes into the -json output,
// and that one read from go vet -json, which has none, gets its check's.
func TestJSONURL(t *testing.T) {
	d := diag{category: "transport", message: "m", url: "https://example.invalid/t", posn: token.Position{Filename: "/a.go", Line: 1, Column: 2}}
	if j := d.toJSON(); j.URL != d.url {
		t.Errorf("toJSON: url %q, want %q", j.URL, d.url)
	}
	for category, want := range map[string]string{
		"body":      checks.URL("docs/checks/body.md"),
		"directive": checks.URL("README.md#suppressing-a-finding"),
	} {
		j := jsonDiag{Category: category, Posn: "/a.go:1:2", End: "/a.go:1:3", Message: "m"}
		got, err := j.fromJSON()
		if err != nil || got.url != want {
			t.Errorf("fromJSON of a %s diagnostic without url: url %q (%v), want %q", category, got.url, err, want)
		}
	}
	res, err := parseVetJSON(strings.NewReader(`{"example.com/a": {"httpleakcheck": [{"category": "keepalive", "posn": "/a.go:3:4", "end": "/a.go:3:9", "message": "m"}]}}
{"example.com/b": {"httpleakcheck": {"error": "analysis skipped due to errors in package"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.pkgs) != 2 || len(res.pkgs[0].diags) != 1 || res.pkgs[0].diags[0].url != checks.URL("docs/checks/keepalive.md") {
		t.Errorf("parseVetJSON: %+v, want a keepalive diagnostic with its page's url", res.pkgs)
	}
	if p := res.pkgs[1]; p.id != "example.com/b" || p.err != "analysis skipped due to errors in package" {
		t.Errorf("parseVetJSON: %+v, want example.com/b not analyzed", p)
	}
}

// TestPackageErrors checks which errors of a package that does not
// build are printed: the parse errors alone (one per line), without the
// type errors that the parser's repairs cause; all the type errors when
// it parses; and the package's name on an error without a position.
func TestPackageErrors(t *testing.T) {
	syntax := &packages.Package{ID: "example.com/p", Errors: []packages.Error{
		{Pos: "/p/p.go:6:25", Msg: "missing ',' before newline in argument list", Kind: packages.ParseError},
		{Pos: "/p/p.go:6:30", Msg: "expected operand", Kind: packages.ParseError},
		{Pos: "/p/p.go:7:2", Msg: "expected operand, found 'if'", Kind: packages.ParseError},
		{Pos: "/p/p.go:7:2", Msg: "expected operand, found 'if'", Kind: packages.ParseError},
		{Pos: "/p/p.go:3:41", Msg: "func(w, u (ast: *ast.BadExpr)) (type) is not an expression", Kind: packages.TypeError},
		{Pos: "-", Msg: "missing return", Kind: packages.TypeError},
	}}
	want := []string{
		"/p/p.go:6:25: missing ',' before newline in argument list",
		"/p/p.go:7:2: expected operand, found 'if'",
	}
	if got := packageErrors(syntax); !reflect.DeepEqual(got, want) {
		t.Errorf("packageErrors with a syntax error = %q, want %q", got, want)
	}
	types := &packages.Package{ID: "./nonexist", Errors: []packages.Error{
		{Pos: "/p/p.go:7:5", Msg: "undefined: err", Kind: packages.TypeError},
		{Pos: "/p/p.go:7:9", Msg: "undefined: x", Kind: packages.TypeError},
		{Msg: "stat /p/nonexist: directory not found", Kind: packages.ListError},
	}}
	want = []string{"/p/p.go:7:5: undefined: err", "/p/p.go:7:9: undefined: x", "./nonexist: stat /p/nonexist: directory not found"}
	if got := packageErrors(types); !reflect.DeepEqual(got, want) {
		t.Errorf("packageErrors without a syntax error = %q, want %q", got, want)
	}
}

// TestFailure checks that a package not analyzed is said why: the error
// where the failure began, not the checker's "failed prerequisites".
func TestFailure(t *testing.T) {
	summaries := &analysis.Analyzer{Name: "httpleaksummaries"}
	dep := &packages.Package{ID: "example.com/dep"}
	root := &packages.Package{ID: "example.com/root"}
	depSummaries := &checker.Action{Analyzer: summaries, Package: dep, Err: errors.New("panic: boom")}
	rootSummaries := &checker.Action{Analyzer: summaries, Package: root, Deps: []*checker.Action{depSummaries}, Err: errors.New("failed prerequisites: httpleaksummaries@example.com/dep")}
	act := &checker.Action{Analyzer: analyzer.Analyzer, Package: root, Deps: []*checker.Action{rootSummaries}, Err: errors.New("failed prerequisites: httpleaksummaries@example.com/root")}
	if got, want := failure(act), "httpleaksummaries of dependency example.com/dep: panic: boom"; got != want {
		t.Errorf("failure = %q, want %q", got, want)
	}
	rootSummaries.Deps, rootSummaries.Err = nil, errors.New("analysis skipped due to errors in package")
	if got, want := failure(act), "analysis skipped due to errors in package"; got != want {
		t.Errorf("failure = %q, want %q", got, want)
	}
}

// TestSARIFCheckWithoutPage checks that a finding of a check that has no
// page in docs/checks gets a rule of its own, linked to its url, so that
// its ruleIndex points at it.
func TestSARIFCheckWithoutPage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	file := filepath.Join(dir, "a.go")
	if err := os.WriteFile(file, []byte("package a\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	pages := len(sarifRules())
	res := &results{pkgs: []pkgResult{{id: "a", diags: []diag{
		{category: "newcheck", message: "m", url: "https://example.invalid/newcheck", posn: token.Position{Filename: file, Line: 1, Column: 1}},
		{category: "body", message: "m", url: checkURL("body"), posn: token.Position{Filename: file, Line: 1, Column: 2}},
	}}}}
	var b strings.Builder
	if err := res.printSARIF(&b); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(b.String()), &log); err != nil {
		t.Fatal(err)
	}
	rules, results := log.Runs[0].Tool.Driver.Rules, log.Runs[0].Results
	if len(rules) != pages+1 || rules[pages].ID != "newcheck" || rules[pages].HelpURI != "https://example.invalid/newcheck" {
		t.Fatalf("rules %+v, want the %d of the pages and one for newcheck linked to its url", rules, pages)
	}
	for _, r := range results {
		if r.RuleIndex < 0 || rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s result: ruleIndex %d", r.RuleID, r.RuleIndex)
		}
	}
}
