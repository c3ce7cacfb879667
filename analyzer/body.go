package analyzer

import (
	"go/ast"
	"go/types"
)

// checkBody reports responses whose Body is not closed on every path.
func (c *checker) checkBody() {}

// summarizeBorrows records in f the parameters that fn only reads.
func (c *checker) summarizeBorrows(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {}

// summarizeResponse records in f a result of fn that is a fresh response.
func (c *checker) summarizeResponse(fn *types.Func, fd *ast.FuncDecl, f *funcFact) {}
