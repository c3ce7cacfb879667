// Command httpleakcheck reports net/http client code that leaks
// connections. Run it on packages, or as go vet -vettool.
//
// Standalone, it loads the packages and their dependencies from source
// (go/packages) and runs the analyzer with golang.org/x/tools/go/analysis/checker.
// A dependency that does not build (missing cgo headers, a type error) is
// reported once and left out: the packages that import it are analyzed
// without its facts. With -vet it runs the analysis through go vet instead,
// so that Go's build cache keeps each package's results. Invoked by go vet
// or go fix (-V=full, -flags, a .cfg file), it speaks their protocol;
// -fix is applied by x/tools' singlechecker, as before.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("httpleakcheck: ")
	args := os.Args[1:]
	if vetProtocol(args) {
		// x/tools' singlechecker speaks the protocol of go vet and go fix
		// (unitchecker), with the analyzer's flags unprefixed.
		singlechecker.Main(analyzer.Analyzer) // does not return
	}
	opts, err := parseFlags(args, os.Stderr)
	switch {
	case err == flag.ErrHelp:
		os.Exit(0)
	case err == errNoPackages:
		os.Exit(1)
	case err != nil:
		os.Exit(2) // the error is printed
	}
	if opts.fix {
		// x/tools applies the fixes (merging, gofmt, -diff) as it always has.
		singlechecker.Main(analyzer.Analyzer) // does not return
	}
	os.Exit(opts.run(os.Stdout, os.Stderr))
}

// vetProtocol reports whether go vet or go fix invoked this command: to
// learn its version (-V=full) or flags (-flags), or to analyze the one
// package described by a .cfg file.
func vetProtocol(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "V" || name == "flags") {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// options are the command-line flags of a standalone run.
type options struct {
	patterns []string

	json, sarif bool
	context     int  // -c: lines of context around each finding, or -1
	fix         bool // -fix (and -diff): handed to singlechecker
	tests       bool // -test: analyze test files too
	vet         bool // -vet: run through go vet
	analyzerArg []string

	newFromRev    string // -new-from-rev: only findings on lines changed since this revision
	staged        bool   // -staged: only findings on lines of the staged changes
	baseline      string // -baseline: drop the findings listed in this file
	writeBaseline string // -write-baseline: write the findings to this file

	debug                             string
	cpuProfile, memProfile, traceFile string
}

// errNoPackages is the error of a command line without packages.
var errNoPackages = errors.New("no packages given")

// parseFlags parses the command line of a standalone run, and prints
// its errors and the usage to w.
func parseFlags(args []string, w io.Writer) (*options, error) {
	o := &options{context: -1, tests: true}
	fs := flag.NewFlagSet("httpleakcheck", flag.ContinueOnError)
	fs.SetOutput(w)
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	fs.BoolVar(&o.json, "json", false, "emit JSON output (exit 0 even with findings)")
	fs.BoolVar(&o.sarif, "sarif", false, "emit SARIF 2.1.0 on stdout (exit 0 even with findings)")
	fs.IntVar(&o.context, "c", -1, "display offending line with this many lines of context")
	fs.BoolVar(&o.fix, "fix", false, "apply all suggested fixes")
	fs.Bool("diff", false, "with -fix, don't update the files, but print a unified diff")
	fs.BoolVar(&o.tests, "test", true, "indicates whether test files should be analyzed, too")
	fs.BoolVar(&o.vet, "vet", false, "run the analysis through go vet, whose build cache keeps each package's results (incremental)")
	fs.StringVar(&o.newFromRev, "new-from-rev", "", "report only findings on lines added or changed since this git revision (untracked files count as new)")
	fs.BoolVar(&o.staged, "staged", false, "report only findings on lines added or changed by the staged changes (git diff --cached): what a commit adds")
	fs.StringVar(&o.baseline, "baseline", "", "do not report the findings listed in this baseline file")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "write all findings to this baseline file, report nothing, and exit 0")
	fs.StringVar(&o.debug, "debug", "", `debug flags, any subset of "fps" (facts, sequential, sanity checks)`)
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write CPU profile to this file")
	fs.StringVar(&o.memProfile, "memprofile", "", "write memory profile to this file")
	fs.StringVar(&o.traceFile, "trace", "", "write trace log to this file")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.patterns = fs.Args()
	if len(o.patterns) == 0 {
		fs.Usage()
		return nil, errNoPackages
	}
	fs.Visit(func(f *flag.Flag) {
		if analyzer.Analyzer.Flags.Lookup(f.Name) != nil {
			o.analyzerArg = append(o.analyzerArg, "-"+f.Name+"="+f.Value.String())
		}
	})
	if err := o.check(); err != nil {
		fmt.Fprintf(fs.Output(), "httpleakcheck: %v\n", err)
		return nil, err
	}
	return o, nil
}

