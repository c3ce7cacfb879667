// Package app calls the helpers of the other packages: the findings
// about them are reported here, through facts.
package app

import (
	"net/http"

	"example.com/leaky/closer"
	"example.com/leaky/remote"
)

// Status never closes the body.
func Status(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// HandedOff closes the body through closer.Close.
func HandedOff(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	defer closer.Close(resp.Body)
	return resp.StatusCode
}

// OnlyRead passes the response to closer.Status, which does not close it.
func OnlyRead(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return closer.Status(resp)
}

// Wrapped gets its response from remote.Fetch and never closes it.
func Wrapped(u string) int {
	resp, err := remote.Fetch(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
