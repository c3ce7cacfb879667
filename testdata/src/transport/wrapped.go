package transport

import "net/http"

// http.Client.CloseIdleConnections closes its transport's idle
// connections only if the transport has a CloseIdleConnections method: a
// wrapper without one drops the call.

type logging struct{ next http.RoundTripper }

func (l logging) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`^recv:pool:uses result0:body,viaRoundTripper$`
	return l.next.RoundTrip(req)
}

type forwarding struct{ next *http.Transport }

func (f forwarding) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`^recv:pool:uses result0:body$`
	return f.next.RoundTrip(req)
}

func (f forwarding) CloseIdleConnections() { f.next.CloseIdleConnections() } // want CloseIdleConnections:`^recv:pool:releases$`

func WrappedClosedByClient(u string) error {
	c := &http.Client{Transport: logging{next: &http.Transport{}}} // want `new http.Transport of client c is built on every call of WrappedClosedByClient.*close the transport itself \(c.CloseIdleConnections\(\) does not reach it`
	defer c.CloseIdleConnections()
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Reached: a wrapper that forwards the call, or the transport itself.

func ForwardingClosedByClient(u string) error {
	c := &http.Client{Transport: forwarding{next: &http.Transport{}}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func WrappedClosedDirectly(u string) error {
	tr := &http.Transport{}
	c := &http.Client{Transport: logging{next: tr}}
	defer tr.CloseIdleConnections()
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
