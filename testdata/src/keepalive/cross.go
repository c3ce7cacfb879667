package keepalive

// Dial funcs of another package: reported at the field or assignment
// that installs them.

import (
	"context"
	"net"
	"net/http"

	"keepalive/dialers"
)

var crossFunc = &http.Transport{DialContext: dialers.NoKeepAlive} // want `^dial func dialers.NoKeepAlive disables TCP keep-alive probes only`

var crossMethod = &http.Transport{
	Dial: new(dialers.Pool).Dial, // want `^dial func dialers.Pool.Dial disables`
}

var crossClosure = &http.Transport{
	DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) { // want `^dial func dialers.NoKeepAlive disables`
		return dialers.NoKeepAlive(ctx, network, addr)
	},
}

var crossAssigned *http.Client

func init() {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = dialers.NoKeepAlive // want `^dial func dialers.NoKeepAlive disables`
	crossAssigned = &http.Client{Transport: t}
}

var crossOK = &http.Transport{DialContext: dialers.KeepsAlive}
