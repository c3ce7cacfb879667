// Package otelhttp mirrors the API shape of otelhttp's Transport for the
// fixtures: NewTransport wraps the round tripper it is given.
package otelhttp

import "net/http"

type Option interface{ apply(*Transport) }

type Transport struct {
	rt   http.RoundTripper
	name string
}

func NewTransport(base http.RoundTripper, opts ...Option) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	t := Transport{rt: base}
	for _, o := range opts {
		o.apply(&t)
	}
	return &t
}

func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(r)
}
