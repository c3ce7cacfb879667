// Package util holds helpers that other fixture packages call, so that
// what they do with a response travels as a fact.
package util

import (
	"io"
	"log"
	"net/http"
)

// Close closes c and logs the error (bodyclose #39).
func Close(c io.Closer) { // want Close:`^param0:body:releases$`
	if err := c.Close(); err != nil {
		log.Printf("close: %v", err)
	}
}

// Status only reads the response: callers keep the duty to close it.
func Status(r *http.Response) int { return r.StatusCode } // want Status:`param0:body:borrows`

// Fetch hands a fresh response to its caller.
func Fetch(u string) (*http.Response, error) { // want Fetch:`result0:body`
	return http.Get(u)
}

// Fatalf never returns.
func Fatalf(format string, args ...any) { // want Fatalf:`noReturn`
	log.Printf(format, args...)
	panic("fatal")
}
