package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file holds the transport check's resource, a connection pool
// that keeps idle connections, as the engine sees it (poolSpec), and
// what the check learns of types in one pass (pools).

// pools is what the transport check learns in one pass: which types can
// hold a pool, which build theirs on first use, and whether the package
// is part of a cloud SDK (whose rules do not apply inside it).
type pools struct {
	c         *checker
	spec      poolSpec
	ptypes    *nethttp.PoolTypes
	poolTypes map[typeKey]bool      // whether a type can hold a pool: see holdsPool
	lazyTypes map[*types.Named]bool // whether a type builds its pool on first use: see lazyPool
	builders  map[*types.Named]bool // whether a type holds no pool but can build one: see builderType
	closures  map[*types.Var]bool   // whether a func field holds closures over its holder: see closureField
	inSDK     bool
}

// newPools returns the transport check's state for the pass of c.
func newPools(c *checker) *pools {
	p := &pools{
		c:         c,
		ptypes:    nethttp.NewPoolTypes(c.pass.Pkg),
		poolTypes: make(map[typeKey]bool),
		lazyTypes: make(map[*types.Named]bool),
		builders:  make(map[*types.Named]bool),
		inSDK:     nethttp.IsSDKPkg(c.pass.Pkg),
	}
	p.spec = poolSpec{p}
	return p
}

// poolSpec is the transport check's resource: a connection pool that
// keeps idle connections.
type poolSpec struct{ p *pools }

func (poolSpec) Kind() flow.Kind { return kindPool }

// What poolSpec notes of a pool, in flow.Flow.Flags.
const (
	poolMutated        uint8 = 1 << iota // its fields are set or read after it is built, or a protocol registered: sharing it would be unsafe
	poolNoKeepAlive                      // a call on its holder turns pooling off (an option, resty's SetCloseConnection(true))
	poolWrapped                          // it went into a round tripper that has no CloseIdleConnections: a client's CloseIdleConnections does not reach it
	poolFilled                           // a method that builds the pool of a holder on first use was called on it
	poolFieldSet                         // a field of the holder it is in was set after it was built: a holder that builds its pool on first use may not
	poolKeepAliveOff                     // DisableKeepAlives is set to the constant true (poolNoKeepAliveSet is set too)
	poolKeepAliveOn                      // DisableKeepAlives is set to the constant false: keep-alives turned back on
	poolNoKeepAliveSet                   // a statement sets DisableKeepAlives to true (or a value we cannot read), or MaxIdleConnsPerHost < 0: it counts where it runs (offBeforeUse)

	poolOff = poolNoKeepAlive | poolNoKeepAliveSet // pooling turned off, somewhere
)

// filled reports whether a holder that builds its pool on first use was
// given one where fl followed it: a method of its own that fills it was
// called, or it was passed to a function that fills it (a constructor
// that calls that method: influxdb2.NewClientWithOptions).
func filled(fl *flow.Flow) bool {
	return fl.Flags&poolFilled != 0 || fl.Filled
}

