package flow

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// A Fact summarizes what a function does with the resources that pass
// through its parameters and results, so that its callers, in this
// package or another, can be checked. It travels between packages as an
// analysis fact, so its fields must stay exported (gob) and small. Each
// check's Summarizer fills in its part.
type Fact struct {
	// NoReturn: the function never returns normally (it ends in
	// os.Exit, log.Fatal, panic, ...).
	NoReturn bool
	// Params says what the function does with the resource a parameter
	// may carry, for the parameters it says something of.
	Params []ParamFact
	// Results says which results hand a fresh resource to the caller.
	Results []ResultFact
}

// A ParamFact says what a function does with the resource a parameter
// carries.
type ParamFact struct {
	Index  int // -1 for the receiver
	Kind   Kind
	Effect Effect
	When   Condition // Releases: only then
	Result int       // Returns, Forwards: the result that holds it
	Path   string    // Returns, Into, Forwards: where it sits in that result or holder, fields joined by dots
	From   int       // Forwards: the result of the parameter's call that the function returns; Hands: the argument of its call that gets the resource
	Holder int       // Into: the parameter that holds it then (-1: the receiver)
	// Sets: the field of the value it holds (fields joined by dots)
	// that the function sets to another value before it can return,
	// dropping the resource that sat there unused (a setter, a
	// builder's method).
	Sets string
	// SetsWhen: it sets Sets only then (a setter that ignores a nil
	// argument).
	SetsWhen Condition
	// Default: a field of the value it holds whose resource the
	// function uses, keeps or returns only when DefaultWhen holds (a
	// default that another field overrides: a config's Transport, used
	// only when the config has no client).
	Default     string
	DefaultWhen Condition
	// Writes: for the receiver, the fields of the value it holds that
	// the method may assign (paths joined by dots, separated by commas;
	// "*": any), which a condition on those fields cannot read past (a
	// builder's setter of a flag: b.cfg.Insecure = true). String leaves
	// it out: most methods that touch a holder set some field of it,
	// and the text would repeat their bodies.
	Writes string
}

// An Effect is what a function does with a parameter's resource: a set
// of the bits below. A function that says nothing of a parameter may do
// anything with it.
type Effect uint16

const (
	Borrows         Effect = 1 << iota // only reads it: the caller keeps the duty to release it
	Uses                               // uses it (the spec's use)
	Returns                            // hands it back in a result (Result, at Path)
	Releases                           // releases it (when When holds)
	Keeps                              // keeps it in something that outlives the call
	ReleasesOnError                    // may release it when it returns a non-nil error, and only then (open when it returns nil)
	Replaces                           // replaces the resource in it without releasing it (h.R = copy)
	Fills                              // puts a fresh resource of its own in it (one built on first use, kept in the receiver)
	Forwards                           // a func: the function returns, as its result Result (at Path), what a call of it returns as its result From (Kind is empty: any resource)
	Into                               // stores it into what another parameter holds (Holder, at Path): a setter, an option applied to the receiver
	Drains                             // reads it to its end (which gives back what it holds) when it returns a nil error, and does nothing else with it
	ReleasesIfTrue                     // releases it when its bool result Result is true, and only then
	ReadsFirst                         // with Releases: reads it (to its end, as far as it can) before it releases it
	ReleasesIfFalse                    // releases it when its bool result Result is false, and only then
	Shows                              // hands it to code not known (a func value of unknown origin, an interface's method: a hook), and only reads it otherwise
	Hands                              // a func: the function calls it with a fresh resource as its argument From, which it leaves to the func to release
)

func (e Effect) String() string {
	var names []string
	for i, name := range []string{"borrows", "uses", "returns", "releases", "keeps", "releasesOnError", "replaces", "fills", "forwards", "into", "drains", "releasesIfTrue", "readsFirst", "releasesIfFalse", "shows", "hands"} {
		if e&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "unknown"
	}
	return strings.Join(names, "+")
}

// A ResultFact says that a result hands the caller a fresh resource, or
// a holder of one.
type ResultFact struct {
	Index int
	Kind  Kind
	// Path is where the resource sits in the result, fields joined by
	// dots ("" when the result is the resource; "R" for a holder
	// whose field R holds it).
	Path string
	// ViaRoundTripper: a resource that only ever comes from an
	// interface that tests routinely fake.
	ViaRoundTripper bool
	// WithError: the result may be non-nil along with a non-nil error.
	WithError bool
	// OnlyWithError: with WithError, the result holds a fresh resource
	// only along with a non-nil error (the function releases it where
	// it succeeds).
	OnlyWithError bool
	// Drained: the function read the resource to its end before
	// returning it: what it holds is given back, its release still owed.
	Drained bool
	// Lazy: the result is a holder that builds its resource on first
	// use: there is one only once a method that fills it is called.
	Lazy bool
	// When: the result holds a fresh resource only then (the function
	// builds it only when an option asks for it, or releases it only
	// when the caller passes somewhere to put it).
	When Condition
	// And: with When, more tests that must hold too (a default stored
	// where the config has no Transport, and used only where it has no
	// client either, nor keep-alives turned off).
	And []Condition
	// Zero: fields of the result, a pointer to a struct, that every
	// return leaves nil, whatever the arguments (a default config
	// without a client: the constructor it is given to builds one),
	// joined by commas.
	Zero string
	// Closer: the result (its index + 1; 0 if none), a func, whose call
	// releases the resource (a cleanup: return c, tr.CloseIdleConnections).
	Closer int
	// Method: in a variable's fact, the method of the value it holds
	// whose result this is (a default factory: DefaultFactory.Make()).
	Method string
}

