package transport

import (
	"crypto/tls"
	"errors"
	"net/http"
	"time"
)

// Constructor helpers: fine by themselves (they return the pool), and
// summarized as returning a fresh pool (result0:pool) so that their calls are checked instead.

func newClient(cfg *tls.Config) *http.Client { // want newClient:"result0:pool@Transport"
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}
}

func newTransport(cfg *tls.Config) *http.Transport { // want newTransport:"^result0:pool$"
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	return tr
}

func NewClientErr(cfg *tls.Config) (*http.Client, error) { // want NewClientErr:"result0:pool@Transport"
	if cfg == nil {
		return nil, errors.New("no TLS config")
	}
	c := &http.Client{Transport: newTransport(cfg)}
	return c, nil
}

// A struct holding a fresh client.
type Remote struct {
	hc   *http.Client
	base string
}

func NewRemote(base string, cfg *tls.Config) *Remote { // want NewRemote:"result0:pool@hc.Transport"
	return &Remote{hc: newClient(cfg), base: base}
}

// Not fresh: shared, closed, cached, keep-alives off.
func sharedOne() *http.Client { return sharedClient }

func cachedOne(key string, cfg *tls.Config) *http.Client {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	cache[key] = c
	return c
}

var cache = map[string]*http.Client{}

func shortOne() *http.Client { // want shortOne:`^result0:poolOff@Transport$`
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func closedOne(cfg *tls.Config) *http.Transport { // want closedOne:`^result0:new$`
	tr := &http.Transport{TLSClientConfig: cfg}
	tr.CloseIdleConnections()
	return tr
}

// Calls of fresh helpers in repeated code, result dropped after use:
// reported at the call.

func GetWithHelper(url string, cfg *tls.Config) error {
	c := newClient(cfg) // want `connection pool c from newClient\(\) is built on every call of GetWithHelper and dropped after use.*defer c.CloseIdleConnections\(\)`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GetWithHelperErr(url string, cfg *tls.Config) error {
	c, err := NewClientErr(cfg) // want `connection pool c from NewClientErr\(\) is built on every call of GetWithHelperErr`
	if err != nil {
		return err
	}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GetInline(url string, cfg *tls.Config) error {
	resp, err := newClient(cfg).Get(url) // want `connection pool from newClient\(\) is built on every call of GetInline`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func RoundTripHelper(req *http.Request, cfg *tls.Config) error {
	c := &http.Client{Transport: newTransport(cfg)} // want `connection pool of client c from newTransport\(\) is built on every call of RoundTripHelper`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Not reported: the helper's result is kept, closed, or not fresh.

type Holder struct{ c *http.Client }

func (h *Holder) Connect(cfg *tls.Config) { // want Connect:`^recv:pool:fills$`
	h.c = newClient(cfg)
}

func GetAndClose(url string, cfg *tls.Config) error {
	c := newClient(cfg)
	defer c.CloseIdleConnections()
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GetNotFresh(url string, cfg *tls.Config) error {
	for _, c := range []*http.Client{sharedOne(), cachedOne(url, cfg), shortOne(), (&http.Client{Transport: closedOne(cfg)})} {
		resp, err := c.Get(url)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// A struct holding a fresh client, used through its methods (Ping sends
// through its receiver's pool, its summary says) and dropped: reported.

func (r *Remote) Ping() error { // want Ping:`^recv:pool:uses$`
	resp, err := r.hc.Get(r.base + "/ping")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func PingRemote(base string, cfg *tls.Config) error {
	return NewRemote(base, cfg).Ping() // want `connection pool from NewRemote\(\) is built on every call of PingRemote`
}

// Kept: the holder is returned, or stored in the receiver.

func NewPinger(base string, cfg *tls.Config) *Remote { // want NewPinger:`^result0:pool@hc.Transport$`
	r := NewRemote(base, cfg)
	if err := r.Ping(); err != nil {
		return nil
	}
	return r
}

type Monitor struct{ remote *Remote }

func (m *Monitor) Start(base string, cfg *tls.Config) error { // want Start:`^recv:pool:uses\+fills$`
	m.remote = NewRemote(base, cfg)
	return m.remote.Ping()
}

// A pool returned as an http.RoundTripper: the interface has no
// CloseIdleConnections, so the message does not suggest calling it.

func newRoundTripper(cfg *tls.Config) http.RoundTripper { // want newRoundTripper:`^result0:pool$`
	return &http.Transport{TLSClientConfig: cfg}
}

func ViaRoundTripper(req *http.Request, cfg *tls.Config) error {
	rt := newRoundTripper(cfg) // want `connection pool rt from newRoundTripper\(\) is built on every call of ViaRoundTripper .*keep the \*http.Transport to call CloseIdleConnections on when done \(rt, an interface, has no such method\)`
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
