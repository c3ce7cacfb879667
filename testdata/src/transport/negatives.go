package transport

import (
	"crypto/tls"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// Not reported: pools that outlive the call, keep no idle connections,
// are closed, or are not new. All in exported functions, which would
// otherwise be reported.

// Package-level variables are built once.
var (
	sharedTransport = &http.Transport{MaxIdleConnsPerHost: 8}
	sharedClient    = &http.Client{Transport: sharedTransport}
	clonedTransport = http.DefaultTransport.(*http.Transport).Clone()
)

func UseShared(url string) error {
	resp, err := sharedClient.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A Client with no Transport uses http.DefaultTransport.
func NoTransport(url string) error {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A Client wrapping a shared transport.
func WrapsShared(url string) error {
	c := &http.Client{Transport: sharedTransport, Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// DisableKeepAlives: true, in the literal or set before use: the
// write-up's method two.
func KeepAlivesOffLiteral(url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func KeepAlivesOffAssigned(url string) error {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	c := &http.Client{Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A value we cannot read: keep quiet.
func KeepAlivesOffMaybe(url string, short bool) error {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: short}}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A negative MaxIdleConnsPerHost keeps no idle connections either.
func NoIdleConns(url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, MaxIdleConnsPerHost: -1}}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// CloseIdleConnections on the transport or on the client.
func DeferCloseTransport(url string, cfg *tls.Config) error {
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func DeferCloseClient(url string, cfg *tls.Config) error {
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func CloseInDeferredFunc(url string, cfg *tls.Config) (err error) {
	tr := &http.Transport{TLSClientConfig: cfg}
	defer func() {
		tr.CloseIdleConnections()
	}()
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The request asks for the connection to be closed after it.
func RequestClose(url string, cfg *tls.Config) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Close = true
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Stored somewhere that outlives the call.

type Service struct {
	client  *http.Client
	byHost  map[string]*http.Client
	clients []*http.Client
	mu      sync.Mutex
}

func (s *Service) Init(cfg *tls.Config) error { // want Init:`^recv:pool:uses\+fills$`
	s.client = &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := s.client.Get("http://example.invalid/ping")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (s *Service) ClientFor(host string, cfg *tls.Config) *http.Client { // want ClientFor:`^recv:pool:fills$`
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.byHost[host]; ok {
		return c
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	s.byHost[host] = c
	return c
}

func (s *Service) Add(cfg *tls.Config) { // want Add:`^recv:pool:fills$`
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	s.clients = append(s.clients, c)
}

var defaultClient *http.Client

func SetDefault(cfg *tls.Config) error {
	tr := &http.Transport{TLSClientConfig: cfg}
	defaultClient = &http.Client{Transport: tr}
	resp, err := defaultClient.Get("http://example.invalid/")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A local struct holding the pool, whose method keeps it: handed on.
type keeper struct{ hc *http.Client }

var kept []*keeper

func (k *keeper) register() { // want register:`^recv:pool:keeps$`
	kept = append(kept, k)
}

func LocalKeeper(url string, cfg *tls.Config) error {
	k := &keeper{hc: &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}}
	k.register()
	resp, err := k.hc.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Handed to other code: a function, a goroutine, a channel.
func register(c *http.Client) {} // want register:`^param0:pool:borrows$`

func PassedOn(cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	register(c)
}

func Captured(url string, cfg *tls.Config, done chan<- error) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	go func() {
		resp, err := c.Get(url)
		if err == nil {
			err = resp.Body.Close()
		}
		done <- err
	}()
}

func Sent(cfg *tls.Config, out chan<- http.RoundTripper) {
	out <- &http.Transport{TLSClientConfig: cfg}
}

// The standard reverse proxy stores its transport; it lives as long as
// the proxy does.
func Proxy(target *url.URL, cfg *tls.Config) *httputil.ReverseProxy { // want Proxy:`^result0:pool@Transport$`
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = &http.Transport{TLSClientConfig: cfg}
	return p
}

func ProxyLiteral(target *url.URL, cfg *tls.Config) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport: &http.Transport{TLSClientConfig: cfg},
	}
}

// sync.Once and sync.OnceValue build it once.
var (
	once       sync.Once
	onceClient *http.Client
)

func OnceClient(cfg *tls.Config) *http.Client {
	once.Do(func() {
		tr := &http.Transport{TLSClientConfig: cfg}
		onceClient = &http.Client{Transport: tr}
	})
	return onceClient
}

var lazyClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
})

func UseLazy(url string) error {
	resp, err := lazyClient().Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Built but never used: it holds no connection.
func Unused(cfg *tls.Config) {
	tr := &http.Transport{TLSClientConfig: cfg}
	_ = tr
}

// Set on a shared client: stored away.
func SetOnShared(cfg *tls.Config) error {
	c := http.DefaultClient
	c.Transport = &http.Transport{TLSClientConfig: cfg}
	resp, err := c.Get("http://example.invalid/")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Lazily built in a loop, kept in a variable declared before it: one
// pool for the whole loop (the function is one-off: see repeat.go for
// the loop rule).
func lazyInLoop(urls []string, cfg *tls.Config) {
	var c *http.Client
	for _, u := range urls {
		if c == nil {
			c = &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		}
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

// A finding suppressed with a reason.
func Suppressed(url string, cfg *tls.Config) error {
	//httpleakcheck:ignore called once per process by the CLI
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
