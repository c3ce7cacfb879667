package keepalive

// The ways a dial func gets installed on a Transport: the deprecated
// Dial field, DialContext, DialTLS, DialTLSContext; in the literal or by
// a later assignment; as a function, a method value, a closure or a
// variable.

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

type pool struct {
	dialer net.Dialer
	cfg    *tls.Config
}

// dialTLS is installed as a method value.
func (p *pool) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) { // want dialTLS:"result0:noKeepAliveConn"
	conn, err := p.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false) // want `^conn.\(\*net.TCPConn\).SetKeepAlive\(false\) disables`
	return tls.Client(conn, p.cfg), nil
}

var tlsPool = &pool{cfg: &tls.Config{}}

var methodValueTransport = &http.Transport{DialTLSContext: tlsPool.dialTLS}

// shortDial is installed on two transports: reported once, both get the fix.
func shortDial(network, addr string) (net.Conn, error) { // want shortDial:"result0:noKeepAliveConn"
	conn, err := net.DialTimeout(network, addr, time.Second)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false) // want `^conn.\(\*net.TCPConn\).SetKeepAlive\(false\) disables`
	return conn, nil
}

var (
	shortA = &http.Transport{Dial: shortDial}
	shortB = &http.Transport{
		MaxIdleConns: 10,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return shortDial(network, addr) // through a closure
		},
	}
)

// A dial func held in a variable, and wrapped in another dial func.
func wrappedDial(network, addr string) (net.Conn, error) { // want wrappedDial:"result0:noKeepAliveConn"
	d := net.Dialer{}
	d.KeepAlive = -1 // want `^d.KeepAlive = -1 disables`
	return d.Dial(network, addr)
}

func wrapperDial(network, addr string) (net.Conn, error) { // want wrapperDial:"result0:noKeepAliveConn"
	return wrappedDial(network, addr)
}

var dialVar = wrapperDial

var varTransport = &http.Transport{DialTLS: dialVar}

// Installed by assignment: on a Clone of DefaultTransport (no fix: no
// literal to edit) and on a variable holding a literal.
func cloneDial(ctx context.Context, network, addr string) (net.Conn, error) { // want cloneDial:"result0:noKeepAliveConn"
	d := &net.Dialer{KeepAlive: -time.Second} // want `^KeepAlive: -time.Second disables`
	return d.DialContext(ctx, network, addr)
}

var assignedA, assignedB *http.Client

func init() {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = cloneDial
	assignedA = &http.Client{Transport: t}

	t2 := &http.Transport{}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			conn.(*net.TCPConn).SetKeepAlive(false) // want `^conn.\(\*net.TCPConn\).SetKeepAlive\(false\) disables`
		}
		return conn, err
	}
	t2.DialContext = dial
	assignedB = &http.Client{Transport: t2}
}

// An explicit DisableKeepAlives: false is fixed in place.
var explicitFalse = &http.Transport{Dial: shortDial, DisableKeepAlives: false}

// No room for a statement after the assignment: no fix.
func init() {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if t.DialContext = cloneDial; t.Proxy != nil {
		assignedA = &http.Client{Transport: t}
	}
}
