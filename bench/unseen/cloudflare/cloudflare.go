// Package cloudflare probes github.com/cloudflare/cloudflare-go:
// cloudflare.NewWithAPIToken(token, options...) with the HTTPClient
// option, as its README shows.
package cloudflare

import (
	"context"
	"net/http"
	"time"

	cf "github.com/cloudflare/cloudflare-go"
)

// VerifyOwnClient builds a pooled client per call.
func VerifyOwnClient(ctx context.Context, base string) error {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}} // leak: transport
	api, err := cf.NewWithAPIToken("probe", cf.BaseURL(base), cf.HTTPClient(hc), cf.UsingRateLimit(1000))
	if err != nil {
		return err
	}
	_, err = api.VerifyAPIToken(ctx)
	return err
}

// VerifyClonedTransport clones the default transport per call.
func VerifyClonedTransport(ctx context.Context, base string) error {
	tr := http.DefaultTransport.(*http.Transport).Clone() // leak: transport
	tr.MaxIdleConnsPerHost = 4
	api, err := cf.NewWithAPIToken("probe", cf.BaseURL(base), cf.HTTPClient(&http.Client{Transport: tr}), cf.UsingRateLimit(1000))
	if err != nil {
		return err
	}
	_, err = api.VerifyAPIToken(ctx)
	return err
}

// VerifyDefault lets the library use http.DefaultClient.
func VerifyDefault(ctx context.Context, base string) error {
	api, err := cf.NewWithAPIToken("probe", cf.BaseURL(base), cf.UsingRateLimit(1000))
	if err != nil {
		return err
	}
	_, err = api.VerifyAPIToken(ctx)
	return err
}

var sharedHC = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// VerifyShared passes a shared client.
func VerifyShared(ctx context.Context, base string) error {
	api, err := cf.NewWithAPIToken("probe", cf.BaseURL(base), cf.HTTPClient(sharedHC), cf.UsingRateLimit(1000))
	if err != nil {
		return err
	}
	_, err = api.VerifyAPIToken(ctx)
	return err
}
