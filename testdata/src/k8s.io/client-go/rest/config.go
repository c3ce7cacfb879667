// Package rest mirrors k8s.io/client-go/rest: clients built from a
// Config get their Transport from a cache keyed on the config; a config
// with a Dial or a Proxy func gets a new Transport per call.
package rest

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"sync"
)

type Config struct {
	Host          string
	BearerToken   string
	Transport     http.RoundTripper
	WrapTransport func(http.RoundTripper) http.RoundTripper
	Dial          func(ctx context.Context, network, address string) (net.Conn, error)
	Proxy         func(*http.Request) (*url.URL, error)
}

var (
	mu    sync.Mutex
	cache = map[string]http.RoundTripper{}
)

func TransportFor(config *Config) (http.RoundTripper, error) {
	if config.Transport != nil {
		return config.Transport, nil
	}
	canCache := config.Dial == nil && config.Proxy == nil
	if canCache {
		mu.Lock()
		defer mu.Unlock()
		if t, ok := cache[config.Host]; ok {
			return t, nil
		}
	}
	t := &http.Transport{DialContext: config.Dial, Proxy: config.Proxy}
	if canCache {
		cache[config.Host] = t
	}
	return t, nil
}

func HTTPClientFor(config *Config) (*http.Client, error) {
	rt, err := TransportFor(config)
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: rt}, nil
}

type RESTClient struct {
	base   string
	Client *http.Client
}

func RESTClientFor(config *Config) (*RESTClient, error) {
	hc, err := HTTPClientFor(config)
	if err != nil {
		return nil, err
	}
	return &RESTClient{base: config.Host, Client: hc}, nil
}

func (c *RESTClient) Get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return nil, nil
}
