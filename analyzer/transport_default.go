package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// defaultCond returns the condition under which the pool built at cur,
// a default built whatever the caller passes, reaches lf's result: it
// gets there only through a parameter, stored there only where the
// parameter, or a field of it, is nil (a default for what the caller
// left out), or returned only where the parameter is nil. The pool then
// reaches the result when the deepest of those fields is nil, a nil
// parameter having nil fields:
//
//	func NewClient(c *Config) (*Client, error) {
//		def := DefaultConfig()                  // a pooled client of its own
//		if c == nil { c = def }
//		if c.HTTP == nil { c.HTTP = def.HTTP }
//		if c.HTTP.Transport == nil { c.HTTP.Transport = def.HTTP.Transport }
//		return &Client{config: c}, nil          // result0:pool@config.HTTP.Transport,when(!p0.HTTP.Transport)
//
//	if c != nil { ...; return &Client{config: c} }
//	return &Client{config: def}                  // where c is nil
//
// ok is false if the pool reaches the result otherwise, or is stored
// into a parameter, or returned, under any other test.
func defaultCond(c *checker, lf *flow.Func, cur inspector.Cursor, src poolSource) (when flow.Condition, ok bool) {
	fl := c.Follow(c.pools.spec, lf.Cur(), cur, src.result, src.at, flow.TrustCalls|flow.CutParams)
	if fl.Escapes || len(fl.Cut) == 0 {
		return flow.Condition{}, false
	}
	for _, exit := range fl.Cut {
		at, found := lf.Cur().FindNode(exit)
		if !found {
			return flow.Condition{}, false
		}
		w, ok := c.Guard(lf.Cur(), at)
		if !ok || w.NonZero || w.Const != "" {
			return flow.Condition{}, false // not a nil test
		}
		switch {
		case when.Param == 0 || within(when, w):
			when = w
		case !within(w, when):
			return flow.Condition{}, false // tests of unrelated fields
		}
	}
	return when, true
}

// within reports whether w tests a field path inside what inner tests:
// the same parameter, at a path that starts with inner's.
func within(inner, w flow.Condition) bool {
	return inner.Param == w.Param && fieldWithin(inner.Field, w.Field)
}

// fieldWithin reports whether the field path path (fields joined by
// dots; "" for the value itself) is inner or a field inside it.
func fieldWithin(inner, path string) bool {
	return inner == "" || path == inner || strings.HasPrefix(path, inner+".")
}

// usedOnlyWhen returns the test under which lf uses, keeps or returns
// the pool that its parameter v holds at field: a default that another
// field of v overrides, as a config's Transport serves only a config
// without a client of its own. ok is false if lf may use it otherwise.
//
//	if c.HTTPClient == nil {
//		c.HTTPClient = &http.Client{Transport: c.Transport}   // c.Transport: only when !p0.HTTPClient
//	}
func usedOnlyWhen(c *checker, lf *flow.Func, v *types.Var, field string) (when flow.Condition, ok bool) {
	fl := c.FollowVar(c.pools.spec, lf.Cur(), v, flow.SplitPath(field), flow.TrustCalls|flow.CutParams)
	if fl.Escapes || fl.Released || len(fl.Cut)+len(fl.Uses) == 0 {
		return flow.Condition{}, false
	}
	for _, n := range append(fl.Cut, fl.Uses...) {
		if ret, ok := n.(*ast.ReturnStmt); ok && keepsWhole(c, lf, ret, v, field) {
			continue // &Client{config: *c}: kept where it was, for the result's methods to use or not
		}
		at, found := lf.Cur().FindNode(n)
		if !found {
			return flow.Condition{}, false
		}
		w, ok := c.Guard(lf.Cur(), at)
		if !ok || w.NonZero || w.Const != "" || when.Param != 0 && w != when || fieldWithin(field, w.Field) || fieldWithin(w.Field, field) {
			return flow.Condition{}, false // not one nil test of another field
		}
		when = w
	}
	return when, when.Param == flow.ParamIndex(lf.Node(), v)+1
}

