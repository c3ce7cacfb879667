package analyzer

import (
	"go/ast"
	"go/types"
)

// checkKeepAlive reports dialers that turn off TCP keep-alive on a
// Transport that still pools connections.
func (c *checker) checkKeepAlive() {}

// summarizeKeepAlive records in f whether fn is a dial func that turns
// off TCP keep-alive.
func (c *checker) summarizeKeepAlive(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {}
