package keepalive

// Negative: dialers and dial funcs that turn off TCP keep-alive but are
// only used for raw TCP (SMTP, a database driver), never installed on a
// Transport.

import (
	"context"
	"net"
	"net/smtp"
	"time"
)

var rawDialer = &net.Dialer{Timeout: time.Second, KeepAlive: -1}

func sendMail(addr, host string) error {
	conn, err := rawDialer.Dial("tcp", addr)
	if err != nil {
		return err
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	return c.Quit()
}

// dbDial would be registered with a database driver.
func dbDial(ctx context.Context, addr string) (net.Conn, error) { // want dbDial:"result0:noKeepAliveConn"
	conn, err := rawDialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn.(*net.TCPConn).SetKeepAlive(false)
	return conn, nil
}

var driverDial = dbDial

func probe(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	conn.(*net.TCPConn).SetKeepAlive(false)
	return conn.Close()
}
