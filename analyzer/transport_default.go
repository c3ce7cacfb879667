package analyzer

import (
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
