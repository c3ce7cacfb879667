package body

import "net/http"

// Client abstractions: an interface method that returns a response and
// an error hands the caller a response to close, whatever implements it
// (a heimdall-style client, a Doer injected for tests).

type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

type HTTPClient interface {
	Get(url string, headers http.Header) (*http.Response, error)
}

func StatusVia(d Doer, req *http.Request) (int, error) { // want StatusVia:`^param0:pool:uses$`
	resp, err := d.Do(req) // want `resp.Body is not closed on every path in StatusVia`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func FetchVia(c HTTPClient, u string) error { // want FetchVia:`^param0:pool:uses$`
	resp, err := c.Get(u, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func DroppedVia(c HTTPClient, u string) { // want DroppedVia:`^param0:pool:uses$`
	_, _ = c.Get(u, nil) // want `the response of c.Get is discarded with _`
}

// A wrapper over the interface hands its response on: its callers must
// close it.
func getVia(c HTTPClient, u string) (*http.Response, error) { // want getVia:`^param0:pool:uses result0:body,viaRoundTripper$`
	return c.Get(u, http.Header{"Accept": {"application/json"}})
}

func UseGetVia(c HTTPClient, u string) int { // want UseGetVia:`^param0:pool:uses$`
	resp, err := getVia(c, u) // want `resp.Body is not closed on every path in UseGetVia`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}
