// Package lib holds constructor helpers used by package use: their
// summaries travel as facts.
package lib

import (
	"crypto/tls"
	"net/http"
	"time"
)

// NewPooledClient returns a client with its own pool.
func NewPooledClient(cfg *tls.Config) *http.Client { // want NewPooledClient:"result0:pool@Transport"
	return &http.Client{Transport: NewPooledTransport(cfg), Timeout: 30 * time.Second}
}

// NewPooledTransport returns a new pool.
func NewPooledTransport(cfg *tls.Config) *http.Transport { // want NewPooledTransport:"^result0:pool$"
	return &http.Transport{TLSClientConfig: cfg, MaxIdleConnsPerHost: 16}
}

// NewShortClient returns a client whose connections are not kept.
func NewShortClient(cfg *tls.Config) *http.Client { // want NewShortClient:`^result0:poolOff@Transport$`
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
}

var shared = &http.Client{Transport: &http.Transport{}}

// Shared returns the package's one client.
func Shared() *http.Client { return shared }