// Selector says what x.sel does to the pool in x:
//
//	client.Do(req)                  a request
//	defer tr.CloseIdleConnections() a release
//	tr.DisableKeepAlives = true     pooling off
//	client.Transport                handed out: escapes
//	api.hc.Do(req)                  a field of a holder that holds it: climb on
//	api.get(path)                   what the method's summary says of its receiver
func (s poolSpec) Selector(stack []ast.Node, i int, sel *ast.SelectorExpr, selection *types.Selection, p flow.Place) flow.Step {
	c := s.p.c
	info := c.pass.TypesInfo
	call, called := flow.CalledAt(stack, i)
	switch selection.Kind() {
	case types.MethodVal:
		fn := selection.Obj().(*types.Func)
		if called && !s.p.inSDK && nethttp.IsSDKClientPkg(fn.Pkg()) {
			return flow.Stop(flow.UseUse) // a service client's method: a request
		}
		if !called {
			if !runByOnce(info, stack, i) {
				switch {
				case fn.Name() == "CloseIdleConnections", flow.IsMethod(fn, nethttp.HTTP3Pkg, "Transport", "Close"):
					return flow.Stop(flow.UseRelease) // a release, called who knows when (a closer: see Use.Closer)
				case fn.Name() == "Close":
					return flow.Stop(flow.UseEscape)
				}
				// A method value holds the receiver, and so the pool, as a
				// closure would: follow it (returned, called...).
				return flow.Step{Climb: true, At: p}
			}
			call = stack[i-1].(*ast.CallExpr) // once.Do(c.init): run in place
		}
		switch {
		case fn.Name() == "CloseIdleConnections", flow.IsMethod(fn, nethttp.HTTP3Pkg, "Transport", "Close"):
			return flow.Stop(flow.UseRelease)
		case nethttp.IsRequestMethod(fn), s.p.ptypes.IsRequestInterfaceMethod(fn):
			return flow.Stop(flow.UseUse)
		case flow.IsMethod(fn, "net/http", "Transport", "Clone", "CancelRequest"):
			return flow.Stop(flow.UseRead) // neither keeps nor shares the pool
		case flow.IsMethod(fn, "net/http", "Transport", "RegisterProtocol"):
			return flow.Step{Kind: flow.UseRead, Flags: poolMutated}
		case fn.Pkg() != nil && fn.Pkg().Path() == "net/http":
			return flow.Stop(flow.UseEscape)
		case types.IsInterface(fn.Signature().Recv().Type()) && fn.Name() != "Close" && c.Summary(fn).Param(-1, kindPool).Effect == 0:
			// A method of an interface whose value holds the pool (a
			// library's client interface, whose implementation sends
			// requests through it): a use, unless its summary says what
			// every implementation of the interface's package does (an
			// accessor only reads it). Close may release it.
			return flow.Stop(flow.UseUse)
		case fn.Name() == "Close" && unexportedIface(fn) && c.Summary(fn).Param(-1, kindPool).Effect == 0:
			// The Close of an interface of this package's own: handed on
			// (an exported one's is read as a call of it: a library's
			// may be a flush that leaves the pool alone, rollbar's Transport).
			return flow.Stop(flow.UseEscape)
		}
		pf := c.Summary(fn).Param(-1, kindPool)
		st := c.EffectAt(s, call, pf, p)
		if nethttp.IsRestyCloseConnection(info, call, fn) || nethttp.OptionTurnsOffPooling(info, call) {
			st.Flags |= poolNoKeepAlive
		}
		if pf.Effect&flow.Fills != 0 {
			st.Flags |= poolFilled
		}
		if sets := flow.SplitPath(pf.Sets); len(sets) > len(p) && slices.Equal(sets[:len(p)], p) && pf.SetsWhen.Param == 0 {
			st.Flags |= poolFieldSet // a setter gave the holder it sits in a client of the caller's
		}
		return st
	case types.FieldVal:
		var as *ast.AssignStmt
		k := -1
		if i >= 1 {
			as, _ = stack[i-1].(*ast.AssignStmt)
		}
		if as != nil {
			k = slices.Index(as.Lhs, ast.Expr(sel))
		}
		recv := info.TypeOf(sel.X)
		switch {
		case !s.p.inSDK && k < 0 && nethttp.IsSDKClientPkg(selection.Obj().Pkg()):
			return flow.Step{Climb: true, At: p} // svc.Files.List().Do(): on to a method
		case flow.IsNamed(recv, "net/http", "Transport"):
			st := flow.Step{Kind: flow.UseRead, Flags: poolMutated}
			if k >= 0 && len(as.Lhs) == len(as.Rhs) {
				if nethttp.TurnsOffPooling(info, sel.Sel.Name, as.Rhs[k]) {
					st.Flags |= poolNoKeepAliveSet
				}
				if sel.Sel.Name == "DisableKeepAlives" && flow.IsTrue(info, as.Rhs[k]) {
					st.Flags |= poolKeepAliveOff
				} else if sel.Sel.Name == "DisableKeepAlives" && flow.IsFalse(info, as.Rhs[k]) {
					st.Flags |= poolKeepAliveOn
				}
			}
			return st
		case nethttp.IsHTTPClient(recv):
			if sel.Sel.Name == "Transport" && k >= 0 && (len(p) == 0 || p[0] == "Transport") && len(as.Lhs) == len(as.Rhs) && !selfStore(info, as.Lhs[k], as.Rhs[k]) {
				return flow.Stop(flow.UseReplace) // c.Transport = other: the pool in it is replaced
			}
			if sel.Sel.Name != "Transport" || k >= 0 {
				return flow.Stop(flow.UseRead) // Timeout, Jar, ...: they do not touch the pool
			}
			if len(p) > 0 && p[0] == "Transport" {
				return flow.Step{Climb: true, At: p[1:]} // the pool itself
			}
			return flow.Step{Climb: true}
		case called && k < 0 && s.p.closureField(selection.Obj().(*types.Var)):
			return flow.Stop(flow.UseUse) // c.callUnary(ctx, req): a closure over the holder, as its constructor set it
		case !s.p.holdsPool(selection.Obj().Type()):
			if k >= 0 {
				return flow.Step{Kind: flow.UseRead, Flags: poolFieldSet} // another field of the holder, set
			}
			return flow.Stop(flow.UseRead) // another field of the holder
		case len(p) > 0 && p[0] != sel.Sel.Name && k < 0 && (types.IsInterface(selection.Obj().Type()) || pointsBack(selection.Obj().Type(), recv)):
			// Another field of the holder, which may reach the same
			// pool: a service that points back to its client
			// (client.Account.Get(ctx), godo's; c.Repositories.Get,
			// go-github's, a *RepositoriesService whose client is c).
			// Somewhere in it.
			return flow.Step{Climb: true}
		case len(p) > 0 && p[0] != sel.Sel.Name:
			return flow.Stop(flow.UseRead) // another field of the holder
		case len(p) > 0:
			return flow.Step{Climb: true, At: p[1:]}
		default:
			return flow.Step{Climb: true}
		}
	}
	return flow.Stop(flow.UseEscape) // a method value, client.Transport
}

