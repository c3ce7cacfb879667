// Package app type-checks, but imports two packages that do not build:
// it is analyzed all the same, with the facts of remote, and none of
// cgolib or typo.
package app

import (
	"net/http"

	"example.com/brokendep/remote"
	"example.com/dep/cgolib"
	"example.com/dep/typo"
)

// Direct never closes the body.
func Direct(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode + cgolib.Version()
}

// Wrapped gets a fresh response from remote.Fetch (a fact) and never
// closes it.
func Wrapped(u string) int {
	resp, err := remote.Fetch(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// FromTypo gets its response from a package that does not type-check:
// without its facts, nothing is known of typo.Fetch, and nothing is
// reported.
func FromTypo(u string) int {
	resp, err := typo.Fetch(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
