// Package cleanhttp mirrors the API shape of hashicorp/go-cleanhttp for
// the fixtures: its functions have bodies, so facts are computed.
package cleanhttp

import (
	"net"
	"net/http"
	"runtime"
	"time"
)

// DefaultTransport returns a Transport that keeps no idle connections.
func DefaultTransport() *http.Transport {
	transport := DefaultPooledTransport()
	transport.DisableKeepAlives = true
	transport.MaxIdleConnsPerHost = -1
	return transport
}

// DefaultPooledTransport returns a new pool, for a long-lived client.
func DefaultPooledTransport() *http.Transport {
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:        100,
		IdleConnTimeout:     90 * time.Second,
		MaxIdleConnsPerHost: runtime.GOMAXPROCS(0) + 1,
	}
	return transport
}

func DefaultClient() *http.Client {
	return &http.Client{Transport: DefaultTransport()}
}

func DefaultPooledClient() *http.Client {
	return &http.Client{Transport: DefaultPooledTransport()}
}
