package transport

import (
	"context"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// Pools handed to the everyday idioms of client libraries: functional
// options, setters, builders, interfaces that hold a client. The pool
// goes into what the library builds; that holder is used and dropped on
// every call.

// Doer is what many clients take instead of *http.Client.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// APIClient is a generated-style client: functional options that store
// the caller's Doer, applied by the constructor in a loop.
type APIClient struct {
	server string
	doer   Doer
}

type Option func(*APIClient) error

func WithDoer(d Doer) Option { // want WithDoer:`^param0:pool:returns\(0\)$`
	return func(c *APIClient) error {
		c.doer = d
		return nil
	}
}

func NewAPIClient(server string, opts ...Option) (*APIClient, error) { // want NewAPIClient:`^param1:pool:returns\(0\) result0:new$`
	c := &APIClient{server: server}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.doer == nil {
		c.doer = http.DefaultClient
	}
	return c, nil
}

func (c *APIClient) Ping(ctx context.Context) error { // want Ping:`^recv:pool:uses$`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.server, nil)
	if err != nil {
		return err
	}
	resp, err := c.doer.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func OptionPerCall(ctx context.Context, server string) error {
	hc := &http.Client{Transport: &http.Transport{}} // want `new http.Transport of client hc is built on every call of OptionPerCall`
	c, err := NewAPIClient(server, WithDoer(hc))
	if err != nil {
		return err
	}
	return c.Ping(ctx)
}

func OptionInline(ctx context.Context, server string) error {
	c, err := NewAPIClient(server, WithDoer(&http.Client{Transport: &http.Transport{}})) // want `new http.Transport held by c is built on every call of OptionInline`
	if err != nil {
		return err
	}
	return c.Ping(ctx)
}

var sharedDoer = &http.Client{Transport: &http.Transport{}}

func OptionShared(ctx context.Context, server string) error {
	c, err := NewAPIClient(server, WithDoer(sharedDoer))
	if err != nil {
		return err
	}
	return c.Ping(ctx)
}

func OptionNoKeepAlive(ctx context.Context, server string) error {
	c, err := NewAPIClient(server, WithDoer(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	if err != nil {
		return err
	}
	return c.Ping(ctx)
}

// A constructor that forwards its options: they go where NewAPIClient
// puts them.
func NewWrapped(server string, opts ...Option) (*Wrapped, error) { // want NewWrapped:`^param1:pool:returns\(0@c\) result0:new$`
	c, err := NewAPIClient(server, opts...)
	if err != nil {
		return nil, err
	}
	return &Wrapped{c: c}, nil
}

type Wrapped struct{ c *APIClient }

func (w *Wrapped) Ping(ctx context.Context) error { return w.c.Ping(ctx) } // want Ping:`^recv:pool:uses$`

func ForwardedPerCall(ctx context.Context, server string) error {
	w, err := NewWrapped(server, WithDoer(&http.Client{Transport: &http.Transport{}})) // want `new http.Transport held by w is built on every call of ForwardedPerCall`
	if err != nil {
		return err
	}
	return w.Ping(ctx)
}

// Options applied to the receiver by a method: they go into it.
func (c *APIClient) apply(opts ...Option) error { // want apply:`^recv:pool:borrows param0:pool:into\(recv\)$`
	for _, o := range opts {
		if err := o(c); err != nil {
			return err
		}
	}
	return nil
}

func AppliedPerCall(ctx context.Context, server string) error {
	c := &APIClient{server: server}
	if err := c.apply(WithDoer(&http.Client{Transport: &http.Transport{}})); err != nil { // want `new http.Transport held by c is built on every call of AppliedPerCall`
		return err
	}
	return c.Ping(ctx)
}

// A setter on a holder of the caller's own, and a builder that returns
// its receiver.
type Builder struct {
	hc   Doer
	path string
}

func NewBuilder() *Builder { return &Builder{} } // want NewBuilder:`^result0:new,zero\(hc,path\)$`

func (b *Builder) SetClient(hc Doer) { b.hc = hc } // want SetClient:`^recv:pool:borrows,sets\(hc\) param0:pool:into\(recv\)$`

func (b *Builder) WithClient(hc Doer) *Builder { // want WithClient:`^recv:pool:returns\(0\),sets\(hc\) param0:pool:returns\+into\(recv@hc\)\(0@hc\)$`
	b.hc = hc
	return b
}

func (b *Builder) Path(p string) *Builder { // want Path:`^recv:pool:returns\(0\)$`
	b.path = p
	return b
}

func (b *Builder) Fetch(ctx context.Context) error { // want Fetch:`^recv:pool:uses$`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.path, nil)
	if err != nil {
		return err
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func SetterPerCall(ctx context.Context, u string) error {
	b := NewBuilder()
	b.SetClient(&http.Client{Transport: &http.Transport{}}) // want `new http.Transport held by b is built on every call of SetterPerCall`
	return b.Path(u).Fetch(ctx)
}

func ChainPerCall(ctx context.Context, u string) error {
	return NewBuilder().WithClient(&http.Client{Transport: &http.Transport{}}).Path(u).Fetch(ctx) // want `new http.Transport is built on every call of ChainPerCall`
}

func ChainShared(ctx context.Context, u string) error {
	return NewBuilder().WithClient(sharedDoer).Path(u).Fetch(ctx)
}

func ChainClosed(ctx context.Context, u string) error {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	return NewBuilder().WithClient(&http.Client{Transport: tr}).Path(u).Fetch(ctx)
}

// A holder that builds a pool of its own, which a setter or a builder's
// method replaces: replaced before any request, it never holds a
// connection; used first, it is dropped with its idle connections.
type Own struct{ hc *http.Client }

func NewOwn() *Own { // want NewOwn:`^result0:pool@hc.Transport$`
	return &Own{hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
}

func (o *Own) SetClient(hc *http.Client) { // want SetClient:`^recv:pool:borrows,sets\(hc\) param0:pool:into\(recv\)$`
	if hc == nil {
		panic("nil client")
	}
	o.hc = hc
}

func (o *Own) Client(hc *http.Client) *Own { // want Client:`^recv:pool:returns\(0\),sets\(hc\) param0:pool:returns\+into\(recv@hc\)\(0@hc\)$`
	o.hc = hc
	return o
}

func (o *Own) Get(u string) error { // want Get:`^recv:pool:uses$`
	resp, err := o.hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func OwnReplaced(u string) error {
	o := NewOwn()
	o.SetClient(sharedClient)
	return o.Get(u)
}

func OwnReplacedChain(u string) error {
	return NewOwn().Client(sharedClient).Get(u)
}

func OwnReplacedVar(u string) error {
	o := NewOwn()
	o = o.Client(sharedClient)
	return o.Get(u)
}

func OwnUsedFirst(u string) error {
	o := NewOwn() // want `connection pool o from NewOwn\(\) is built on every call of OwnUsedFirst`
	if err := o.Get(u); err != nil {
		return err
	}
	o.SetClient(sharedClient)
	return o.Get(u)
}

func OwnReplacedSometimes(u string, shared bool) error {
	o := NewOwn() // want `connection pool o from NewOwn\(\) is built on every call of OwnReplacedSometimes`
	if shared {
		o.SetClient(sharedClient)
	}
	return o.Get(u)
}

// A setter on a holder that is not the caller's own: the pool goes into
// a shared value, which outlives the call.
var sharedBuilder = NewBuilder()

func SetterOnShared(ctx context.Context, u string) error {
	sharedBuilder.SetClient(&http.Client{Transport: &http.Transport{}})
	return sharedBuilder.Path(u).Fetch(ctx)
}

// A closure over a client, called per request: it uses the pool.
type Endpoint func(ctx context.Context) error

func MakeEndpoint(c *http.Client, u string) Endpoint { // want MakeEndpoint:`^param0:pool:returns\(0\)$`
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
}

func EndpointPerCall(ctx context.Context, u string) error {
	ep := MakeEndpoint(&http.Client{Transport: &http.Transport{}}, u) // want `new http.Transport held by ep is built on every call of EndpointPerCall`
	return ep(ctx)
}

// The standard library's reverse proxy, built per request.
type PerRequestProxy struct{ Target *url.URL }

func (h *PerRequestProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(h.Target) },
		Transport: &http.Transport{}, // want `new http.Transport held by p is built on every request served by PerRequestProxy.ServeHTTP`
	}
	p.ServeHTTP(w, r)
}

type SingleHostProxy struct{ Target *url.URL }

func (h *SingleHostProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := httputil.NewSingleHostReverseProxy(h.Target)
	p.Transport = http.DefaultTransport.(*http.Transport).Clone() // want `cloned http.Transport held by p is built on every request served by SingleHostProxy.ServeHTTP`
	p.ServeHTTP(w, r)
}

type SharedProxy struct{ Proxy *httputil.ReverseProxy }

func (h *SharedProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`^recv:pool:uses$`
	h.Proxy.ServeHTTP(w, r)
}
