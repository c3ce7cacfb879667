package keepalive

// Negative: the same toggles on transports that do set DisableKeepAlives.

import (
	"context"
	"net"
	"net/http"
	"time"
)

func closingDial(ctx context.Context, network, addr string) (net.Conn, error) { // want closingDial:"result0:noKeepAliveConn"
	conn, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false)
	return conn, nil
}

var closingTransport = &http.Transport{
	DialContext:       closingDial,
	DisableKeepAlives: true,
}

var noKeepAlive = true

var closingDialerTransport = &http.Transport{
	DialContext:       (&net.Dialer{KeepAlive: -1}).DialContext,
	DisableKeepAlives: noKeepAlive, // not a constant: it may be true
}

var closingLater *http.Transport

func init() {
	t := &http.Transport{DialContext: closingDial}
	t.DisableKeepAlives = true
	closingLater = t

	c := http.DefaultTransport.(*http.Transport).Clone()
	c.DialContext = closingDial
	c.DisableKeepAlives = true
	closingLater2 = c
}

var closingLater2 *http.Transport

// A negative MaxIdleConnsPerHost keeps no idle connection either.
var noIdleTransport = &http.Transport{
	DialContext:         closingDial,
	MaxIdleConnsPerHost: -1,
}