// pointsBack reports whether t, the type of a field of a holder of type
// holder, is a pointer to a struct with a field that points to a holder
// of that type: a service object that points back to its client.
//
//	type service struct{ client *Client }
//	type RepositoriesService service      // Client.Repositories: *RepositoriesService
func pointsBack(t, holder types.Type) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok {
		return false
	}
	if hp, ok := types.Unalias(holder).(*types.Pointer); ok {
		holder = hp.Elem()
	}
	if types.Identical(ptr.Elem(), holder) {
		return false // c.parent: another value of the holder's type, not a service of this one
	}
	for f := range st.Fields() {
		if fp, ok := types.Unalias(f.Type()).(*types.Pointer); ok && types.Identical(fp.Elem(), holder) {
			return true
		}
	}
	return false
}

// runByOnce reports whether the method value at stack[i] is handed to
// sync.Once's Do, which runs it before returning.
func runByOnce(info *types.Info, stack []ast.Node, i int) bool {
	if i < 1 {
		return false
	}
	call, ok := stack[i-1].(*ast.CallExpr)
	return ok && len(call.Args) == 1 && call.Args[0] == stack[i] && flow.IsMethod(flow.CalleeFunc(info, call), "sync", "Once", "Do")
}

// Literal lets a Client hold a pool in its Transport field, any other
// struct hold it in any field (then only returning the struct is
// followed: its fields and methods are not), and a slice of options
// hold the options (opts := []Option{WithTransport(tr)}, handed to a
// constructor as opts...).
func (s poolSpec) Literal(t types.Type, kv *ast.KeyValueExpr, field *types.Var) flow.UseKind {
	if sl, ok := t.Underlying().(*types.Slice); ok && s.p.isOption(sl.Elem()) {
		return flow.UseHold
	}
	if nethttp.IsHTTPClient(t) {
		if field != nil && field.Name() == "Transport" {
			return flow.UseHold
		}
		return flow.UseEscape
	}
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if flow.IsStructType(t) {
		return flow.UseHold
	}
	return flow.UseEscape
}

