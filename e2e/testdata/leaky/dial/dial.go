// Package dial has a dial func that turns off TCP keep-alive: that
// stops keep-alive probes only; a Transport still pools the connection.
package dial

import (
	"context"
	"net"
)

// NoKeepAlive dials addr and turns off TCP keep-alive on the connection.
func NoKeepAlive(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tcpConn := conn.(*net.TCPConn)
	tcpConn.SetKeepAlive(false)
	return tcpConn, nil
}
