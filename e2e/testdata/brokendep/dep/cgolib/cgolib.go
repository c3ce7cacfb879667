// Package cgolib wraps a C library whose header is not installed: it
// does not build.
package cgolib

// #include "httpleakcheck_missing_header.h"
import "C"

// Version returns the version of the C library.
func Version() int { return int(C.version()) }
