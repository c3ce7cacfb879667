package body

import "net/http"

// A retrying round tripper of the user's. Its summary says that its
// response is fresh (the ones it closes on the way are not returned: the
// loop goes round for another), and whatever a RoundTrip returns is the
// caller's to close anyway.
type retrying struct {
	base  http.RoundTripper
	tries int
}

func (r *retrying) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`^recv:pool:uses result0:body,viaRoundTripper$`
	for i := 0; ; i++ {
		resp, err := r.base.RoundTrip(req)
		if err != nil || resp.StatusCode < 500 || i >= r.tries {
			return resp, err
		}
		resp.Body.Close()
	}
}

func probeRetrying(req *http.Request) (int, error) {
	rt := &retrying{base: http.DefaultTransport, tries: 3}
	resp, err := rt.RoundTrip(req) // want `resp.Body is not closed on every path in probeRetrying`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func probeRetryingClosed(req *http.Request) (int, error) {
	rt := &retrying{base: http.DefaultTransport, tries: 3}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// A method named RoundTrip with another signature is not a round tripper.
type prober struct{}

func (prober) RoundTrip(u string) (*http.Response, error) { return nil, nil }

func probeOther(p prober) int {
	resp, err := p.RoundTrip("http://x/")
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
