package body

import (
	"encoding/json"
	"net/http"
)

// Shapes of leaks found in real modules (see docs/real-world.md).

func closeResp(r *http.Response) { // want closeResp:`^param0:body:releases$`
	if r != nil && r.Body != nil {
		r.Body.Close()
	}
}

// A retry after a deferred close: the deferred call captured the first
// response, so the second one leaks.
func retryAfterDefer(c *http.Client, req *http.Request) error { // want retryAfterDefer:`^param0:pool:uses$`
	resp, err := c.Do(req)
	defer closeResp(resp)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		resp, err = c.Do(req) // want `resp.Body is not closed on every path`
	}
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(new(any)) // leaks here
}

type result struct{ *http.Response }

// A redirect is followed, but the result still wraps the first response
// and the second one is dropped.
func followRedirect(c *http.Client, req *http.Request) (*result, error) { // want followRedirect:`^param0:pool:uses result0:body@Response.Body$`
	var res *result
	resp, err := c.Do(req)
	if resp != nil {
		res = &result{resp}
	}
	if err != nil {
		return res, err
	}
	if resp.StatusCode == http.StatusFound {
		loc, err := resp.Location()
		if err != nil {
			return res, err
		}
		req.URL = loc
		resp, err = c.Do(req) // want `resp.Body is not closed on every path`
		if err != nil {
			return res, err
		}
	}
	return res, nil // leaks here
}