// keepsWhole reports whether ret returns v itself, or a copy of what it
// points to, and does not select field from it: the pool stays where it
// was, in a config the result keeps whole.
func keepsWhole(c *checker, lf *flow.Func, ret *ast.ReturnStmt, v *types.Var, field string) bool {
	at, ok := lf.Cur().FindNode(ret)
	if !ok {
		return false
	}
	whole := false
	for cur := range at.Preorder((*ast.Ident)(nil)) {
		if c.pass.TypesInfo.Uses[cur.Node().(*ast.Ident)] != v {
			continue
		}
		sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
		if ok && sel.Sel.Name == flow.SplitPath(field)[0] {
			return false // &Client{hc: &http.Client{Transport: c.Transport}, cfg: c}: used here
		}
		whole = whole || !ok
	}
	return whole
}

// overridden returns the field of lf's parameter v, a pointer to a
// struct, whose pool lf uses only under a nil test of another field
// (usedOnlyWhen), and that test.
func overridden(c *checker, lf *flow.Func, v *types.Var) (string, flow.Condition, bool) {
	ptr, ok := v.Type().Underlying().(*types.Pointer)
	if !ok {
		return "", flow.Condition{}, false
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok {
		return "", flow.Condition{}, false
	}
	var pooled []*types.Var
	for f := range st.Fields() {
		if c.pools.holdsPool(f.Type()) {
			pooled = append(pooled, f)
		}
	}
	if len(pooled) < 2 {
		return "", flow.Condition{}, false // nothing to override it with
	}
	for _, f := range pooled {
		if when, ok := usedOnlyWhen(c, lf, v, f.Name()); ok {
			return f.Name(), when, true
		}
	}
	return "", flow.Condition{}, false
}

// zeroFields returns the fields of lf's result idx, a struct or a
// pointer to one, that every return leaves zero, joined by commas: a
// default config that leaves the client out, for the constructor it is
// given to to build one (fact zero(HttpClient)). A field that is a
// struct, zero in part only, gives the paths of its zero fields
// (cfg.HTTPClient,cfg.Insecure: a builder whose config a Build tests).
//
//	func DefaultConfig() *Config {
//		config := &Config{Address: "http://127.0.0.1:4646"}
//		if addr := os.Getenv("NOMAD_ADDR"); addr != "" {
//			config.Address = addr
//		}
//		return config
func zeroFields(c *checker, lf *flow.Func, idx int) string {
	t := lf.Sig().Results().At(idx).Type()
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	rets := flow.ReturnsOf(lf.Body())
	if len(rets) == 0 {
		return ""
	}
	for _, ret := range rets {
		if len(ret.Results) != lf.Sig().Results().Len() || !onlyFieldsOf(c, lf.Cur(), ret.Results[idx]) {
			return ""
		}
	}
	zeroAt := func(path []string) bool {
		for _, ret := range rets {
			if z, known := c.ZeroAt(ret.Results[idx], path, ret); !known || !z {
				return false
			}
		}
		return true
	}
	return strings.Join(zeroPaths(t, nil, zeroAt), ",")
}

// zeroPaths returns the paths under prefix of the fields of the struct
// type t that zero says are zero, a struct field's own when it is zero
// whole, else those inside it (two levels deep at most).
func zeroPaths(t types.Type, prefix []string, zero func([]string) bool) []string {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var out []string
	for f := range st.Fields() {
		path := append(slices.Clone(prefix), f.Name())
		switch {
		case zero(path):
			out = append(out, strings.Join(path, "."))
		case len(prefix) == 0 && flow.IsStructType(f.Type()) && !flow.IsPointerType(f.Type()):
			out = append(out, zeroPaths(f.Type(), path, zero)...)
		}
	}
	return out
}

// onlyFieldsOf reports whether e is not a local variable of lf, or one
// that lf only selects fields of (no method, no hand-off, no address of
// a field): then the assignments to its fields say what it holds.
func onlyFieldsOf(c *checker, fn inspector.Cursor, e ast.Expr) bool {
	info := c.pass.TypesInfo
	v := flow.VarOf(info, e)
	if v == nil {
		return true // nil, a literal, a call: ZeroAt reads them
	}
	for use := range identUses(c, fn, v) {
		switch p := use.Parent().Node().(type) {
		case *ast.ReturnStmt:
		case *ast.SelectorExpr:
			if sel := info.Selections[p]; sel == nil || sel.Kind() != types.FieldVal {
				return false // a method: it may set the field
			}
			if u, ok := use.Parent().Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
				return false // &c.HTTPClient: set through the pointer, maybe
			}
		default:
			return false
		}
	}
	return true
}
