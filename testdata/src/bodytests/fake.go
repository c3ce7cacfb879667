// Package bodytests holds fixtures of the body check in test files:
// calls expected to fail, fake round trippers, failing tests.
package bodytests

import "net/http"

// A wrapper over a RoundTripper interface: tests usually fake it.
type wrapper struct{ rt http.RoundTripper }

func (w *wrapper) roundTrip(r *http.Request) (*http.Response, error) { // want roundTrip:`result0:body,viaRoundTripper`
	return w.rt.RoundTrip(r)
}

// Outside tests, its response is one to close.
func (w *wrapper) status(r *http.Request) int { // want status:`^recv:pool:uses$`
	resp, err := w.roundTrip(r) // want `resp.Body is not closed on every path`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}
