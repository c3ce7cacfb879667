// Package unknowndisable sets DisableKeepAlives on a Transport it gets as
// a parameter: any Transport of the package may be that one, so none is
// reported.
package unknowndisable

import (
	"context"
	"net"
	"net/http"
)

type Options struct{ ShortConnections bool }

func tune(t *http.Transport, o Options) { // want tune:`^param0:pool:borrows$`
	t.DisableKeepAlives = o.ShortConnections
}

func noProbesDial(ctx context.Context, network, addr string) (net.Conn, error) { // want noProbesDial:"result0:noKeepAliveConn"
	return (&net.Dialer{KeepAlive: -1}).DialContext(ctx, network, addr)
}

var transport = &http.Transport{DialContext: noProbesDial}

func init() {
	tune(transport, Options{ShortConnections: true})
}
