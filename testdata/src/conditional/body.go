package conditional

import (
	"encoding/json"
	"net/http"
)

// A Doer decodes the response into out and closes its body when out is
// not nil; otherwise the body is the caller's to close.
type Doer struct{ c *http.Client }

func (d *Doer) do(req *http.Request, out any) (*http.Response, error) { // want do:`^recv:pool:uses result0:body,when\(!p1\)$`
	resp, err := d.c.Do(req)
	if err != nil {
		return nil, err
	}
	if out != nil {
		defer resp.Body.Close()
		return resp, json.NewDecoder(resp.Body).Decode(out)
	}
	return resp, nil
}

// Get passes its own out on: its response is fresh when that is nil.
func (d *Doer) Get(req *http.Request, out any) (*http.Response, error) { // want Get:`^recv:pool:uses result0:body,when\(!p1\)$`
	return d.do(req, out)
}

type Thing struct{ Name string }

// nil: the body stays open and nobody closes it.
func (d *Doer) Delete(req *http.Request) error { // want Delete:`^recv:pool:uses$`
	_, err := d.do(req, nil) // want `the response of d.do is discarded with _`
	return err
}

func (d *Doer) Ping(req *http.Request) error { // want Ping:`^recv:pool:uses$`
	resp, err := d.Get(req, nil) // want `resp.Body is not closed on every path in Doer.Ping`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil // leaks here
}

// Somewhere to decode into: the helper closes the body.
func (d *Doer) Fetch(req *http.Request) (*Thing, error) { // want Fetch:`^recv:pool:uses$`
	var t Thing
	_, err := d.do(req, &t)
	return &t, err
}

func (d *Doer) FetchNew(req *http.Request) (*Thing, error) { // want FetchNew:`^recv:pool:uses$`
	t := new(Thing)
	_, err := d.do(req, t)
	return t, err
}

func (d *Doer) FetchMap(req *http.Request) (map[string]any, error) { // want FetchMap:`^recv:pool:uses$`
	var m map[string]any
	_, err := d.Get(req, &m)
	return m, err
}

// A value that is never nil, passed as an interface.
func (d *Doer) FetchValue(req *http.Request) error { // want FetchValue:`^recv:pool:uses$`
	var t Thing
	_, err := d.do(req, t)
	return err
}

// A caller that closes it itself is fine either way.
func (d *Doer) Head(req *http.Request) (int, error) { // want Head:`^recv:pool:uses$`
	resp, err := d.do(req, nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// A helper that closes the body it is given only when there is
// somewhere to decode it.
func decodeInto(resp *http.Response, out any) error { // want decodeInto:`^param0:body:releases,when\(p1\)$`
	if out == nil {
		return nil
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func decodeNothing(c *http.Client, req *http.Request) error { // want decodeNothing:`^param0:pool:uses$`
	resp, err := c.Do(req) // want `resp.Body is not closed on every path in decodeNothing`
	if err != nil {
		return err
	}
	return decodeInto(resp, nil) // leaks here
}

func decodeThing(c *http.Client, req *http.Request) (*Thing, error) { // want decodeThing:`^param0:pool:uses$`
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	var t Thing
	return &t, decodeInto(resp, &t)
}

// A helper that checks the response itself before closing it closes it
// whenever there is one.
func closeIfAny(resp *http.Response) { // want closeIfAny:`^param0:body:releases$`
	if resp != nil {
		resp.Body.Close()
	}
}

func closedByHelper(c *http.Client, req *http.Request) error { // want closedByHelper:`^param0:pool:uses$`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	closeIfAny(resp)
	return nil
}
