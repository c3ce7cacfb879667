package body

import (
	"bytes"
	"fmt"
	"io"
	"iter"
	"net/http"

	"body/util"
)

// B07: a leak inside a function that returns *http.Response.
func wrapperLeaks() (*http.Response, error) { // want wrapperLeaks:`result0:body`
	resp, err := http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode) // leaks here
	}
	return resp, nil
}

// B08: the caller of a wrapper never closes.
func wrapperCaller() int {
	resp, err := wrapperLeaks() // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

// A wrapper in another package, its fact imported.
func otherPackageWrapper() int {
	resp, err := util.Fetch(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return util.Status(resp) // leaks here
}

func otherPackageWrapperClosed() error {
	resp, err := util.Fetch(u)
	if err != nil {
		return err
	}
	defer util.Close(resp.Body)
	return nil
}

// The result of a wrapper is dropped.
func wrapperDropped() {
	_, _ = util.Fetch(u) // want `the response of util.Fetch is discarded with _`
}

// B09: a wrapper that closes the body and swaps in a NopCloser hands
// over nothing to close (bodyclose #76).
func readNoOp() (*http.Response, error) {
	r, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	return r, nil
}

func nopCloserCaller() int {
	r, err := readNoOp()
	if err != nil {
		return 0
	}
	return r.StatusCode
}

// B22: a retry wrapper over a range-over-func loop (FP10).
func attempts(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func retryIter(c *http.Client, req *http.Request) (*http.Response, error) { // want retryIter:`result0:body`
	var lastErr error
	for range attempts(3) {
		resp, err := c.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		return resp, nil
	}
	return nil, lastErr
}

// A range-over-func loop that drops a response.
func iterLeak(c *http.Client, req *http.Request) { // want iterLeak:`^param0:pool:uses$`
	for range attempts(3) {
		resp, err := c.Do(req) // want `resp.Body is not closed on every path`
		if err != nil {
			continue
		}
		if resp.StatusCode == 200 {
			break // leaks here
		}
		resp.Body.Close()
	}
}

// Named results and naked returns hand the response to the caller.
func named() (resp *http.Response, err error) { // want named:`result0:body`
	resp, err = http.Get(u)
	return
}

// A named result overwritten by an explicit return leaks.
func namedOverwritten() (resp *http.Response, err error) { // want namedOverwritten:`result0:body`
	resp, err = http.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("status %d", resp.StatusCode) // leaks here
	}
	return
}

// A type alias of the response type.
type Resp = http.Response

func aliased(c *http.Client, req *http.Request) (int, error) { // want aliased:`^param0:pool:uses$`
	var r *Resp
	r, err := c.Do(req) // want `r.Body is not closed on every path`
	if err != nil {
		return 0, err
	}
	return r.StatusCode, nil // leaks here
}

// A wrapper that closes on the error path still hands over a fresh
// response on success.
func checked(c *http.Client, req *http.Request) (*http.Response, error) { // want checked:`result0:body`
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

func checkedCaller(req *http.Request) int {
	resp, err := checked(http.DefaultClient, req) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}

// A wrapper that wraps the Body keeps it fresh.
type counting struct {
	io.ReadCloser
	n int
}

func counted(c *http.Client, req *http.Request) (*http.Response, error) { // want counted:`result0:body`
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &counting{ReadCloser: resp.Body}
	return resp, nil
}

// A wrapper that hands the response to a callback first, or to a helper
// that may close it, returns a response whose duty is unknown.
func withCallback(c *http.Client, req *http.Request, handle func(*http.Response) error) (*http.Response, error) { // want withCallback:`^param0:pool:uses$`
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if err := handle(resp); err != nil {
		return nil, err
	}
	return resp, nil
}

func withHelper(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		util.Close(resp.Body)
		resp.Body = http.NoBody
	}
	return resp, nil
}

func unknownDuty(req *http.Request) int {
	resp, err := withCallback(http.DefaultClient, req, nil)
	if err != nil {
		return 0
	}
	resp2, err := withHelper(req)
	if err != nil {
		return 0
	}
	return resp.StatusCode + resp2.StatusCode
}
