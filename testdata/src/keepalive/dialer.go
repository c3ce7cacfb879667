package keepalive

// A net.Dialer with a negative KeepAlive, installed on a Transport.

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// K02 of the probe corpus: a method value on a Dialer literal.
var literalMethodValue = &http.Client{
	Transport: &http.Transport{
		DialContext: (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: -1}).DialContext, // want `^KeepAlive: -1 disables TCP keep-alive probes only`
	},
}

// An expression, and a named constant.
const noProbes = -time.Second

var exprDialer = &net.Dialer{KeepAlive: -1 * time.Second} // want `^KeepAlive: -1 \* time.Second disables`

var constDialer = net.Dialer{
	Timeout:   time.Second,
	KeepAlive: noProbes, // want `^KeepAlive: noProbes disables`
}

var methodValues = &http.Transport{
	Dial:        constDialer.Dial,
	DialContext: exprDialer.DialContext,
}

// K03: KeepAliveConfig disabled too, in a closure.
var configClosure = &http.Transport{
	DialContext: func(ctx context.Context, n, a string) (net.Conn, error) {
		d := net.Dialer{KeepAliveConfig: net.KeepAliveConfig{Enable: false}, KeepAlive: -1} // want `^KeepAlive: -1 disables`
		return d.DialContext(ctx, n, a)
	},
}

// A dialer set up field by field, and one shared by DialTLS through
// tls.DialWithDialer.
var fieldsClient *http.Client

func init() {
	d := new(net.Dialer)
	d.Timeout = time.Second
	d.KeepAlive = -1 // want `^d.KeepAlive = -1 disables`
	fieldsClient = &http.Client{Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment, DialContext: d.DialContext,
	}}
}

var tlsDialer = &net.Dialer{Timeout: time.Second, KeepAlive: -1} // want `^KeepAlive: -1 disables`

var tlsTransport = &http.Transport{
	DialTLS: func(network, addr string) (net.Conn, error) {
		return tls.DialWithDialer(tlsDialer, network, addr, &tls.Config{})
	},
}

// Negative: zero and positive KeepAlive; KeepAliveConfig{Enable: false}
// alone (KeepAlive zero: probes at the default period); Enable: true
// (KeepAlive is then ignored); a negative KeepAlive overridden later.

var defaultDialer = &net.Dialer{Timeout: 30 * time.Second}

var positiveDialer = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}

var configOnlyDialer = &net.Dialer{KeepAliveConfig: net.KeepAliveConfig{Enable: false}}

var configOnDialer = &net.Dialer{KeepAlive: -1, KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: time.Minute}}

var overriddenDialer = &net.Dialer{KeepAlive: -1}

func init() {
	overriddenDialer.KeepAlive = 15 * time.Second
}

var negativeDialers = []*http.Transport{
	{DialContext: defaultDialer.DialContext},
	{DialContext: positiveDialer.DialContext},
	{DialContext: configOnlyDialer.DialContext},
	{DialContext: configOnDialer.DialContext},
	{DialContext: overriddenDialer.DialContext},
}