func (poolSpec) CanCarry(types.Type) bool { return true }

// Called says that calling a func value that holds a pool (a closure
// over a client, as an endpoint of go-kit's client is) sends a request
// through it, unless it is an option: applied, it puts the pool into
// what it is given.
//
//	op := WithTLSFromEnv()    // func(c *Config) error { c.Client = &http.Client{...} }
//	op(cfg)
func (s poolSpec) Called(t types.Type) flow.Step {
	if t == nil {
		return flow.Stop(flow.UseUse) // no type: broken code
	}
	if sig, ok := t.Underlying().(*types.Signature); ok {
		if i := s.p.filledParam(sig); i >= 0 {
			return flow.Step{Into: true, Holder: i}
		}
	}
	return flow.Stop(flow.UseUse)
}

func (poolSpec) ParamPlace(types.Type) flow.Place { return flow.Place{} }

func (poolSpec) NothingToRelease(*ast.BinaryExpr, *types.Var) bool { return false }

// HolderFlags notes a round tripper that wraps the pool and does not
// pass CloseIdleConnections on: http.Client.CloseIdleConnections calls
// its transport's only if it has one, so the pool behind such a wrapper
// (a logging round tripper, otelhttp's, oauth2's) is not closed.
func (poolSpec) HolderFlags(t types.Type) uint8 {
	if t == nil || nethttp.IsPoolType(t) || !flow.HasMethod(t, "RoundTrip") || flow.HasMethod(t, "CloseIdleConnections") {
		return 0
	}
	return poolWrapped
}

// holdsPool reports whether a value of type t can be or hold a
// connection pool (see nethttp.PoolTypes.CanHoldPool), remembered per
// pass.
func (p *pools) holdsPool(t types.Type) bool {
	if t == nil {
		return false // no type: broken code
	}
	key := keyOf(t)
	held, ok := p.poolTypes[key]
	if !ok {
		p.poolTypes[key] = false // what a cycle back here finds (type Option func(*Client), Client{opts []Option})
		held = p.ptypes.CanHoldPool(t, nethttp.HoldsPoolDepth, p.optionSlice)
		p.poolTypes[key] = held
	}
	return held
}

// optionSlice reports whether t is a slice of options of many types,
// applied by a method of their interface: a client that keeps them and
// applies them to each of its requests (openai-go's Client and its
// services, Options []option.RequestOption) holds what they hold.
func (p *pools) optionSlice(t types.Type) bool {
	sl, ok := t.Underlying().(*types.Slice)
	return ok && types.IsInterface(sl.Elem()) && p.isOption(t)
}

// A typeKey identifies a type, or a pointer to it, in a map: go/types
// makes a new *types.Pointer for each mention of *T, but one
// *types.Named for T.
type typeKey struct {
	t   types.Type
	ptr bool
}

func keyOf(t types.Type) typeKey {
	if ptr, ok := t.(*types.Pointer); ok {
		return typeKey{ptr.Elem(), true}
	}
	return typeKey{t, false}
}

// poolResult returns the index of the only result in results that can
// hold a connection pool, or -1.
func (p *pools) poolResult(results *types.Tuple) int {
	idx := -1
	for i := range results.Len() {
		if p.holdsPool(results.At(i).Type()) {
			if idx >= 0 {
				return -1 // two candidates: we cannot tell which one
			}
			idx = i
		}
	}
	return idx
}

