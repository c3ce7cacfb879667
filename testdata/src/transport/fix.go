package transport

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"time"
)

// Reported literals that refer to no variable and call nothing: the fix
// moves them to a package-level variable (see fix.go.golden).

// A short IdleConnTimeout does not exempt: the connections sit in the
// pool until it fires, and a burst of calls still piles them up.
func ShortIdleTimeout(url string) error {
	c := &http.Client{Transport: &http.Transport{IdleConnTimeout: time.Second, MaxIdleConnsPerHost: 1}} // want `new http.Transport of client c is built on every call of ShortIdleTimeout`
	c.Timeout = 10 * time.Second
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Fetch builds its transport on a variable; the doc comment stays with
// the function.
func Fetch(url string) error {
	// want +1 `new http.Transport tr is built on every call of Fetch`
	tr := &http.Transport{
		// Keep the handshake short.
		TLSHandshakeTimeout: 2 * time.Second,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
	}
	c := &http.Client{Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Two pools in one function get two names.
func Mirror(a, b string) error {
	ca := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 2}} // want `new http.Transport of client ca is built on every call of Mirror`
	cb := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 4}} // want `new http.Transport of client cb is built on every call of Mirror`
	ra, err := ca.Get(a)
	if err != nil {
		return err
	}
	defer ra.Body.Close()
	rb, err := cb.Get(b)
	if err != nil {
		return err
	}
	return rb.Body.Close()
}

// The name the fix would pick is taken.
var conflictTransport = 1

func Conflict(url string) error {
	c := &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true}} // want `new http.Transport of client c is built on every call of Conflict`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A function literal in the transport declares its own parameters.
func WithProxy(u string) error {
	// want +1 `new http.Transport of client c is built on every call of WithProxy`
	c := &http.Client{Transport: &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) { return url.Parse("http://proxy:3128") },
	}}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A value transport used by address and by method: v becomes a pointer.
func ValueForm(req *http.Request) error {
	var transport = http.Transport{MaxIdleConns: 10} // want `new http.Transport transport is built on every call of ValueForm`
	resp, err := transport.RoundTrip(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	c := http.Client{Transport: &transport}
	resp, err = c.Get(req.URL.String())
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A handler literal inside a function that registers it.
func Routes(mux *http.ServeMux) {
	mux.HandleFunc("/proxy", func(w http.ResponseWriter, r *http.Request) {
		c := &http.Client{Transport: &http.Transport{DisableCompression: true}} // want `new http.Transport of client c is built on every request served by this handler`
		resp, err := c.Get("http://backend/")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	})
}

// No fix: the literal refers to a variable, calls a function, or uses a
// local constant; or the transport is changed after it is built, which
// would race once shared.

var sharedTLS = &tls.Config{MinVersion: tls.VersionTLS13}

func NoFixGlobal(url string) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: sharedTLS}} // want `new http.Transport of client c is built on every call of NoFixGlobal`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func tlsConfig() *tls.Config { return &tls.Config{MinVersion: tls.VersionTLS13} }

func NoFixCall(url string) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig()}} // want `new http.Transport of client c is built on every call of NoFixCall`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func NoFixLocalConst(url string) error {
	const conns = 3
	c := &http.Client{Transport: &http.Transport{MaxConnsPerHost: conns}} // want `new http.Transport of client c is built on every call of NoFixLocalConst`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func NoFixMutated(url string, proxy *url.URL) error {
	tr := &http.Transport{MaxConnsPerHost: 3} // want `new http.Transport tr is built on every call of NoFixMutated`
	tr.Proxy = http.ProxyURL(proxy)
	c := &http.Client{Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func NoFixFieldRead(req *http.Request) error {
	transport := http.Transport{MaxIdleConns: 10} // want `new http.Transport transport is built on every call of NoFixFieldRead`
	if transport.MaxIdleConns > 5 {
		req.Header.Set("X-Pool", "big")
	}
	resp, err := transport.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
