package keepalive

// The write-up's code, nearly verbatim: DoRequest builds a Transport per
// call (the transport check) whose dial func turns off TCP keep-alive only
// (this check), believing that gives short connections.

import (
	"bytes"
	"encoding/json"
	"io/ioutil"
	"net"
	"net/http"
	"time"
)

const POST_REMOTE_TIMEOUT = 30

type RequestContent struct{}

type xx []byte

func dialTimeout(network, addr string) (net.Conn, error) { // want dialTimeout:"result0:noKeepAliveConn"
	conn, err := net.DialTimeout(network, addr, time.Second*POST_REMOTE_TIMEOUT)
	if err != nil {
		return conn, err
	}
	tcpConn := conn.(*net.TCPConn)
	tcpConn.SetKeepAlive(false) // want `^tcpConn.SetKeepAlive\(false\) disables TCP keep-alive probes only; the http.Transport still reuses and pools the connection \(to close connections after each request, set DisableKeepAlives: true on the Transport\)$`
	return tcpConn, err
}

func DoRequest(URL string) (xx, error) {
	transport := http.Transport{Dial: dialTimeout} // want `^new http.Transport transport is built on every call of DoRequest and dropped after use`
	client := http.Client{Transport: &transport}
	content := RequestContent{} // fill content here
	postStr, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	resp, err := client.Post(URL, "application/json", bytes.NewBuffer(postStr))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := ioutil.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	// receive body, handle it
	return body, nil
}
