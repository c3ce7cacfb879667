// Package dialers declares dial funcs that turn off TCP keep-alive, for
// transports in another package.
package dialers

import (
	"context"
	"net"
	"net/http"
	"time"
)

func NoKeepAlive(ctx context.Context, network, addr string) (net.Conn, error) { // want NoKeepAlive:"result0:noKeepAliveConn"
	d := net.Dialer{Timeout: time.Second, KeepAlive: -1}
	return d.DialContext(ctx, network, addr)
}

type Pool struct{}

func (*Pool) Dial(network, addr string) (net.Conn, error) { // want Dial:"result0:noKeepAliveConn"
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false)
	return conn, nil
}

func KeepsAlive(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: time.Second, KeepAlive: 30 * time.Second}
	return d.DialContext(ctx, network, addr)
}

// Client closes its connections after each request: not reported.
var Client = &http.Client{Transport: &http.Transport{DialContext: NoKeepAlive, DisableKeepAlives: true}}
