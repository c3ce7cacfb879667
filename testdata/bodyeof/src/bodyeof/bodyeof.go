// Package bodyeof holds the opt-in bodyeof check's cases: a body read to
// its end and then dropped without a close. Its connection went back to
// the pool at EOF; net/http still asks for the Close.
package bodyeof

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

func ReadAllDropped(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is read to its end but not closed on every path in ReadAllDropped`
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return b, nil // leaks here
}

func CopyDropped(u string) error {
	resp, err := http.Get(u) // want `resp.Body is read to its end but not closed on every path in CopyDropped`
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		resp.Body.Close()
		return err
	}
	return nil // leaks here
}

// The read's failure returned without a close: the body check reports
// that path, which leaks.
func ReadReturned(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in ReadReturned`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body) // leaks here
}

// Closed: nothing to report.
func ReadClosed(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Decoded, not read to its end: a chunked body keeps its connection.
func DecodedDropped(u string) (map[string]any, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in DecodedDropped`
	if err != nil {
		return nil, err
	}
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	return v, nil // leaks here
}

// A helper that panics if it cannot read it to its end.
func mustRead(resp *http.Response) []byte { // want mustRead:`^param0:body:drains$`
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	return b
}

func MustReadDropped(u string) string {
	resp, err := http.Get(u) // want `resp.Body is read to its end but not closed on every path in MustReadDropped`
	if err != nil {
		return ""
	}
	return string(mustRead(resp)) // leaks here
}

// A helper that reads the body to its end and returns the response: its
// connection is back in the pool, the Close is the caller's to make.
func getBody(u string) (*http.Response, []byte) { // want getBody:`^result0:body,drained$`
	resp, err := http.Get(u)
	if err != nil {
		panic(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	return resp, b
}

func GotBodyDiscarded(u string) []byte {
	_, b := getBody(u) // want `the response of getBody is discarded with _, so its Body is never closed: getBody read it to its end`
	return b
}

func GotBodyDropped(u string) int {
	resp, b := getBody(u)           // want `resp.Body is read to its end but not closed on every path in GotBodyDropped`
	return resp.StatusCode + len(b) // leaks here
}

// A helper that returns the response before it reads it on one path:
// its callers must close it, and the body check holds them to it.
func getMaybeBody(u string, read bool) (*http.Response, []byte) { // want getMaybeBody:`^result0:body$`
	resp, err := http.Get(u)
	if err != nil {
		panic(err)
	}
	if !read {
		return resp, nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		panic(err)
	}
	return resp, b
}

func MaybeBodyDropped(u string) int {
	resp, _ := getMaybeBody(u, true) // want `resp.Body is not closed on every path in MaybeBodyDropped`
	return resp.StatusCode           // leaks here
}
