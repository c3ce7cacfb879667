// Package transport holds the fixtures of the transport check: pools
// (http.Transport, a Client with its own Transport, a helper's fresh
// client) built by code that runs repeatedly, used and dropped.
package transport

import (
	"bytes"
	"encoding/json"
	"io/ioutil"
	"net"
	"net/http"
	"time"
)

// The write-up's code, nearly verbatim: DoRequest is called
// periodically and builds a Transport and a Client on every call.

const POST_REMOTE_TIMEOUT = 5

type RequestContent struct {
	Name string `json:"name"`
}

func dialTimeout(network, addr string) (net.Conn, error) {
	return net.DialTimeout(network, addr, time.Second*POST_REMOTE_TIMEOUT)
}

func DoRequest(URL string) ([]byte, error) {
	transport := http.Transport{Dial: dialTimeout} // want `new http.Transport transport is built on every call of DoRequest and dropped after use, so each call leaves a new pool of idle keep-alive connections open; reuse one long-lived client/transport, or set DisableKeepAlives: true for short connections, or defer transport.CloseIdleConnections\(\)`
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

// Method 1 of the write-up: one global client, used by every call.

var globalClient = &http.Client{Transport: &http.Transport{Dial: dialTimeout}}

func DoRequestShared(URL string) ([]byte, error) {
	content := RequestContent{}
	postStr, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	resp, err := globalClient.Post(URL, "application/json", bytes.NewBuffer(postStr))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return ioutil.ReadAll(resp.Body)
}

// Method 2 of the write-up: short connections, really. Closing the body
// closes the connection instead of pooling it.

func DoRequestShort(URL string) ([]byte, error) {
	transport := http.Transport{Dial: dialTimeout, DisableKeepAlives: true}
	client := http.Client{Transport: &transport}
	content := RequestContent{}
	postStr, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	resp, err := client.Post(URL, "application/json", bytes.NewBuffer(postStr))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return ioutil.ReadAll(resp.Body)
}
