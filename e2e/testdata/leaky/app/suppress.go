package app

import "net/http"

// Ignored leaks, but a directive with a reason suppresses the finding.
func Ignored(u string) int {
	//httpleakcheck:ignore the process exits right after this call
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// NoReason leaks, and its directive, lacking a reason, is reported and
// suppresses nothing.
func NoReason(u string) int {
	//httpleakcheck:ignore
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// NoLint leaks; only golangci-lint honours //nolint.
func NoLint(u string) int {
	resp, err := http.Get(u) //nolint:httpleakcheck // checked by hand
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Stale closes the body: its directive suppresses nothing, which -strict
// reports.
func Stale(u string) int {
	//httpleakcheck:ignore stale: the body is closed below
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
