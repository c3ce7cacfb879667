package body

import (
	"errors"
	"io"
	"net/http"
)

// A close under a condition on flags or counters: the path that skips it
// depends on values we cannot follow, so it is trusted (elastic-style
// retry loop).
func retryOnStatus(c *http.Client, req *http.Request, codes []int, max int) (*http.Response, error) { // want retryOnStatus:`^param0:pool:uses$`
	var res *http.Response
	var err error
	for i := 0; i <= max; i++ {
		var retry, closeBody bool
		res, err = c.Do(req)
		if err != nil {
			retry = true
		} else {
			for _, code := range codes {
				if res.StatusCode == code {
					retry, closeBody = true, true
				}
			}
		}
		if !retry {
			break
		}
		if closeBody && i < max {
			if res.Body != nil {
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
			}
		}
	}
	return res, err
}

// A close on a path that leaves is no guard: the success path still leaks.
func check(r *http.Response) error { // want check:`param0:body:borrows`
	if r.StatusCode != 200 {
		return errors.New("bad status")
	}
	return nil
}

func closeOnFailureOnly(c *http.Client) error { // want closeOnFailureOnly:`^param0:pool:uses$`
	resp, err := c.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return err
	}
	if err := check(resp); err != nil {
		resp.Body.Close()
		return err
	}
	return nil // leaks here
}

// Responses without a body for the caller: 204, 304.
func noContent(c *http.Client) (string, error) { // want noContent:`^param0:pool:uses$`
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	if resp.StatusCode == http.StatusNotModified || resp.StatusCode == http.StatusNoContent {
		return "", nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// The same tests in a switch on the status: a case compares it with
// the tag.
func noContentSwitch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusNoContent, http.StatusNotModified:
		return nil, nil
	case http.StatusSwitchingProtocols:
		return nil, errors.New("upgraded")
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// A case of another status leaves the body open.
func notFoundSwitch(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in notFoundSwitch`
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNoContent:
		return nil, nil
	case http.StatusNotFound:
		return nil, errors.New("not found") // leaks here
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// A checker that reads the response in a deferred closure and through an
// io.LimitedReader only borrows it (moby-style).
func checkErr(r *http.Response) (retErr error) { // want checkErr:`param0:body:borrows`
	if r.StatusCode < 400 {
		return nil
	}
	defer func() {
		if retErr != nil && r.StatusCode == 404 {
			retErr = errors.New("not found")
		}
	}()
	lr := &io.LimitedReader{R: r.Body, N: 1 << 20}
	b, err := io.ReadAll(lr)
	if err != nil {
		return err
	}
	return errors.New(string(b))
}

func send(c *http.Client, req *http.Request) (*http.Response, error) { // want send:`result0:body`
	resp, err := c.Do(req)
	if err != nil {
		return resp, err
	}
	return resp, checkErr(resp)
}

func sendCaller(req *http.Request) error {
	resp, err := send(http.DefaultClient, req) // want `resp.Body is not closed on every path`
	if err != nil {
		return err
	}
	defer func() { println(resp.StatusCode) }()
	return nil // leaks here
}
