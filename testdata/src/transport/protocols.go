package transport

import (
	"crypto/tls"
	"net/http"

	"github.com/quic-go/quic-go/http3"
	"golang.org/x/net/http2"
)

// HTTP/2 and HTTP/3 transports pool their connections too.

func H2PerCall(u string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http2.Transport{TLSClientConfig: cfg}} // want `new http2.Transport of client c is built on every call of H2PerCall`
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func H3PerCall(req *http.Request) error {
	t := &http3.Transport{} // want `new http3.Transport t is built on every call of H3PerCall`
	resp, err := t.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func H3Closed(req *http.Request) error {
	t := &http3.Transport{}
	defer t.Close()
	resp, err := t.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func H2Closed(u string) error {
	t := &http2.Transport{}
	defer t.CloseIdleConnections()
	resp, err := (&http.Client{Transport: t}).Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var h2 = &http.Client{Transport: &http2.Transport{}}

func H2Shared(u string) error {
	resp, err := h2.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