// besideCleanup returns the index of the one result of results that can
// hold a pool and is not a func() (or func() error), when the only other
// one that can is such a func: a constructor that returns a cleanup with
// its value (return c, tr.CloseIdleConnections); -1 otherwise.
func (p *pools) besideCleanup(results *types.Tuple) int {
	idx, cleanups := -1, 0
	for i := range results.Len() {
		t := results.At(i).Type()
		if !p.holdsPool(t) {
			continue
		}
		if sig, ok := t.Underlying().(*types.Signature); ok && sig.Params().Len() == 0 && sig.Results().Len() <= 1 {
			cleanups++
			continue
		}
		if idx >= 0 {
			return -1
		}
		idx = i
	}
	if cleanups != 1 {
		return -1
	}
	return idx
}

// lazyPool reports whether values of type t (a named struct, or a
// pointer to one) build a connection pool of their own on first use: a
// method of theirs fills the receiver with one (see fillsReceiver). It
// returns the type's name as messages give it.
func (p *pools) lazyPool(t types.Type) (string, bool) {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || !flow.IsStructType(named) || flow.IsNamed(named, "net/http", "Client") || !p.holdsPool(named) {
		return "", false
	}
	named = named.Origin()
	lazy, ok := p.lazyTypes[named]
	if !ok {
		p.lazyTypes[named] = false // recursion: not (yet)
		for m := range named.Methods() {
			if p.c.Summary(m).Param(-1, kindPool).Effect&flow.Fills != 0 {
				lazy = true
				break
			}
		}
		p.lazyTypes[named] = lazy
	}
	if !lazy {
		return "", false
	}
	name := named.Obj().Name()
	if pkg := named.Obj().Pkg(); pkg != nil && pkg != p.c.pass.Pkg {
		name = pkg.Name() + "." + name
	}
	return name, true
}

// setsPoolField reports whether the literal lit gives a value to a field
// that can hold a pool: the holder then may not build its own.
func setsPoolField(c *checker, lit *ast.CompositeLit) bool {
	info := c.pass.TypesInfo
	for _, elt := range lit.Elts {
		v := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			v = kv.Value
		}
		if c.pools.holdsPool(info.TypeOf(v)) {
			return true
		}
	}
	return false
}

// closureField reports whether the func-typed field f is only ever given,
// in this package, function literals that capture the value whose field
// they are set in: calling it calls a closure over the holder, and so
// over its pool (a request, as calling any func value that holds a pool
// is: see Called).
//
//	client.callUnary = func(ctx context.Context, r *Request) (*Response, error) {
//		conn := client.protocolClient.NewConn(ctx)   // the holder's pool
func (p *pools) closureField(f *types.Var) bool {
	if _, ok := f.Type().Underlying().(*types.Signature); !ok {
		return false
	}
	f = f.Origin()
	if held, ok := p.closures[f]; ok {
		return held
	}
	info := p.c.pass.TypesInfo
	held := false
	for _, w := range p.c.Writes().Fields {
		if w.Field == nil || w.Field.Origin() != f {
			continue
		}
		lit := funcLitOf(info, w.RHS)
		base := flow.VarOf(info, w.Base)
		if lit == nil || base == nil || !flow.Mentions(info, lit.Body, base) {
			held = false
			break
		}
		held = true
	}
	if p.closures == nil {
		p.closures = make(map[*types.Var]bool)
	}
	p.closures[f] = held
	return held
}

// selfStore reports whether rhs, stored into lhs, mentions the variable
// lhs selects its field from: a holder given again what it holds
// (a.Client.Transport = a.Transport), not something else.
func selfStore(info *types.Info, lhs, rhs ast.Expr) bool {
	base, _, ok := flow.FieldChain(info, lhs)
	v := flow.VarOf(info, base)
	return ok && v != nil && flow.Mentions(info, rhs, v)
}

// unexportedIface reports whether fn is a method of an unexported
// interface type.
func unexportedIface(fn *types.Func) bool {
	named, ok := types.Unalias(fn.Signature().Recv().Type()).(*types.Named)
	return ok && types.IsInterface(named) && !named.Obj().Exported()
}
