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

// Tune is a helper a dial func hands its connection to: it turns TCP
// keep-alive off on it.
func Tune(c net.Conn) { // want Tune:"param0:noKeepAliveConn:uses"
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetKeepAlive(false)
	}
}

// Period leaves TCP keep-alive on.
func Period(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetKeepAlivePeriod(time.Minute)
	}
}

// TuneWith sets TCP keep-alive as its caller asks: off for false.
func TuneWith(c net.Conn, keepAlive bool) { // want TuneWith:`^param0:noKeepAliveConn:uses,when\(!p1\)$`
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetKeepAlive(keepAlive)
	}
}
