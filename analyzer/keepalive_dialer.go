package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/nethttp"
)

// This file reads, for the keepalive check, what a net.Dialer built in
// this package does with TCP keep-alive: its literal and the writes to
// the variable that holds it.

// dialerLitToggle returns the toggle that turns off TCP keep-alive on a
// net.Dialer built by lit (if not nil) and held in v (if not nil), or nil.
// Per net's documentation, probes are off when KeepAlive is negative and
// KeepAliveConfig.Enable is false, so every write to KeepAlive must be a
// negative constant (or the last one, a statement, where it runs) and
// every write to KeepAliveConfig must leave Enable false. KeepAliveConfig{Enable: false} with a KeepAlive of zero turns
// nothing off (probes run at the default period), so it is not a toggle.
// The toggle is the first write to KeepAlive.
func dialerLitToggle(c *checker, lit *ast.CompositeLit, v *types.Var) ast.Node {
	info := c.pass.TypesInfo
	var keepAlive []ast.Node // KeyValueExpr or AssignStmt
	var values []ast.Expr
	if lit != nil {
		kvs, configOn := nethttp.DialerLitKeepAlive(info, lit, c.setOnce)
		if configOn {
			return nil // probes configured, or unknown
		}
		for _, kv := range kvs {
			keepAlive = append(keepAlive, kv)
			values = append(values, kv.Value)
		}
	}
	if v != nil {
		for _, w := range keepAliveWrites(c, v) {
			switch {
			case flow.IsFieldOf(w.Field, "net", "Dialer", "KeepAlive"):
				keepAlive = append(keepAlive, w.Stmt)
				values = append(values, w.RHS)
			case flow.IsFieldOf(w.Field, "net", "Dialer", "KeepAliveConfig"):
				if w.RHS == nil || !nethttp.IsConfigOff(info, c.setOnce(w.RHS)) {
					return nil
				}
			default: // KeepAliveConfig.Enable
				if w.RHS == nil || !flow.IsFalse(info, w.RHS) {
					return nil
				}
			}
		}
	}
	if len(keepAlive) == 0 {
		return nil // KeepAlive zero: default probes
	}
	if last := len(values) - 1; last > 0 && values[last] != nil && negativeValue(c, values[last]) {
		if _, set := keepAlive[last].(*ast.AssignStmt); set {
			// Set negative after the others, where it runs (under a flag,
			// say): d := &net.Dialer{KeepAlive: 30 * time.Second}; if !on { d.KeepAlive = -1 }
			return keepAlive[last]
		}
	}
	for _, val := range values {
		if val == nil || !negativeValue(c, val) {
			return nil // a non-negative or unknown period somewhere
		}
	}
	return keepAlive[0]
}

// keepAliveWrites returns the package's writes to the KeepAlive, the
// KeepAliveConfig or the KeepAliveConfig.Enable of the dialer in v.
func keepAliveWrites(c *checker, v *types.Var) []flow.Write {
	info := c.pass.TypesInfo
	var out []flow.Write
	for _, w := range c.Writes().Fields {
		base := w.Base
		if flow.IsFieldOf(w.Field, "net", "KeepAliveConfig", "Enable") {
			sel, ok := ast.Unparen(base).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			base = sel.X
		} else if !flow.IsFieldOf(w.Field, "net", "Dialer", "KeepAlive") && !flow.IsFieldOf(w.Field, "net", "Dialer", "KeepAliveConfig") {
			continue
		}
		if flow.VarOf(info, base) == v {
			out = append(out, w)
		}
	}
	return out
}

// negativeValue reports whether e is a negative constant, or a variable
// or a field of one that holds one for good (see setOnce, fieldOrigin):
//
//	cfg := upstream{KeepAlive: -time.Second}
//	d := &net.Dialer{KeepAlive: cfg.KeepAlive}
func negativeValue(c *checker, e ast.Expr) bool {
	for range kaMaxDepth {
		if flow.IsNegative(c.pass.TypesInfo, e) {
			return true
		}
		next := c.setOnce(e)
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok && next == e {
			next = fieldOrigin(c, sel)
		}
		if next == nil || next == e {
			return false
		}
		e = next
	}
	return false
}

// setOnce returns the value that e holds when it is a variable set once,
// where it is declared, whose fields the package never sets nor hands
// out the address of (cfg := net.KeepAliveConfig{Enable: false}); e
// otherwise.
func (c *checker) setOnce(e ast.Expr) ast.Expr {
	v := flow.VarOf(c.pass.TypesInfo, e)
	if rhs, _, ok := c.Origin(v); ok && rhs != nil && !c.FieldsWritten(v) && !c.Writes().Addressed[v] {
		return rhs
	}
	return e
}
