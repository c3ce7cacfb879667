// Package body holds the body check's fixtures: responses whose Body is
// not closed on some path. A "leaks here" comment marks the exit that
// each diagnostic's related information must point at.
package body

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

const u = "http://127.0.0.1:1/"

// B01: never closed.
func neverClosed() int {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

// B02: the response is discarded with _.
func discarded() error {
	_, err := http.Get(u) // want `the response of http.Get is discarded with _`
	return err
}

// The response is dropped by an expression statement or a go statement.
func dropped(c *http.Client, req *http.Request) { // want dropped:`^param0:pool:uses$`
	c.Do(req)      // want `the response of c.Do is dropped`
	go http.Get(u) // want `the response of http.Get is dropped by the go statement`
}

// B03: closed only under an if.
func closedUnderIf() {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
	}
} // leaks here

// B04: a status check returns before the defer.
func earlyReturn() error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New("bad status") // leaks here
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}

// B18: closed only on the error path of a status check.
func closedOnErrorPathOnly() (string, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		resp.Body.Close()
		return "", errors.New("bad")
	}
	return resp.Status, nil // leaks here
}

// The close is skipped when decoding fails.
func decodeFails(c *http.Client) (map[string]any, error) { // want decodeFails:`^param0:pool:uses$`
	resp, err := c.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return nil, err
	}
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return nil, err // leaks here
	}
	resp.Body.Close()
	return v, nil
}

// A switch closes in some cases only.
func switchSomeCases() {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return
	}
	switch resp.StatusCode {
	case 200:
		resp.Body.Close()
	case 404:
		return // leaks here
	default:
		resp.Body.Close()
	}
}

// B20: the body is passed to a helper that only reads it.
func readOnly(r io.Reader) { _, _ = io.ReadAll(r) }

func passedToReader() {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return
	}
	readOnly(resp.Body)
} // leaks here

// A helper of this package that takes the response and only reads it.
func status(r *http.Response) int { return r.StatusCode } // want status:`param0:body:borrows`

func passedToBorrower() int {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return status(resp) // leaks here
}

// B21: continue skips the close in a loop.
func continueSkips(urls []string) {
	for _, x := range urls {
		resp, err := http.Get(x) // want `resp.Body is not closed on every path`
		if err != nil {
			continue
		}
		if resp.StatusCode != 200 {
			continue // leaks here
		}
		resp.Body.Close()
	}
}

// B11: a retry loop drops the responses of failed attempts.
func retry(c *http.Client, req *http.Request) error { // want retry:`^param0:pool:uses$`
	for i := 0; i < 3; i++ {
		resp, err := c.Do(req) // want `resp.Body is not closed on every path`
		if err != nil {
			continue
		}
		if resp.StatusCode == http.StatusOK {
			defer resp.Body.Close()
			return nil
		}
	} // leaks here
	return errors.New("gave up")
}

// The variable is reused for a second request while the first is open.
func reused() error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return err
	}
	fmt.Println(resp.Status)
	resp, err = http.Get(u + "again") // leaks here
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// An err check through && still lets a non-nil response through.
func orCondition() error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("failed: %v", err) // leaks here
	}
	return resp.Body.Close()
}

// The error is ignored with _, so nothing says the call failed.
func errIgnored() {
	resp, _ := http.Get(u) // want `resp.Body is not closed on every path.*check the error the call returns \(discarded here\), then defer resp.Body.Close\(\)$`
	fmt.Println(resp.Status)
} // leaks here

// A wrapper that returns the response alone: there is no error to check.
func onlyResponse() *http.Response { // want onlyResponse:`^result0:body$`
	resp, err := http.Get(u)
	if err != nil {
		return nil
	}
	return resp
}

func noErrorToCheck() int {
	resp := onlyResponse() // want `resp.Body is not closed on every path.*e.g. defer resp.Body.Close\(\) right after the call$`
	if resp == nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

// A RoundTrip called directly produces a response too.
func roundTrip(rt http.RoundTripper, req *http.Request) int { // want roundTrip:`^param0:pool:uses$`
	resp, err := rt.RoundTrip(req) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

func transportRoundTrip(t *http.Transport, req *http.Request) int { // want transportRoundTrip:`^param0:pool:uses$`
	resp, err := t.RoundTrip(req) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

// The response is discarded in an if statement's init.
func discardedInIf(c *http.Client, req *http.Request) error { // want discardedInIf:`^param0:pool:uses$`
	if _, err := c.Do(req); err != nil { // want `the response of c.Do is discarded with _`
		return err
	}
	return nil
}

// Near misses of the idiom "if err != nil { ... }; defer resp.Body.Close()",
// which the check accepts without a search: each is searched and leaks.

// The error check has an else branch that returns.
func idiomElse(u string) error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in idiomElse: the connection leaks`
	if err != nil {
		return err
	} else if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode) // leaks here
	}
	defer resp.Body.Close()
	return nil
}

// The defer closes another response.
func idiomOther(u string, other *http.Response) error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return err
	}
	defer other.Body.Close()
	fmt.Println(resp.Status)
	return nil // leaks here
}

// The check is on another error.
func idiomOtherErr(u string, prev error) error {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if prev != nil {
		return prev // leaks here
	}
	defer resp.Body.Close()
	return err
}

// Leaks in case clauses (the fix goes after the error check there too).
func inCase(kind int) int {
	switch kind {
	case 1, 2:
		resp, err := http.Get(u) // want `resp.Body is not closed on every path`
		if err != nil {
			return 0
		}
		return resp.StatusCode // leaks here
	}
	return 0
}

func inSelect(ch chan string) int {
	select {
	case addr := <-ch:
		resp, err := http.Get(addr) // want `resp.Body is not closed on every path`
		if err != nil {
			return 0
		}
		return resp.StatusCode // leaks here
	}
	return 0
}

func inSelectDefault(ch chan string) int {
	select {
	case <-ch:
		return 0
	default:
		resp, err := http.Get(u) // want `resp.Body is not closed on every path`
		if err != nil {
			return 0
		}
		return resp.StatusCode // leaks here
	}
}

// Messages name the function (a method by its type), so that findings in
// different functions read differently.
type service struct{ c *http.Client }

func (a *service) status(u string) (int, error) { // want status:`^recv:pool:uses$`
	resp, err := a.c.Get(u) // want `resp.Body is not closed on every path in service.status: `
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

type pager[T any] struct {
	c    *http.Client
	last T
}

func (p *pager[T]) next(u string) (int, error) { // want next:`^recv:pool:uses$`
	resp, err := p.c.Get(u) // want `resp.Body is not closed on every path in pager.next: `
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}
