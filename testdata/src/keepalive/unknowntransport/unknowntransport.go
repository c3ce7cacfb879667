// Package unknowntransport installs a dial func that turns off TCP
// keep-alive on transports whose origin the package does not show: a
// parameter, a struct field, a call's result. They may well set
// DisableKeepAlives, so none is reported (configure says in its fact
// that it installs one on its parameter: its callers judge their own).
package unknowntransport

import (
	"context"
	"net"
	"net/http"
)

func noProbesDial(ctx context.Context, network, addr string) (net.Conn, error) { // want noProbesDial:"result0:noKeepAliveConn"
	return (&net.Dialer{KeepAlive: -1}).DialContext(ctx, network, addr)
}

func configure(t *http.Transport) { // want configure:`^param0:noKeepAliveConn:uses param0:pool:borrows$`
	t.DialContext = noProbesDial
}

type client struct{ tr *http.Transport }

func (c *client) setup() { // want setup:`^recv:pool:borrows$`
	c.tr.DialContext = noProbesDial
}

var shared = struct{ tr *http.Transport }{tr: http.DefaultTransport.(*http.Transport)}

func init() {
	shared.tr.DialContext = noProbesDial

	var t *http.Transport
	t = shared.tr
	t.Dial = func(network, addr string) (net.Conn, error) {
		return noProbesDial(context.Background(), network, addr)
	}
}