// check reports flags that cannot go together.
func (o *options) check() error {
	var set []string
	for _, f := range []struct {
		name string
		on   bool
	}{
		{"-json", o.json}, {"-sarif", o.sarif}, {"-vet", o.vet}, {"-new-from-rev", o.newFromRev != ""},
		{"-staged", o.staged}, {"-baseline", o.baseline != ""}, {"-write-baseline", o.writeBaseline != ""},
	} {
		if f.on {
			set = append(set, f.name)
		}
	}
	switch {
	case o.fix && len(set) > 0:
		return fmt.Errorf("-fix does not go with %s", strings.Join(set, ", "))
	case o.json && o.sarif:
		return fmt.Errorf("-json and -sarif do not go together")
	case o.newFromRev != "" && o.staged:
		return fmt.Errorf("-new-from-rev and -staged do not go together")
	case o.vet && !o.tests:
		return fmt.Errorf("-vet always analyzes test files (go vet does): drop -test=false")
	}
	return nil
}

// usage prints the command's documentation and flags.
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	paras := strings.Split(analyzer.Analyzer.Doc, "\n\n")
	fmt.Fprintf(w, "httpleakcheck: %s\n\n", paras[0])
	fmt.Fprintf(w, "Usage: httpleakcheck [-flag] [package]\n\n%s\n\nFlags:\n", strings.Join(paras[1:], "\n\n"))
	fs.PrintDefaults()
}

// run analyzes the packages, prints what it found to stdout (-json,
// -sarif) or stderr, and returns the exit code: 3 for findings in text
// mode, 1 when a package could not be analyzed, 0 otherwise.
func (o *options) run(stdout, stderr io.Writer) int {
	stop, err := o.startProfiles()
	if err != nil {
		log.Print(err)
		return 1
	}
	defer stop()

	var res *results
	if o.vet {
		res, err = runVet(o, stderr)
	} else {
		res, err = runStandalone(o, stderr)
	}
	if err != nil {
		log.Print(err)
		return 1
	}
	if o.writeBaseline != "" {
		n, err := writeBaseline(o.writeBaseline, res)
		if err != nil {
			log.Print(err)
			return 1
		}
		log.Printf("wrote %d findings to %s", n, o.writeBaseline)
		return 0
	}
	if err := o.filter(res); err != nil {
		log.Print(err)
		return 1
	}
	return o.print(res, stdout, stderr)
}

// filter drops the findings that -new-from-rev, -staged or -baseline
// leave out.
func (o *options) filter(res *results) error {
	if o.newFromRev != "" || o.staged {
		ch, err := gitChanges(o.newFromRev, o.staged)
		if err != nil {
			return err
		}
		res.keep(ch.touches)
	}
	if o.baseline != "" {
		b, err := readBaseline(o.baseline)
		if err != nil {
			return err
		}
		res.keep(b.unlisted())
	}
	return nil
}

// print writes the results in the chosen format and returns the exit code.
func (o *options) print(res *results, stdout, stderr io.Writer) int {
	code := 0
	if res.failed() {
		code = 1
	}
	var err error
	switch {
	case o.json:
		err = res.printJSON(stdout)
	case o.sarif:
		err = res.printSARIF(stdout)
	default:
		err = res.printText(stderr, o.context)
		if code == 0 && len(res.unique()) > 0 {
			code = 3
		}
	}
	if err != nil {
		log.Print(err)
		return 1
	}
	return code
}

// startProfiles starts the profiles and trace asked for; stop writes them.
func (o *options) startProfiles() (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, f := range slices.Backward(stops) {
			f()
		}
	}
	for _, p := range []struct {
		file  string
		start func(*os.File) (end func(), err error)
	}{
		{o.cpuProfile, func(f *os.File) (func(), error) { return pprof.StopCPUProfile, pprof.StartCPUProfile(f) }},
		{o.traceFile, func(f *os.File) (func(), error) { return trace.Stop, trace.Start(f) }},
		{o.memProfile, func(f *os.File) (func(), error) {
			return func() {
				runtime.GC()
				if err := pprof.WriteHeapProfile(f); err != nil {
					log.Printf("writing memory profile: %v", err)
				}
			}, nil
		}},
	} {
		if p.file == "" {
			continue
		}
		f, err := os.Create(p.file)
		if err != nil {
			return stop, err
		}
		end, err := p.start(f)
		if err != nil {
			return stop, err
		}
		stops = append(stops, func() { end(); f.Close() })
	}
	return stop, nil
}
