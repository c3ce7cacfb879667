package transport

import (
	"net/http"
	"sync"
)

// Holders that build their pool on first use: a method fills the
// receiver with a fresh pool (the fact says "fills"), so each holder
// built per call and used leaves a pool behind.

type LazyClient struct {
	once sync.Once
	hc   *http.Client
}

func (l *LazyClient) build() { // want build:`^recv:pool:fills$`
	l.hc = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

func (l *LazyClient) Do(req *http.Request) (*http.Response, error) { // want Do:`^recv:pool:uses\+fills result0:body$`
	l.once.Do(l.build)
	return l.hc.Do(req)
}

func (l *LazyClient) CloseIdleConnections() { // want CloseIdleConnections:`^recv:pool:releases$`
	if l.hc != nil {
		l.hc.CloseIdleConnections()
	}
}

func NewLazyClient() *LazyClient { return &LazyClient{} } // want NewLazyClient:`^result0:pool,lazy$`

func LazyPerCall(req *http.Request) error {
	c := NewLazyClient() // want `connection pool c from NewLazyClient\(\) is built on every call of LazyPerCall`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func LazyLiteral(req *http.Request) error {
	c := &LazyClient{} // want `new LazyClient held by c is built on every call of LazyLiteral`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func LazyNew(req *http.Request) error {
	c := new(LazyClient) // want `new LazyClient held by c is built on every call of LazyNew`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A holder that fills itself under a nil test, in a function literal
// run by sync.Once.

type OnDemand struct {
	mu sync.Mutex
	hc *http.Client
}

func (o *OnDemand) client() *http.Client { // want client:`^recv:pool:returns\+fills\(0\)$`
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.hc == nil {
		o.hc = &http.Client{Transport: &http.Transport{}}
	}
	return o.hc
}

func (o *OnDemand) Get(u string) (*http.Response, error) { // want Get:`^recv:pool:uses\+fills result0:body$`
	return o.client().Get(u)
}

func OnDemandPerRequest(w http.ResponseWriter, r *http.Request) {
	o := &OnDemand{} // want `new OnDemand held by o is built on every request served by OnDemandPerRequest`
	resp, err := o.Get("http://example.invalid/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

// Not reported: built once, closed, given its client, never filled or
// never used.

var sharedLazy = NewLazyClient()

func LazyShared(req *http.Request) error {
	resp, err := sharedLazy.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func LazyClosed(req *http.Request) error {
	c := NewLazyClient()
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func OnDemandGiven(u string) error {
	o := &OnDemand{hc: http.DefaultClient}
	resp, err := o.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func LazyUnused() *http.Request {
	c := NewLazyClient()
	_ = c
	req, _ := http.NewRequest("GET", "http://example.invalid/", nil)
	return req
}

// A setter that installs a pool is a filling method too, but a holder
// on which it is never called holds no pool of its own.

type Settable struct{ hc *http.Client }

func (s *Settable) UseProxy() { // want UseProxy:`^recv:pool:fills$`
	s.hc = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment}}
}

func (s *Settable) Get(u string) (*http.Response, error) { // want Get:`^recv:pool:uses result0:body$`
	hc := s.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Get(u)
}

func SettablePlain(u string) error {
	s := &Settable{}
	resp, err := s.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func SettableProxied(u string) error {
	s := &Settable{} // want `new Settable held by s is built on every call of SettableProxied`
	s.UseProxy()
	resp, err := s.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
