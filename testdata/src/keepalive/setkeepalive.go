package keepalive

// SetKeepAlive(false) on the dialed connection, in its different shapes.
// The transports are package-level: built once, so only this check
// has something to say about them.

import (
	"context"
	"net"
	"net/http"
)

// Through a type switch.
func typeSwitchDial(ctx context.Context, network, addr string) (net.Conn, error) { // want typeSwitchDial:"result0:noKeepAliveConn"
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	switch c := conn.(type) {
	case *net.TCPConn:
		c.SetKeepAlive(false) // want `^c.SetKeepAlive\(false\) disables TCP keep-alive probes only`
	}
	return conn, nil
}

var typeSwitchTransport = &http.Transport{
	DialContext: typeSwitchDial,
}

// Through an interface literal with a SetKeepAlive method.
func interfaceDial(ctx context.Context, network, addr string) (net.Conn, error) { // want interfaceDial:"result0:noKeepAliveConn"
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if ka, ok := conn.(interface{ SetKeepAlive(bool) error }); ok {
		ka.SetKeepAlive(false) // want `^ka.SetKeepAlive\(false\) disables TCP keep-alive probes only`
	}
	return conn, nil
}

// Through a named interface, with a named constant.
type keepAliver interface {
	SetKeepAlive(keepalive bool) error
}

const probes = false

func namedInterfaceDial(network, addr string) (net.Conn, error) { // want namedInterfaceDial:"result0:noKeepAliveConn"
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	conn.(keepAliver).SetKeepAlive(probes) // want `^conn.\(keepAliver\).SetKeepAlive\(probes\) disables TCP keep-alive probes only`
	return conn, nil
}

// Through a type that embeds *net.TCPConn, returning *net.TCPConn.
type trackedConn struct {
	*net.TCPConn
	id int
}

func embeddedDial(network, addr string) (*net.TCPConn, error) { // want embeddedDial:"result0:noKeepAliveConn"
	raddr, err := net.ResolveTCPAddr(network, addr)
	if err != nil {
		return nil, err
	}
	tc, err := net.DialTCP(network, nil, raddr)
	if err != nil {
		return nil, err
	}
	t := trackedConn{TCPConn: tc, id: 1}
	t.SetKeepAlive(false) // want `^t.SetKeepAlive\(false\) disables TCP keep-alive probes only`
	return t.TCPConn, nil
}

var typeSwitchAndEmbedded = &http.Transport{
	Dial:        func(network, addr string) (net.Conn, error) { return embeddedDial(network, addr) },
	DialContext: interfaceDial,
}

var namedInterfaceTransport = &http.Transport{Dial: namedInterfaceDial}

// Negative: SetKeepAlive(true), SetKeepAlivePeriod, a flag that is not a
// constant, and a SetKeepAlive method of some other type.

func keepAliveOnDial(network, addr string) (net.Conn, error) {
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	tc := conn.(*net.TCPConn)
	tc.SetKeepAlive(true)
	tc.SetKeepAlivePeriod(0)
	return tc, nil
}

var noProbesFlag bool

func flagDial(network, addr string) (net.Conn, error) {
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(noProbesFlag)
	return conn, nil
}

type pinger struct{ net.Conn }

// SetKeepAlive here pings the peer; it has nothing to do with TCP.
func (p pinger) SetKeepAlive(on bool) error { return nil }

func pingerDial(network, addr string) (net.Conn, error) {
	conn, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	p := pinger{conn}
	p.SetKeepAlive(false)
	return p, nil
}

var negativeTransports = []*http.Transport{
	{Dial: keepAliveOnDial},
	{Dial: flagDial},
	{Dial: pingerDial},
}