// Equal reports whether r and o say the same.
func (r ResultFact) Equal(o ResultFact) bool {
	if !slices.Equal(r.And, o.And) {
		return false
	}
	r.And, o.And = nil, nil
	return reflect.DeepEqual(r, o)
}

// AFact marks Fact as an analysis fact.
func (*Fact) AFact() {}

func (f *Fact) String() string {
	var parts []string
	if f.NoReturn {
		parts = append(parts, "noReturn")
	}
	for _, p := range f.Params {
		s := fmt.Sprintf("param%d:", p.Index)
		if p.Index < 0 {
			s = "recv:"
		}
		if p.Kind != "" {
			s += string(p.Kind) + ":"
		}
		s += p.Effect.String()
		if p.Effect&Forwards != 0 {
			s += fmt.Sprintf("(%d", p.Result)
			if p.Path != "" {
				s += "@" + p.Path
			}
			s += fmt.Sprintf("<-%d)", p.From)
		}
		if p.Effect&Hands != 0 {
			s += fmt.Sprintf("(%d)", p.From)
		}
		if p.Effect&Into != 0 {
			if p.Holder >= 0 {
				s += fmt.Sprintf("(p%d", p.Holder)
			} else {
				s += "(recv"
			}
			if p.Path != "" {
				s += "@" + p.Path
			}
			s += ")"
		}
		if p.Effect&Returns != 0 {
			s += fmt.Sprintf("(%d", p.Result)
			if p.Path != "" {
				s += "@" + p.Path
			}
			s += ")"
		}
		if p.When.Param != 0 {
			s += ",when(" + p.When.String() + ")"
		}
		if p.Sets != "" {
			s += ",sets(" + p.Sets + ")"
			if p.SetsWhen.Param != 0 {
				s += "when(" + p.SetsWhen.String() + ")"
			}
		}
		if p.Default != "" {
			s += ",default(" + p.Default + ":" + p.DefaultWhen.String() + ")"
		}

		parts = append(parts, s)
	}
	for _, r := range f.Results {
		s := fmt.Sprintf("result%d:%s", r.Index, r.Kind)
		if r.Index < 0 {
			s = string(r.Kind) // not a result: what the function does with what it builds
		}
		if r.Method != "" {
			s = r.Method + "()." + s
		}
		if r.Path != "" {
			s += "@" + r.Path
		}
		if r.ViaRoundTripper {
			s += ",viaRoundTripper"
		}
		if r.WithError {
			s += ",withError"
		}
		if r.OnlyWithError {
			s += ",onlyWithError"
		}
		if r.Drained {
			s += ",drained"
		}
		if r.Lazy {
			s += ",lazy"
		}
		if r.When.Param != 0 {
			s += ",when(" + r.When.String() + ")"
		}
		for _, w := range r.And {
			s += ",and(" + w.String() + ")"
		}
		if r.Zero != "" {
			s += ",zero(" + r.Zero + ")"
		}
		if r.Closer != 0 {
			s += fmt.Sprintf(",closer(%d)", r.Closer-1)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (f *Fact) empty() bool { return !f.NoReturn && len(f.Params) == 0 && len(f.Results) == 0 }

// Param returns what the function does with the resource of kind k in
// parameter i (-1: the receiver).
func (f *Fact) Param(i int, k Kind) ParamFact {
	for _, p := range f.Params {
		if p.Index == i && p.Kind == k {
			return p
		}
	}
	return ParamFact{Index: i, Kind: k}
}

// Result returns the result that hands the caller a fresh resource of
// kind k, or nil.
func (f *Fact) Result(k Kind) *ResultFact {
	for i := range f.Results {
		if f.Results[i].Kind == k {
			return &f.Results[i]
		}
	}
	return nil
}

// KindNew is the kind of a result that is a new value of the function's
// own, which nothing else holds (a constructor's &T{...}): a caller that
// stores a resource into it fills a holder of its own. Checks record it
// for the types that can hold their resource.
const KindNew Kind = "new"

// KindImpl is the kind of a result of interface type whose every value
// the function returns is of one type of the function's package, named
// by Path ("*" before it for a pointer): an accessor of a factory
// (func defaultFactory() Factory { return cloner{} }), through which a
// call of the interface's method runs that type's method (see
// Engine.Concrete). Checks record it for the interfaces whose methods
// can hand back their resource.
const KindImpl Kind = "impl"

// SplitPath returns the place a fact's field path names.
func SplitPath(path string) Place {
	if path == "" {
		return Place{}
	}
	return strings.Split(path, ".")
}

// WritesAny reports whether the fields that p.Writes lists hold one on
// the path fields, or around it (a setter of the whole config).
func (p ParamFact) WritesAny(fields []string) bool {
	if p.Writes == "" {
		return false
	}
	for _, w := range strings.Split(p.Writes, ",") {
		if w == "*" || hasPrefix(Place(fields), Place(strings.Split(w, "."))) || hasPrefix(Place(strings.Split(w, ".")), Place(fields)) {
			return true
		}
	}
	return false
}
