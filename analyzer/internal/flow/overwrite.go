package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// This file holds what Follow knows of order: a variable given another
// value (c = c.WithClient(shared)) no longer holds the one followed, so
// its uses that only come after that assignment are not uses of it.

// An overwrite is an assignment v = x, a statement of a block, that may
// give the variable v another value than the one followed.
type overwrite struct {
	v    *types.Var
	stmt inspector.Cursor // the assignment
}

// overwrites keeps the stores of the followed value into variables and
// the uses that an overwrite hides, until the flow knows whether the
// overwrite stores the value again (b = b.Timeout(d), where Timeout
// returns its receiver).
type overwrites struct {
	stores []varStore
	hidden []hiddenUse
}

// A varStore is a node that stores the followed value into v.
type varStore struct {
	v *types.Var
	n ast.Node
}

// A hiddenUse is a use of a variable that only the overwrite over
// reaches.
type hiddenUse struct {
	item flowItem
	over overwrite
}

// stored notes that n stores the value into v.
func (o *overwrites) stored(v *types.Var, n ast.Node) {
	if n != nil {
		o.stores = append(o.stores, varStore{v, n})
	}
}

// overwritesOf returns the assignments among uses, the uses of v in fn,
// that are statements of a block and give v a value not known to be
// the followed one (store put it there; v is a parameter, followed from
// the function's entry, when store is nil).
func overwritesOf(fn inspector.Cursor, v *types.Var, uses []inspector.Cursor, store ast.Node) []overwrite {
	if store == nil && v.Kind() == types.LocalVar {
		return nil // followed from no known point: whatever it holds where its caller looks (an option applied to it)
	}
	var overs []overwrite
	for _, use := range uses {
		if use.ParentEdgeKind() != edge.AssignStmt_Lhs {
			continue
		}
		as := use.Parent()
		if tok := as.Node().(*ast.AssignStmt).Tok; as.Node() == store || tok != token.ASSIGN && tok != token.DEFINE {
			continue // the store itself, or v op= x
		}
		if encl, _ := EnclosingFunc(as); encl != fn || StmtList(as.Parent().Node()) == nil {
			continue
		}
		overs = append(overs, overwrite{v, as})
	}
	return overs
}

// hide returns the overwrite among overs that every path to use passes
// through: a statement of the same block before the statement that holds
// use, with no label between them that a goto could enter by.
func hide(overs []overwrite, use inspector.Cursor) (overwrite, bool) {
	for _, ov := range overs {
		block := ov.stmt.Parent()
		cur := use
		for cur.Node() != nil && cur.Parent() != block {
			cur = cur.Parent()
		}
		if cur.Node() == nil {
			continue
		}
		list := StmtList(block.Node())
		_, from := ov.stmt.ParentEdge()
		_, to := cur.ParentEdge()
		if from < to && !slices.ContainsFunc(list[from+1:to+1], func(s ast.Stmt) bool {
			_, ok := s.(*ast.LabeledStmt)
			return ok
		}) {
			return ov, true
		}
	}
	return overwrite{}, false
}

// revive returns the hidden uses whose overwrite turned out to store the
// value, or that a store of it comes between, and forgets them.
func (o *overwrites) revive() []flowItem {
	var back []flowItem
	o.hidden = slices.DeleteFunc(o.hidden, func(h hiddenUse) bool {
		from, to := h.over.stmt.Node(), h.item.cur.Node().Pos()
		if slices.ContainsFunc(o.stores, func(s varStore) bool {
			return s.v == h.over.v && (s.n == from || s.n.Pos() >= from.End() && s.n.Pos() < to)
		}) {
			back = append(back, h.item)
			return true
		}
		return false
	})
	return back
}
