// Package conditional holds helpers whose effect depends on an argument:
// a constructor that builds a pool only when an option asks for it, a
// helper that closes the body only when the caller passes somewhere to
// decode it.
package conditional

import (
	"crypto/tls"
	"net/http"
	"time"
)

type Options struct {
	Timeout time.Duration
	Pooled  bool
	TLS     *TLSOptions
}

type TLSOptions struct {
	Insecure bool
}

// A Client with its own Transport only when opts.Pooled is set.
func NewClientWithOptions(opts Options) *http.Client { // want NewClientWithOptions:`^result0:pool@Transport,when\(p0.Pooled\)$`
	c := &http.Client{Timeout: opts.Timeout}
	if opts.Pooled {
		c.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	}
	return c
}

// The same, as an early return, through a pointer and a nested field:
// the nil checks guard the option, the option decides.
func NewFromConfig(opts *Options) *http.Client { // want NewFromConfig:`^result0:pool@Transport,when\(p0.TLS.Insecure\)$`
	if opts == nil || opts.TLS == nil || !opts.TLS.Insecure {
		return &http.Client{}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

// A boolean parameter.
func NewClient(pooled bool) *http.Client { // want NewClient:`^result0:pool@Transport,when\(p0\)$`
	if pooled {
		return &http.Client{Transport: &http.Transport{}}
	}
	return http.DefaultClient
}

// Always a pool: a condition on one path only does not count.
func NewEither(pooled bool) *http.Client { // want NewEither:`^result0:pool@Transport$`
	if pooled {
		return &http.Client{Transport: &http.Transport{MaxIdleConns: 10}}
	}
	return &http.Client{Transport: &http.Transport{}}
}

// A parameter the helper changes is not an option of the caller's.
func NewAdjusted(opts Options) *http.Client { // want NewAdjusted:`^result0:pool@Transport$`
	opts.Pooled = opts.Pooled || opts.Timeout > 0
	if opts.Pooled {
		return &http.Client{Transport: &http.Transport{}}
	}
	return http.DefaultClient
}

// An SDK-style holder passes the option on: its result is conditional too.
type API struct{ hc *http.Client }

func NewAPI(opts Options) *API { // want NewAPI:`^result0:pool@hc.Transport,when\(p0.Pooled\)$`
	return &API{hc: NewClientWithOptions(opts)}
}

// Left at its zero value, the option builds no pool: not reported.

func GetDefault(url string) error {
	c := NewClientWithOptions(Options{Timeout: time.Second})
	return done(c.Get(url))
}

func GetFalse(url string) error {
	c := NewClientWithOptions(Options{Pooled: false})
	return done(c.Get(url))
}

func GetViaVariable(url string) error {
	opts := Options{Timeout: time.Second}
	c := NewClientWithOptions(opts)
	return done(c.Get(url))
}

func GetFromNilConfig(url string) error {
	c := NewFromConfig(nil)
	return done(c.Get(url))
}

func GetFromSecureConfig(url string) error {
	c := NewFromConfig(&Options{TLS: &TLSOptions{}})
	return done(c.Get(url))
}

func GetUnpooled(url string) error {
	c := NewClient(false)
	return done(c.Get(url))
}

// Set from configuration, a constant true, a later assignment: a pool is
// built on every call.

func GetPooled(url string, pooled bool) error {
	c := NewClientWithOptions(Options{Pooled: pooled}) // want `connection pool c from NewClientWithOptions\(\) is built on every call of GetPooled`
	return done(c.Get(url))
}

func GetPooledConst(url string) error {
	c := NewClientWithOptions(Options{Pooled: true}) // want `connection pool c from NewClientWithOptions\(\) is built on every call of GetPooledConst`
	return done(c.Get(url))
}

func GetPooledLater(url string, pooled bool) error {
	opts := Options{Timeout: time.Second}
	opts.Pooled = pooled
	c := NewClientWithOptions(opts) // want `connection pool c from NewClientWithOptions\(\) is built on every call of GetPooledLater`
	return done(c.Get(url))
}

func GetWithOptions(url string, opts Options) error {
	c := NewClientWithOptions(opts) // want `connection pool c from NewClientWithOptions\(\) is built on every call of GetWithOptions`
	return done(c.Get(url))
}

func GetInsecure(url string) error {
	c := NewFromConfig(&Options{TLS: &TLSOptions{Insecure: true}}) // want `connection pool c from NewFromConfig\(\) is built on every call of GetInsecure`
	return done(c.Get(url))
}

func GetPooledFlag(url string, pooled bool) error {
	c := NewClient(pooled) // want `connection pool c from NewClient\(\) is built on every call of GetPooledFlag`
	return done(c.Get(url))
}

func GetEither(url string) error {
	c := NewEither(false) // want `connection pool c from NewEither\(\) is built on every call of GetEither`
	return done(c.Get(url))
}

func GetAdjusted(url string) error {
	c := NewAdjusted(Options{}) // want `connection pool c from NewAdjusted\(\) is built on every call of GetAdjusted`
	return done(c.Get(url))
}

func done(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Functional options may replace the client (a mock in tests): a
// replaced pool is never used. The pool is built per call only when no
// option is given.
type Service struct{ hc *http.Client }

type Option func(*Service)

func WithHTTPClient(hc *http.Client) Option { // want WithHTTPClient:`^param0:pool:returns\(0\)$`
	return func(s *Service) { s.hc = hc }
}

func NewService(opts ...Option) *Service { // want NewService:`^param0:pool:returns\(0\) result0:pool@hc.Transport,when\(!p0\)$`
	s := &Service{hc: &http.Client{Transport: &http.Transport{}}}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

func (s *Service) Ping(u string) error { // want Ping:`^recv:pool:uses$`
	return done(s.hc.Get(u))
}

func PingDefault(u string) error {
	return NewService().Ping(u) // want `connection pool from NewService\(\) is built on every call of PingDefault`
}

func PingWithClient(u string, hc *http.Client) error { // want PingWithClient:`^param1:pool:uses$`
	return NewService(WithHTTPClient(hc)).Ping(u)
}
