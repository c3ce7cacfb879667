package keepalive

// Generic dial funcs, instantiated where installed; an ignore directive.

import (
	"context"
	"net"
	"net/http"
)

type network interface{ ~string }

func genericDial[N network](ctx context.Context, n N, addr string) (net.Conn, error) { // want genericDial:"result0:noKeepAliveConn"
	conn, err := (&net.Dialer{}).DialContext(ctx, string(n), addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false) // want `^conn.\(\*net.TCPConn\).SetKeepAlive\(false\) disables`
	return conn, nil
}

var genericTransport = &http.Transport{DialContext: genericDial[string]}

func ignoredDial(network, addr string) (net.Conn, error) { // want ignoredDial:"result0:noKeepAliveConn"
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	//httpleakcheck:ignore probes are off on purpose; connection reuse is wanted
	conn.(*net.TCPConn).SetKeepAlive(false)
	return conn, nil
}

var ignoredTransport = &http.Transport{Dial: ignoredDial}
