package nethttp

import (
	"go/types"
	"slices"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// Hooks tell the engine (flow.Hooks) what the standard library and the
// testing package do: which calls never return, which fail a test, which
// only read their arguments, and which keep one in another.
type Hooks struct{}

// NeverReturns reports whether a call of fn never returns normally:
// os.Exit, log.Fatal and log.Panic (and a Logger's), runtime.Goexit, and
// the methods of testing that stop a test (Fatal, FailNow, Skip...).
func (Hooks) NeverReturns(fn *types.Func) bool {
	return flow.IsFunc(fn, "os", "Exit") ||
		flow.IsFunc(fn, "syscall", "Exit") ||
		flow.IsFunc(fn, "runtime", "Goexit") ||
		flow.IsFunc(fn, "log", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln") ||
		flow.IsMethod(fn, "log", "Logger", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln") ||
		isTestingMethod(fn, "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow")
}

// FailsTest reports whether fn marks a test as failed and goes on
// (t.Error, t.Errorf, t.Fail).
func (Hooks) FailsTest(fn *types.Func) bool { return isTestingMethod(fn, "Error", "Errorf", "Fail") }

// OnlyReads reports whether fn is known to only read its arguments: the
// fmt and log printers, the testing loggers, and httputil.DumpResponse
// (which drains the body and puts a copy back, so the caller's duty to
// close is unchanged).
func (Hooks) OnlyReads(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt":
		return true
	case "log", "testing":
		switch fn.Name() {
		case "Print", "Printf", "Println", "Log", "Logf", "Error", "Errorf", "Output":
			return true
		}
	case "net/http/httputil":
		return fn.Name() == "DumpResponse"
	}
	return false
}

// Drains reports whether a call of fn reads its argument arg to its end
// when it returns a nil error, and does nothing else with it: io.ReadAll
// (and ioutil's), io.Copy and io.CopyBuffer of their source.
func (Hooks) Drains(fn *types.Func, arg int) bool {
	switch {
	case flow.IsFunc(fn, "io", "ReadAll"), flow.IsFunc(fn, "io/ioutil", "ReadAll"):
		return arg == 0
	case flow.IsFunc(fn, "io", "Copy", "CopyBuffer"):
		return arg == 1
	}
	return false
}

// EndsAtEOF reports whether fn, a method of a standard-library decoder
// or buffered reader, returns io.EOF only once the reader it was made
// over has returned io.EOF: a loop that decodes until then has read the
// body to its end, and its connection is back in the pool. This is a
// list because it is a promise of the method's documentation, not of
// its types or of anything a summary can see: a framed reader may stop
// before its reader's end (tar.Reader.Next at the archive's end marker,
// multipart.Reader.NextPart at the closing boundary, io.LimitReader at
// its limit), and is not listed.
func (Hooks) EndsAtEOF(fn *types.Func) bool {
	switch {
	case flow.IsMethod(fn, "encoding/json", "Decoder", "Decode", "Token"),
		flow.IsMethod(fn, "encoding/xml", "Decoder", "Decode", "Token", "RawToken"),
		flow.IsMethod(fn, "encoding/gob", "Decoder", "Decode"),
		flow.IsMethod(fn, "encoding/csv", "Reader", "Read"),
		flow.IsMethod(fn, "bufio", "Reader", "Read", "ReadByte", "ReadBytes", "ReadLine", "ReadRune", "ReadSlice", "ReadString"):
		return true
	}
	return false
}

// StoresInto reports whether a call of fn keeps its argument arg in what
// its parameter holder holds (-1: its receiver), and only there:
// Transport.RegisterProtocol keeps its round tripper in the Transport,
// in a copy of a map stored in an atomic.Value, which no summary follows
// (sync/atomic stores through unsafe pointers).
func (Hooks) StoresInto(fn *types.Func, arg int) (int, bool) {
	if flow.IsMethod(fn, "net/http", "Transport", "RegisterProtocol") && arg == 1 {
		return -1, true
	}
	return 0, false
}

// isTestingMethod reports whether fn is a method of the testing package
// named one of names (of T, B, F or TB).
func isTestingMethod(fn *types.Func, names ...string) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "testing" && fn.Signature().Recv() != nil && slices.Contains(names, fn.Name())
}
