package conditional

import (
	"net/http"
	"time"
)

// A fallback pool: a constructor that builds a Transport only when the
// client it is given has none. A caller that passes a client of its own,
// with a Transport, gets no new pool.

type Svc struct{ hc *http.Client }

func (s *Svc) Get(u string) error { // want Get:`^recv:pool:uses$`
	resp, err := s.hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type SvcOptions struct {
	Client  *http.Client
	Timeout time.Duration
}

// The option copied into a local first.
func NewSvc(o SvcOptions) *Svc { // want NewSvc:`^param0:pool:returns\(0@hc\) result0:pool@hc.Transport,when\(!p0.Client\)$`
	hc := o.Client
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{}, Timeout: o.Timeout}
	}
	return &Svc{hc: hc}
}

// The client's own Transport tested.
func NewSvcFor(c *http.Client) *Svc { // want NewSvcFor:`^param0:pool:returns\(0@hc\) result0:pool@hc.Transport,when\(!p0.Transport\)$`
	if c.Transport == nil {
		c.Transport = &http.Transport{}
	}
	return &Svc{hc: c}
}

// Early return on the option.
func NewSvcEarly(o SvcOptions) *Svc { // want NewSvcEarly:`^param0:pool:returns\(0@hc\) result0:pool@hc.Transport,when\(!p0.Client\)$`
	if o.Client != nil {
		return &Svc{hc: o.Client}
	}
	return &Svc{hc: &http.Client{Transport: &http.Transport{}}}
}

var shared = &http.Client{Transport: &http.Transport{}}

func WithShared(u string) error {
	return NewSvc(SvcOptions{Client: shared}).Get(u)
}

func WithSharedFor(u string, c *http.Client) error { // want WithSharedFor:`^param1:pool:uses droppedPool,when\(!p1.Transport\)$`
	return NewSvcFor(c).Get(u)
}

func WithSharedEarly(u string) error {
	return NewSvcEarly(SvcOptions{Client: shared}).Get(u)
}

func WithoutClient(u string) error {
	return NewSvc(SvcOptions{Timeout: time.Second}).Get(u) // want `connection pool from NewSvc\(\) is built on every call of WithoutClient`
}

func WithoutClientEarly(u string) error {
	return NewSvcEarly(SvcOptions{}).Get(u) // want `connection pool from NewSvcEarly\(\) is built on every call of WithoutClientEarly`
}

func WithFreshClient(u string) error {
	return NewSvcFor(&http.Client{Timeout: time.Second}).Get(u) // want `connection pool from NewSvcFor\(\) is built on every call of WithFreshClient`
}
