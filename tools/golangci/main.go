// Command golangci-lint is golangci-lint v2 with the httpleakcheck
// module plugin linked in: what `golangci-lint custom` builds from the
// .custom-gcl.yml in README.md, without cloning golangci-lint.
// The e2e tests of the root module build and run it.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/httpleakcheck/httpleakcheck/plugin" // registers the httpleakcheck linter
)

func main() {
	info := commands.BuildInfo{GoVersion: runtime.Version(), Version: version(), Commit: "n/a", Date: "n/a"}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "golangci-lint: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// version returns "<golangci-lint version>-httpleakcheck-<hash of this
// binary>". golangci-lint salts its results cache with the version, so
// it must change whenever the plugin does; "(devel)" makes golangci-lint
// hash the binary itself.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/golangci/golangci-lint/v2" {
				v = d.Version
			}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "(devel)"
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		return "(devel)"
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s-httpleakcheck-%x", v, sum[:6])
}
