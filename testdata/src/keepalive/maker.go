package keepalive

// Makers of dial funcs and dialers, in this package.

import (
	"net"
	"net/http"
	"time"
)

func newDialer(timeout time.Duration) *net.Dialer { // want newDialer:`^result0:noKeepAliveConn$`
	return &net.Dialer{
		Timeout:   timeout,
		KeepAlive: -1, // want `^KeepAlive: -1 disables`
	}
}

func timeoutDialer(timeout time.Duration) func(network, addr string) (net.Conn, error) { // want timeoutDialer:`^result0:noKeepAliveConn$`
	return func(network, addr string) (net.Conn, error) {
		conn, err := net.DialTimeout(network, addr, timeout)
		if err != nil {
			return nil, err
		}
		conn.SetDeadline(time.Now().Add(timeout))
		conn.(*net.TCPConn).SetKeepAlive(false) // want `^conn.\(\*net.TCPConn\).SetKeepAlive\(false\) disables`
		return conn, nil
	}
}

var makerTransport = &http.Transport{
	DialContext: newDialer(time.Second).DialContext,
	Dial:        timeoutDialer(time.Second),
}

// Negative: a maker whose dialer keeps probes on.
func keepingDialer() *net.Dialer {
	d := &net.Dialer{Timeout: time.Second}
	return d
}

var keepingMakerTransport = &http.Transport{DialContext: keepingDialer().DialContext}
