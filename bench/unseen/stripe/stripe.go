// Package stripe probes github.com/stripe/stripe-go/v84: a client built
// from a BackendConfig whose HTTPClient is set (config struct), as its
// README's "custom HTTP client" section shows.
package stripe

import (
	"context"
	"net/http"
	"time"

	stripeapi "github.com/stripe/stripe-go/v84"
)

func newClient(base string, hc *http.Client) *stripeapi.Client {
	cfg := &stripeapi.BackendConfig{URL: stripeapi.String(base), HTTPClient: hc, MaxNetworkRetries: stripeapi.Int64(0)}
	return stripeapi.NewClient("sk_test_probe", stripeapi.WithBackends(stripeapi.NewBackendsWithConfig(cfg)))
}

// BalanceOwnClient builds the config's client per call.
func BalanceOwnClient(ctx context.Context, base string) error {
	cfg := &stripeapi.BackendConfig{
		URL:               stripeapi.String(base),
		HTTPClient:        &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}, // leak: transport
		MaxNetworkRetries: stripeapi.Int64(0),
	}
	sc := stripeapi.NewClient("sk_test_probe", stripeapi.WithBackends(stripeapi.NewBackendsWithConfig(cfg)))
	_, err := sc.V1Balance.Retrieve(ctx, nil)
	return err
}

// BalanceHelperClient hands a per-call client to a helper.
func BalanceHelperClient(ctx context.Context, base string) error {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()} // leak: transport
	_, err := newClient(base, hc).V1Balance.Retrieve(ctx, nil)
	return err
}

// BalanceDefault leaves HTTPClient unset: stripe's package client.
func BalanceDefault(ctx context.Context, base string) error {
	cfg := &stripeapi.BackendConfig{URL: stripeapi.String(base), MaxNetworkRetries: stripeapi.Int64(0)}
	sc := stripeapi.NewClient("sk_test_probe", stripeapi.WithBackends(stripeapi.NewBackendsWithConfig(cfg)))
	_, err := sc.V1Balance.Retrieve(ctx, nil)
	return err
}

var shared = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// BalanceShared passes a shared client.
func BalanceShared(ctx context.Context, base string) error {
	_, err := newClient(base, shared).V1Balance.Retrieve(ctx, nil)
	return err
}

// BalanceNoKeepAlive builds a per-call client without keep-alive.
func BalanceNoKeepAlive(ctx context.Context, base string) error {
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := newClient(base, hc).V1Balance.Retrieve(ctx, nil)
	return err
}
