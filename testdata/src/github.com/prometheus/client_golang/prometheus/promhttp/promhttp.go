// Package promhttp mirrors the API shape of promhttp's round tripper
// middleware for the fixtures: a func type that wraps the next one.
package promhttp

import "net/http"

type Counter interface{ Inc() }

type RoundTripperFunc func(req *http.Request) (*http.Response, error)

func (rt RoundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) {
	return rt(r)
}

func InstrumentRoundTripperCounter(counter Counter, next http.RoundTripper) RoundTripperFunc {
	return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err == nil {
			counter.Inc()
		}
		return resp, err
	})
}
