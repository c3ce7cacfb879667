// Package oauth2 mirrors the API shape of golang.org/x/oauth2 for the
// fixtures: its clients wrap the context's client and build no pool.
package oauth2

import (
	"context"
	"net/http"
)

type Token struct{ AccessToken string }

type TokenSource interface{ Token() (*Token, error) }

type staticSource struct{ t *Token }

func (s staticSource) Token() (*Token, error) { return s.t, nil }

type Config struct{ ClientID string }

type contextKey struct{}

// HTTPClient is the context key to use with context.WithValue.
var HTTPClient contextKey

func contextClient(ctx context.Context) *http.Client {
	if hc, ok := ctx.Value(HTTPClient).(*http.Client); ok {
		return hc
	}
	return http.DefaultClient
}

func (c *Config) Client(ctx context.Context, t *Token) *http.Client {
	return NewClient(ctx, staticSource{t})
}

func NewClient(ctx context.Context, src TokenSource) *http.Client {
	cc := contextClient(ctx)
	if src == nil {
		return cc
	}
	return &http.Client{
		Transport: &Transport{Base: cc.Transport, Source: src},
		Timeout:   cc.Timeout,
	}
}

type Transport struct {
	Source TokenSource
	Base   http.RoundTripper
}

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}
