package body

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
)

// Generic helpers that return what the func they are given returns (a
// retry helper): the response that func produces is the caller's to
// close.

func retryOp[T any](ctx context.Context, tries int, op func() (T, error)) (T, error) { // want retryOp:`^param2:forwards\(0<-0\)$`
	var res T
	var err error
	for range tries {
		res, err = op()
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return res, err
}

func RetriedNotClosed(ctx context.Context, u string) (int, error) {
	resp, err := retryOp(ctx, 3, func() (*http.Response, error) { // want `resp.Body is not closed on every path in RetriedNotClosed`
		return http.Get(u)
	})
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func RetriedClosed(ctx context.Context, u string) (int, error) {
	resp, err := retryOp(ctx, 3, func() (*http.Response, error) {
		return http.Get(u)
	})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func getOnce(u string) (*http.Response, error) { // want getOnce:`^result0:body$`
	return http.Get(u)
}

// A named function (or a method value) handed over produces the same.
func RetriedNamed(ctx context.Context, u string) (int, error) {
	get := func() (*http.Response, error) { return getOnce(u) }
	resp, err := retryOp(ctx, 3, get)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// The func hands back something else than a response: nothing to close.
func RetriedDecoded(ctx context.Context, u string) (string, error) {
	return retryOp(ctx, 3, func() (string, error) {
		resp, err := http.Get(u)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var s string
		err = json.NewDecoder(resp.Body).Decode(&s)
		return s, err
	})
}

// HEAD requests: no body, the connection goes back to the pool at once.

func Exists(ctx context.Context, c *http.Client, u string) (bool, error) { // want Exists:`^param1:pool:uses$`
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

func ExistsLiteral(c *http.Client, u *url.URL) (bool, error) { // want ExistsLiteral:`^param0:pool:uses$`
	req := &http.Request{Method: "HEAD", URL: u}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// A request whose method is set to something else later has a body.
func ExistsThenGet(ctx context.Context, c *http.Client, u string) (bool, error) { // want ExistsThenGet:`^param1:pool:uses$`
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return false, err
	}
	req.Method = http.MethodGet
	resp, err := c.Do(req) // want `resp.Body is not closed on every path in ExistsThenGet`
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil // leaks here
}

// A generic helper whose method is the caller's: fresh unless it is HEAD.
func sendMethod(ctx context.Context, c *http.Client, method, u string) (*http.Response, error) { // want sendMethod:`^param1:pool:uses result0:body,when\(p2!="HEAD"\)$`
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

func HeadViaHelper(ctx context.Context, c *http.Client, u string) (bool, error) { // want HeadViaHelper:`^param1:pool:uses$`
	resp, err := sendMethod(ctx, c, http.MethodHead, u)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

func GetViaHelper(ctx context.Context, c *http.Client, u string) (int, error) { // want GetViaHelper:`^param1:pool:uses$`
	resp, err := sendMethod(ctx, c, http.MethodGet, u) // want `resp.Body is not closed on every path in GetViaHelper`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func MethodViaHelper(ctx context.Context, c *http.Client, method, u string) (int, error) { // want MethodViaHelper:`^param1:pool:uses$`
	resp, err := sendMethod(ctx, c, method, u) // want `resp.Body is not closed on every path in MethodViaHelper`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

// Read to its end: the connection went back to the pool (bodyeof's
// business), unless the read fails.

func ReadChecked(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return b, nil
}

func CopiedChecked(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return errors.Join(err, resp.Body.Close())
	}
	return nil
}

// The failed read leaves the body open.
func ReadReturned(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in ReadReturned`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body) // leaks here
}

func ReadFailureDropped(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in ReadFailureDropped`
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err // leaks here
	}
	return b, nil
}

// A bounded read does not reach EOF.
func ReadLimited(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in ReadLimited`
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return b, nil // leaks here
}

// A helper that reads it to its end, its error returned.
func slurp(resp *http.Response) ([]byte, error) { // want slurp:`^param0:body:drains$`
	return io.ReadAll(resp.Body)
}

func SlurpChecked(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	b, err := slurp(resp)
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	return b, nil
}
