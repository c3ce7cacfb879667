// Package http2conf probes golang.org/x/net/http2.ConfigureTransports
// on a Transport built per call (the test server speaks HTTP/1.1, so
// the HTTP/1 pool is the one that fills).
package http2conf

import (
	"context"
	"io"
	"net/http"

	"golang.org/x/net/http2"
)

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// ConfigurePerCall builds and configures a Transport per call.
func ConfigurePerCall(ctx context.Context, base string) error {
	t1 := &http.Transport{} // leak: transport
	if _, err := http2.ConfigureTransports(t1); err != nil {
		return err
	}
	return get(ctx, &http.Client{Transport: t1}, base+"/pets/1")
}

// ConfigureTuned tunes the HTTP/2 side of a per-call Transport.
func ConfigureTuned(ctx context.Context, base string) error {
	t1 := http.DefaultTransport.(*http.Transport).Clone() // leak: transport
	t1.ForceAttemptHTTP2 = false
	t2, err := http2.ConfigureTransports(t1)
	if err != nil {
		return err
	}
	t2.ReadIdleTimeout = 30
	return get(ctx, &http.Client{Transport: t1}, base+"/pets/1")
}

// ConfigureCloseIdle closes the per-call Transport's idle connections.
func ConfigureCloseIdle(ctx context.Context, base string) error {
	t1 := &http.Transport{}
	defer t1.CloseIdleConnections()
	if _, err := http2.ConfigureTransports(t1); err != nil {
		return err
	}
	return get(ctx, &http.Client{Transport: t1}, base+"/pets/1")
}

var shared = newShared()

func newShared() *http.Transport {
	t1 := &http.Transport{}
	if _, err := http2.ConfigureTransports(t1); err != nil {
		panic(err)
	}
	return t1
}

// ConfigureShared uses a Transport configured once.
func ConfigureShared(ctx context.Context, base string) error {
	return get(ctx, &http.Client{Transport: shared}, base+"/pets/1")
}
