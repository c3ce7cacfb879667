package transport

import (
	"crypto/tls"
	"io"
	"net/http"
	"time"
)

// Every way of building a pool, in exported functions (callers unknown).
// The literals use a parameter, so no fix is offered here (see fix.go).

func PointerLiteral(url string, timeout time.Duration) error {
	tr := &http.Transport{ResponseHeaderTimeout: timeout} // want `new http.Transport tr is built on every call of PointerLiteral and dropped after use`
	c := &http.Client{Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func InlineInClient(url string, cfg *tls.Config) error {
	c := http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of InlineInClient`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func InlineNoVariable(url string, cfg *tls.Config) error {
	resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}).Get(url) // want `new http.Transport is built on every call of InlineNoVariable and dropped after use, .* or call CloseIdleConnections on it when done`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func NewBuiltin(url string) error {
	tr := new(http.Transport) // want `new http.Transport tr is built on every call of NewBuiltin`
	c := &http.Client{Transport: tr}
	resp, err := c.Head(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func CloneDefault(url string) error {
	tr := http.DefaultTransport.(*http.Transport).Clone() // want `cloned http.Transport tr is built on every call of CloneDefault`
	tr.TLSHandshakeTimeout = time.Second
	c := &http.Client{Transport: tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func CloneBase(base *http.Transport, req *http.Request) error { // want CloneBase:`^param0:pool:borrows$`
	tr := base.Clone() // want `cloned http.Transport tr is built on every call of CloneBase`
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func ValueAddress(url string, timeout time.Duration) error {
	var tr http.Transport
	tr = http.Transport{IdleConnTimeout: timeout} // want `new http.Transport tr is built on every call of ValueAddress`
	c := &http.Client{Transport: &tr}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The transport goes in through c.Transport of a client built here.
func SetOnLocalClient(url string, cfg *tls.Config) error {
	c := &http.Client{Timeout: time.Second}
	c.Transport = &http.Transport{TLSClientConfig: cfg} // want `new http.Transport of client c is built on every call of SetOnLocalClient`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A copy of a shared client, with a cloned transport put in the copy:
// the copy is local, so is the clone.
func ClientCopy(req *http.Request, shared *http.Client, cert tls.Certificate) error { // want ClientCopy:`^param1:pool:borrows$`
	tr, ok := shared.Transport.(*http.Transport)
	if !ok {
		return nil
	}
	trCopy := tr.Clone() // want `cloned http.Transport trCopy is built on every call of ClientCopy`
	trCopy.TLSClientConfig.Certificates = []tls.Certificate{cert}
	clientCopy := *shared
	clientCopy.Transport = trCopy
	resp, err := clientCopy.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Through a RoundTripper variable, and with a request built first.
func RoundTripperVar(req *http.Request, insecure bool) error {
	var rt http.RoundTripper = http.DefaultTransport
	if insecure {
		rt = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: insecure}} // want `new http.Transport rt is built on every call of RoundTripperVar`
	}
	c := &http.Client{Transport: rt}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type alias = http.Transport

func AliasType(url string, timeout time.Duration) error {
	c := &http.Client{Transport: &alias{ExpectContinueTimeout: timeout}} // want `new http.Transport of client c is built on every call of AliasType`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Methods: exported ones have unknown callers.

type API struct{ base string }

func (a *API) Fetch(path string, timeout time.Duration) error {
	c := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: timeout}} // want `new http.Transport of client c is built on every call of API.Fetch`
	resp, err := c.Get(a.base + path)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Generic functions are checked like others.
func Decode[T any](url string, timeout time.Duration, decode func(io.Reader) (T, error)) (T, error) { // want Decode:`^param2:forwards\(0<-0\)$`
	var zero T
	c := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: timeout}} // want `new http.Transport of client c is built on every call of Decode`
	resp, err := c.Get(url)
	if err != nil {
		return zero, err
	}
	defer resp.Body.Close()
	return decode(resp.Body)
}
