// Package http mirrors aws-sdk-go-v2's aws/transport/http: a
// BuildableClient builds its Transport on first use, and each copy made
// by its With* methods gets a Transport of its own.
package http

import (
	"net"
	"net/http"
	"sync"
	"time"
)

type BuildableClient struct {
	transport     *http.Transport
	dialer        *net.Dialer
	initOnce      sync.Once
	clientTimeout time.Duration
	client        *http.Client
}

func NewBuildableClient() *BuildableClient {
	return &BuildableClient{}
}

func (b *BuildableClient) Do(req *http.Request) (*http.Response, error) {
	b.initOnce.Do(b.build)
	return b.client.Do(req)
}

func (b *BuildableClient) build() {
	tr := b.GetTransport()
	b.client = &http.Client{Timeout: b.clientTimeout, Transport: tr}
}

func (b *BuildableClient) clone() *BuildableClient {
	cpy := NewBuildableClient()
	cpy.transport = b.GetTransport()
	cpy.dialer = b.GetDialer()
	cpy.clientTimeout = b.clientTimeout
	return cpy
}

func (b *BuildableClient) WithTransportOptions(opts ...func(*http.Transport)) *BuildableClient {
	cpy := b.clone()
	tr := cpy.GetTransport()
	for _, opt := range opts {
		opt(tr)
	}
	cpy.transport = tr
	return cpy
}

func (b *BuildableClient) WithDialerOptions(opts ...func(*net.Dialer)) *BuildableClient {
	cpy := b.clone()
	dialer := cpy.GetDialer()
	for _, opt := range opts {
		opt(dialer)
	}
	cpy.dialer = dialer
	tr := cpy.GetTransport()
	tr.DialContext = cpy.dialer.DialContext
	cpy.transport = tr
	return cpy
}

func (b *BuildableClient) WithTimeout(timeout time.Duration) *BuildableClient {
	cpy := b.clone()
	cpy.clientTimeout = timeout
	return cpy
}

func (b *BuildableClient) GetTransport() *http.Transport {
	var tr *http.Transport
	if b.transport != nil {
		tr = b.transport.Clone()
	} else {
		tr = defaultHTTPTransport()
	}
	return tr
}

func (b *BuildableClient) GetDialer() *net.Dialer {
	if b.dialer != nil {
		d := *b.dialer
		return &d
	}
	return defaultDialer()
}

func defaultDialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
}

func defaultHTTPTransport() *http.Transport {
	dialer := defaultDialer()
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: 10,
		IdleConnTimeout:     90 * time.Second,
	}
}
