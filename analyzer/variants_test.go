package analyzer_test

import (
	"bufio"
	"flag"
	"fmt"
	"go/token"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/txtar"
)

// The variants of the rules: ../testdata/variants holds one txtar archive
// a rule, which writes the rule's positive case (leak/) and its negative
// case (ok/) in several spellings of the same code (an if block or an
// early return, a switch or an if, named or unnamed results, a variable or
// an inline call, a closure or a named function, the same package or
// another one through facts...). Each spelling must get the same verdict
// as its siblings: TestVariants runs the analyzer over all of them and
// checks, on top of their // want comments, that every leak/ spelling
// gets a diagnostic of the rule's category and no ok/ spelling does.
//
// An archive's comment starts with its header lines:
//
//	checks: body,bodyeof    the checks to run (analyzer.Config.Checks)
//	category: bodyeof       the category of the verdict (default: the first check)
//
// Its files are <verdict>/<spelling>/<file>, verdict leak or ok: each
// <verdict>/<spelling> directory is a package (variants/<archive>/<verdict>/<spelling>),
// checked by analysistest; a directory below it (leak/facts/dep/dep.go) is
// a package that the spelling imports, loaded for its facts only: its
// diagnostics and facts are not checked, and the verdict is the
// importer's.
//
// A spelling whose verdict differs from its siblings' is an inconsistency
// of the analyzer. It stays in its archive, written as the rule wants it
// (its // want comments say what should be reported), and is listed in
// ../testdata/variants/GAPS.txt as "<archive>/<verdict>/<spelling>: what
// happens instead". A listed spelling is run with the others, but what
// analysistest says about it is set aside: the test checks instead that
// its verdict is still wrong, and fails once it is right, so that the
// list is kept to the analyzer's real gaps.

var (
	variantsOnly = flag.String("variants", "", "TestVariants: run only the archives whose names match this regexp")
	variantsDump = flag.Bool("variants.dump", false, "TestVariants: log every diagnostic (category, position, message, related) and fact")
)

const variantsDir = "../testdata/variants"

// A variantArchive is one rule's archive.
type variantArchive struct {
	name     string
	checks   []string
	category string
	files    []txtar.File
	// spellings lists the spellings of each verdict ("leak", "ok").
	spellings map[string][]string
}

// A spellingKey names a spelling: archive/verdict/spelling.
type spellingKey string

func keyOf(archive, verdict, spelling string) spellingKey {
	return spellingKey(archive + "/" + verdict + "/" + spelling)
}

// pkgPath is the import path of the spelling's package.
func (k spellingKey) pkgPath() string { return "variants/" + string(k) }

