package analyzer

import (
	"go/ast"
	"go/types"
)

// checkTransport reports transports built per call and dropped.
func (c *checker) checkTransport() {}

// summarizeTransport records in f whether fn returns a fresh transport.
func (c *checker) summarizeTransport(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {}
