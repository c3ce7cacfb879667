// Package use calls the helpers of package lib, known through facts.
package use

import (
	"crypto/tls"
	"net/http"

	"transport/lib"
)

func Get(url string, cfg *tls.Config) error {
	c := lib.NewPooledClient(cfg) // want `connection pool c from NewPooledClient\(\) is built on every call of Get`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func RoundTrip(req *http.Request, cfg *tls.Config) error {
	resp, err := lib.NewPooledTransport(cfg).RoundTrip(req) // want `connection pool from NewPooledTransport\(\) is built on every call of RoundTrip`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Not reported: no idle connections kept, a shared client, closed.

func GetShort(url string, cfg *tls.Config) error {
	resp, err := lib.NewShortClient(cfg).Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GetShared(url string) error {
	resp, err := lib.Shared().Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GetClosed(url string, cfg *tls.Config) error {
	c := lib.NewPooledClient(cfg)
	defer c.CloseIdleConnections()
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Kept for the life of the value that holds it.
type Client struct{ hc *http.Client }

func New(cfg *tls.Config) *Client { // want New:"result0:pool@hc.Transport"
	return &Client{hc: lib.NewPooledClient(cfg)}
}
