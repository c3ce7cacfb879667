package flow

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
)

// This file holds the Condition of a summary's effect, and what can be
// said of two of them together.

// A Condition says when an effect happens: when a parameter, or the
// field at a path inside it, is non-zero (or zero). The zero condition
// (Param 0) holds always.
type Condition struct {
	Param   int    // 1 + the index of the parameter; 0: always; -1: the receiver (see RecvGuard)
	Field   string // the fields selected from it, joined by dots; "": the parameter itself
	NonZero bool   // the effect happens when it is non-zero (or differs from Const); when it is zero (equals Const) if false
	Const   string // if not empty: the constant it is compared with, as go/constant writes it ("HEAD" in quotes)
	// Negative: the effect happens when it is a negative number (a
	// period that turns a feature off); NonZero and Const are unused.
	Negative bool
}

func (w Condition) String() string {
	if w.Param == 0 {
		return ""
	}
	s := fmt.Sprintf("p%d", w.Param-1)
	if w.Param < 0 {
		s = "recv"
	}
	if w.Field != "" {
		s += "." + w.Field
	}
	switch {
	case w.Negative:
		s += "<0"
	case w.Const != "" && w.NonZero:
		s += "!=" + w.Const
	case w.Const != "":
		s += "==" + w.Const
	case !w.NonZero:
		s = "!" + s
	}
	return s
}

// depth returns how many fields w selects from its parameter.
func (w Condition) depth() int {
	if w.Field == "" {
		return 0
	}
	return strings.Count(w.Field, ".") + 1
}

// Not returns the negation of w (which must not be always).
func (w Condition) Not() Condition { w.NonZero = !w.NonZero; return w }

// Or returns the condition that holds when w or o does, if one of them
// says it: two tests that a parameter, or a field inside it, is zero,
// one inside the other, hold together where the deeper one does (a nil
// parameter has nothing in its fields).
//
//	if hc == nil { build() } else { wrap(hc) }    // when(!p0), when(!p0.Transport)
func (w Condition) Or(o Condition) (Condition, bool) {
	if w.depth() > o.depth() {
		w, o = o, w
	}
	switch {
	case w == o:
		return w, true
	case w.Param == 0 || w.Param != o.Param || w.NonZero || o.NonZero || w.Const != "" || o.Const != "":
		return Condition{}, false
	case w.Field == "" || strings.HasPrefix(o.Field, w.Field+"."):
		return o, true
	}
	return Condition{}, false
}

// CondArg returns the expression of call that w tests: the argument of
// its parameter, or the receiver of a method call; nil if call has none.
func CondArg(info *types.Info, call *ast.CallExpr, w Condition) ast.Expr {
	if w.Param < 0 {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if s, ok := info.Selections[sel]; !ok || s.Kind() != types.MethodVal {
			return nil
		}
		return sel.X
	}
	if w.Param == 0 || w.Param > len(call.Args) {
		return nil
	}
	return call.Args[w.Param-1]
}
