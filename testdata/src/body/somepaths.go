package body

import (
	"errors"
	"net/http"
)

// Wrappers that own the response on some paths only: one hands it to a
// callback when it is given one, another to a goroutine on a path that
// returns an error instead. Their callers own what the other paths
// return.
func getOrCallback(u string, cb func(*http.Response)) (*http.Response, error) { // want getOrCallback:`^param1:body:hands\(0\) result0:body,when\(!p1\)$`
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	if cb != nil {
		cb(resp)
		return nil, nil
	}
	return resp, nil
}

var errAccepted = errors.New("accepted: the result comes later")

func getOrDrainLater(u string) (*http.Response, error) { // want getOrDrainLater:`^result0:body$`
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusAccepted {
		go closeLater(resp)
		return nil, errAccepted
	}
	return resp, nil
}

func closeLater(r *http.Response) { r.Body.Close() } // want closeLater:`^param0:body:releases$`

func NoCallback(u string) (int, error) {
	resp, err := getOrCallback(u, nil) // want `resp.Body is not closed on every path in NoCallback`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func WithCallback(u string) error {
	_, err := getOrCallback(u, func(r *http.Response) { r.Body.Close() })
	return err
}

func Accepted(u string) (int, error) {
	resp, err := getOrDrainLater(u) // want `resp.Body is not closed on every path in Accepted`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

// A test of a parameter before the call is no condition on the
// response: the Body replaced after it is replaced whatever the
// argument, and the wrapper is no producer (bodyclose #76).
func sendVia(rt http.RoundTripper, req *http.Request) (*http.Response, error) { // want sendVia:`^param0:pool:uses$`
	if rt == nil {
		return nil, errors.New("no transport")
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, nil
}

func SendVia(rt http.RoundTripper, req *http.Request) (int, error) { // want SendVia:`^param0:pool:uses$`
	resp, err := sendVia(rt, req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
