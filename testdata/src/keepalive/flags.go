package keepalive

import (
	"context"
	"net"
	"net/http"
	"time"

	"keepalive/dialers"
)

// Helpers that take the keep-alive toggle as a parameter: the argument
// decides.

func tuneFlag(c net.Conn, on bool) { // want tuneFlag:`^param0:body:borrows param0:noKeepAliveConn:uses,when\(!p1\)$`
	c.(*net.TCPConn).SetKeepAlive(on)
}

func dialTuned(on bool) func(ctx context.Context, network, addr string) (net.Conn, error) { // want dialTuned:`^result0:noKeepAliveConn,when\(!p0\)$`
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tuneFlag(conn, on)
		return conn, nil
	}
}

var flagOff = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tuneFlag(conn, false) // want `^tuneFlag\(conn, false\) disables TCP keep-alive probes only`
		return conn, nil
	},
}

var flagOn = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tuneFlag(conn, true)
		return conn, nil
	},
}

// The flag from elsewhere: not known, not reported.
var flagUnknown = &http.Transport{DialContext: dialTuned(time.Now().IsZero())}

// Another package's helper, through its fact.
var flagOffCross = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) { // want `^helper dialers.TuneWith disables TCP keep-alive probes only`
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dialers.TuneWith(conn, false)
		return conn, nil
	},
}

var flagOnCross = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dialers.TuneWith(conn, true)
		return conn, nil
	},
}

// A maker of dialers whose KeepAlive is its argument.
func dialerWith(keepAlive time.Duration) *net.Dialer { // want dialerWith:`^result0:noKeepAliveConn,when\(p0<0\)$`
	return &net.Dialer{Timeout: time.Second, KeepAlive: keepAlive}
}

var makerOff = &http.Transport{DialContext: dialerWith(-1).DialContext} // want `^dialerWith\(-1\) disables TCP keep-alive probes only`

var makerOn = &http.Transport{DialContext: dialerWith(30 * time.Second).DialContext}

var makerOffDisabled = &http.Transport{DialContext: dialerWith(-1).DialContext, DisableKeepAlives: true}
