// Package reverseproxy probes net/http/httputil.ReverseProxy built per
// request in ServeHTTP, with a Transport of its own or a shared one.
package reverseproxy

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

// PerRequest builds a ReverseProxy with its own Transport per request.
type PerRequest struct{ Target *url.URL }

func (h *PerRequest) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(h.Target) },
		Transport: &http.Transport{ResponseHeaderTimeout: 10 * time.Second}, // leak: transport
	}
	p.ServeHTTP(w, r)
}

// SingleHost sets the Transport of NewSingleHostReverseProxy per request.
type SingleHost struct{ Target *url.URL }

func (h *SingleHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := httputil.NewSingleHostReverseProxy(h.Target)
	tr := http.DefaultTransport.(*http.Transport).Clone() // leak: transport
	tr.ResponseHeaderTimeout = 10 * time.Second
	p.Transport = tr
	p.ServeHTTP(w, r)
}

// Default builds the proxy per request over http.DefaultTransport.
type Default struct{ Target *url.URL }

func (h *Default) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httputil.NewSingleHostReverseProxy(h.Target).ServeHTTP(w, r)
}

var sharedTransport = &http.Transport{ResponseHeaderTimeout: 10 * time.Second}

// SharedTransport builds the proxy per request over a shared Transport.
type SharedTransport struct{ Target *url.URL }

func (h *SharedTransport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(h.Target) },
		Transport: sharedTransport,
	}
	p.ServeHTTP(w, r)
}

// NoKeepAlive builds its Transport per request without keep-alive.
type NoKeepAlive struct{ Target *url.URL }

func (h *NoKeepAlive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := httputil.NewSingleHostReverseProxy(h.Target)
	p.Transport = &http.Transport{DisableKeepAlives: true}
	p.ServeHTTP(w, r)
}