func TestVariants(t *testing.T) {
	archives := readVariantArchives(t)
	gaps := readGaps(t, archives)
	if t.Failed() {
		return
	}

	// The GOPATH tree: src/variants/<archive>/<verdict>/<spelling>/...
	gopath := t.TempDir()
	var patterns []string
	spellingOf := make(map[string]spellingKey) // package path -> spelling
	analyzers := make(map[string]*analysis.Analyzer)
	for _, a := range archives {
		for _, f := range a.files {
			dst := filepath.Join(gopath, "src", "variants", a.name, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, verdict := range []string{"leak", "ok"} {
			for _, s := range a.spellings[verdict] {
				k := keyOf(a.name, verdict, s)
				patterns = append(patterns, k.pkgPath())
				spellingOf[k.pkgPath()] = k
			}
		}
		analyzers[a.name] = analyzer.NewAnalyzer(analyzer.Config{Checks: a.checks})
	}

	// One run over every archive: loading the standard library from
	// source, and copying its facts into each package, is the slow part.
	a := perArchive(t, analyzers)
	rt := &routedT{T: t, gaps: gaps, setAside: make(map[spellingKey][]string)}
	results := analysistest.Run(rt, gopath, a, patterns...)

	// where names a position as analysistest does: relative to GOPATH/src.
	where := func(p token.Position) string {
		if rel, err := filepath.Rel(filepath.Join(gopath, "src"), p.Filename); err == nil {
			p.Filename = filepath.ToSlash(rel)
		}
		return p.String()
	}
	byArchive := make(map[string]*variantArchive)
	for _, a := range archives {
		byArchive[a.name] = a
	}
	seen := make(map[spellingKey]bool)
	var kept []*analysistest.Result // the results of spellings not listed as gaps
	// A spelling's package may be analyzed twice (with its _test.go
	// files, as p [p.test], and without): its diagnostics are those of
	// both.
	gotBy := make(map[spellingKey][]string)
	resultsBy := make(map[spellingKey][]*analysistest.Result)
	for _, r := range results {
		if r.Pass == nil {
			continue // not analyzed: analysistest reported why
		}
		k, ok := spellingOf[r.Pass.Pkg.Path()]
		if !ok {
			continue
		}
		seen[k] = true
		arch := byArchive[strings.SplitN(string(k), "/", 3)[0]]
		resultsBy[k] = append(resultsBy[k], r)
		for _, d := range r.Diagnostics {
			if *variantsDump {
				t.Logf("%s: %s: %s", where(r.Pass.Fset.Position(d.Pos)), d.Category, d.Message)
				for _, rel := range d.Related {
					t.Logf("\trelated %s: %s", where(r.Pass.Fset.Position(rel.Pos)), rel.Message)
				}
			}
			if d.Category == arch.category {
				gotBy[k] = append(gotBy[k], fmt.Sprintf("%s: %s", where(r.Pass.Fset.Position(d.Pos)), d.Message))
			}
		}
		if *variantsDump {
			for obj, facts := range r.Facts {
				for _, f := range facts {
					name := "package"
					if obj != nil {
						name = obj.Name()
					}
					pos := r.Pass.Fset.Position(r.Pass.Files[0].Pos())
					if obj != nil {
						pos = r.Pass.Fset.Position(obj.Pos())
					}
					t.Logf("%s: fact %s: %s", where(pos), name, f)
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(resultsBy)) {
		parts := strings.SplitN(string(k), "/", 3)
		arch, verdict := byArchive[parts[0]], parts[1]
		got := gotBy[k]
		consistent := (verdict == "leak") == (len(got) > 0)
		if reason, isGap := gaps[k]; isGap {
			if consistent {
				t.Errorf("%s: listed in GAPS.txt (%s), but it now gets the verdict of its siblings: remove it from the list", k, reason)
			} else if *variantsDump {
				t.Logf("%s: gap still open; analysistest said:\n\t%s", k, strings.Join(rt.setAside[k], "\n\t"))
			}
			continue
		}
		kept = append(kept, resultsBy[k]...)
		switch {
		case consistent:
		case verdict == "leak":
			t.Errorf("%s: no %s diagnostic, unlike the other leak spellings of %s (list it in GAPS.txt if the analyzer is at fault)", k, arch.category, arch.name)
		default:
			t.Errorf("%s: a %s diagnostic, unlike the other ok spellings of %s (list it in GAPS.txt if the analyzer is at fault):\n\t%s", k, arch.category, arch.name, strings.Join(got, "\n\t"))
		}
	}
	for _, p := range patterns {
		if k := spellingOf[p]; !seen[k] && !t.Failed() {
			t.Errorf("%s: no result for its package", k)
		}
	}
	checkLeakMarkers(t, kept, where)
}

// perArchive returns the Analyzer that TestVariants runs: on the
// packages of each archive, analyzer.WithFacts of the archive's analyzer
// (analyzers made by NewAnalyzer differ by their Config only: they
// require the same analyzers, and one run can hold them all); on the
// others (the standard library), nothing but what it requires, which
// computes the summaries that the archives' packages import as facts.
// (Facts shown by WithFacts on the standard library would only be copied,
// gob-encoded, into every package of the run: analysistest's sanity
// check makes that the bulk of the run's cost.)
func perArchive(t *testing.T, analyzers map[string]*analysis.Analyzer) *analysis.Analyzer {
	def := analyzer.Analyzer
	for name, a := range analyzers {
		if !slices.Equal(a.Requires, def.Requires) || a.ResultType != def.ResultType || len(a.FactTypes) != len(def.FactTypes) {
			t.Fatalf("the analyzer of %s does not require what analyzer.Analyzer does: TestVariants cannot run all archives at once", name)
		}
	}
	archiveOf := func(pass *analysis.Pass) *analysis.Analyzer {
		rest, ok := strings.CutPrefix(pass.Pkg.Path(), "variants/")
		if !ok {
			return nil
		}
		name, _, _ := strings.Cut(rest, "/")
		return analyzers[name]
	}
	shown := analyzer.WithFacts(&analysis.Analyzer{
		Name:     def.Name,
		Doc:      def.Doc,
		URL:      def.URL,
		Requires: def.Requires,
		Run:      func(pass *analysis.Pass) (any, error) { return archiveOf(pass).Run(pass) },
	})
	return &analysis.Analyzer{
		Name:      shown.Name,
		Doc:       shown.Doc,
		URL:       shown.URL,
		Requires:  shown.Requires,
		FactTypes: shown.FactTypes,
		Run: func(pass *analysis.Pass) (any, error) {
			if archiveOf(pass) == nil {
				return nil, nil
			}
			return shown.Run(pass)
		},
	}
}

// A routedT hands analysistest's errors to the test, except those about
// a spelling listed in GAPS.txt, which it sets aside.
type routedT struct {
	*testing.T
	gaps     map[spellingKey]string
	setAside map[spellingKey][]string
}

func (r *routedT) Errorf(format string, args ...any) {
	r.T.Helper()
	msg := fmt.Sprintf(format, args...)
	for k := range r.gaps {
		// Positions are relative to GOPATH/src; packages of actions are named by path.
		if strings.Contains(msg, k.pkgPath()+"/") || strings.Contains(msg, "@"+k.pkgPath()+" ") || strings.HasSuffix(msg, "@"+k.pkgPath()) {
			r.setAside[k] = append(r.setAside[k], msg)
			return
		}
	}
	r.T.Errorf("%s", msg)
}

// readVariantArchives reads and checks the archives of variantsDir.
func readVariantArchives(t *testing.T) []*variantArchive {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(variantsDir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no archives in %s", variantsDir)
	}
	var only *regexp.Regexp
	if *variantsOnly != "" {
		only = regexp.MustCompile(*variantsOnly)
	}
	var archives []*variantArchive
	for _, file := range names {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		if only != nil && !only.MatchString(name) {
			continue
		}
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		a := &variantArchive{name: name, files: ar.Files, spellings: make(map[string][]string)}
		if strings.ContainsAny(name, "/. ") {
			t.Errorf("%s: an archive's name must be a single path element", file)
		}
		for line := range strings.Lines(string(ar.Comment)) {
			key, value, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok {
				break // the header ends at the first line that is not "key: value"
			}
			value = strings.TrimSpace(value)
			switch key {
			case "checks":
				a.checks = strings.Split(value, ",")
			case "category":
				a.category = value
			default:
				t.Errorf("%s: unknown header %q", file, key)
			}
		}
		if len(a.checks) == 0 {
			t.Errorf("%s: no \"checks:\" line at the top of its comment", file)
			continue
		}
		if err := (analyzer.Config{Checks: a.checks}).Validate(); err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if a.category == "" {
			a.category = a.checks[0]
		}
		if !slices.Contains(a.checks, a.category) {
			t.Errorf("%s: category %q is not among the checks run", file, a.category)
		}
		seen := make(map[spellingKey]bool)
		for _, f := range ar.Files {
			parts := strings.Split(f.Name, "/")
			if len(parts) < 3 || parts[0] != "leak" && parts[0] != "ok" || path.Clean(f.Name) != f.Name {
				t.Errorf("%s: file %s is not under leak/<spelling>/ or ok/<spelling>/", file, f.Name)
				continue
			}
			if len(parts) > 3 && strings.Contains(string(f.Data), "// want") {
				t.Errorf("%s: file %s is in a dependency of its spelling, whose expectations are not checked: its // want comments would say nothing", file, f.Name)
			}
			if k := keyOf(name, parts[0], parts[1]); !seen[k] {
				seen[k] = true
				a.spellings[parts[0]] = append(a.spellings[parts[0]], parts[1])
			}
		}
		for _, verdict := range []string{"leak", "ok"} {
			if n := len(a.spellings[verdict]); n < 3 {
				t.Errorf("%s: %d %s spellings; a rule needs at least 3 of each verdict", file, n, verdict)
			}
		}
		archives = append(archives, a)
	}
	if len(archives) == 0 {
		t.Fatalf("no archive matches -variants=%s", *variantsOnly)
	}
	return archives
}

// readGaps reads GAPS.txt: "<archive>/<verdict>/<spelling>: what happens
// instead", one a line; blank lines and lines starting with # are
// comments. Each must name a spelling of an archive (of those run).
func readGaps(t *testing.T, archives []*variantArchive) map[spellingKey]string {
	t.Helper()
	f, err := os.Open(filepath.Join(variantsDir, "GAPS.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := make(map[spellingKey]bool)
	run := make(map[string]bool)
	for _, a := range archives {
		run[a.name] = true
		for verdict, ss := range a.spellings {
			for _, s := range ss {
				known[keyOf(a.name, verdict, s)] = true
			}
		}
	}
	gaps := make(map[spellingKey]string)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, ok := strings.Cut(line, ": ")
		k := spellingKey(key)
		switch archive, _, _ := strings.Cut(key, "/"); {
		case !ok || strings.TrimSpace(reason) == "":
			t.Errorf("GAPS.txt:%d: want \"<archive>/<verdict>/<spelling>: what happens instead\"", n)
		case !run[archive] && *variantsOnly != "":
			// an archive left out by -variants
		case !known[k]:
			t.Errorf("GAPS.txt:%d: %s names no spelling of an archive", n, key)
		case gaps[k] != "":
			t.Errorf("GAPS.txt:%d: %s listed twice", n, key)
		default:
			gaps[k] = reason
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return gaps
}
