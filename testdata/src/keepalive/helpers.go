package keepalive

import (
	"context"
	"net"
	"net/http"
	"time"

	"keepalive/dialers"
)

// The toggle in a helper the dial func hands its connection to.

func tuneConn(c net.Conn) { // want tuneConn:"param0:noKeepAliveConn:uses"
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetKeepAlive(false) // want `^tc.SetKeepAlive\(false\) disables TCP keep-alive probes only`
	}
}

var helperTuned = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tuneConn(c)
		return c, nil
	},
}

var helperTunedCross = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) { // want `^helper dialers.Tune disables TCP keep-alive probes only`
		c, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dialers.Tune(c)
		return c, nil
	},
}

// A helper that leaves keep-alive on: not reported.
var helperPeriod = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dialers.Period(c)
		return c, nil
	},
}

// A Transport built by a helper, given a dialer that turns keep-alive
// off.

func baseTransport() *http.Transport { // want baseTransport:"result0:pool"
	return &http.Transport{MaxIdleConnsPerHost: 8}
}

func HelperBuilt() *http.Client { // want HelperBuilt:"result0:pool@Transport"
	t := baseTransport()
	t.DialContext = (&net.Dialer{KeepAlive: -1}).DialContext // want `^KeepAlive: -1 disables TCP keep-alive probes only`
	return &http.Client{Transport: t}
}

func HelperBuiltDisabled() *http.Client { // want HelperBuiltDisabled:`^result0:poolOff@Transport$`
	t := baseTransport()
	t.DialContext = (&net.Dialer{KeepAlive: -1}).DialContext
	t.DisableKeepAlives = true
	return &http.Client{Transport: t}
}

func shortTransport() *http.Transport { // want shortTransport:`^result0:poolOff$`
	return &http.Transport{DisableKeepAlives: true}
}

func HelperBuiltShort() *http.Client { // want HelperBuiltShort:`^result0:poolOff@Transport$`
	t := shortTransport()
	t.DialContext = (&net.Dialer{KeepAlive: -1}).DialContext
	return &http.Client{Transport: t}
}
