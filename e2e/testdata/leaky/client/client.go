// Package client installs dial.NoKeepAlive on Transports, and builds a
// Transport per call.
package client

import (
	"net/http"

	"example.com/leaky/dial"
)

// Pooled still pools its connections: keep-alive is off on the dialer only.
var Pooled = &http.Transport{DialContext: dial.NoKeepAlive}

// Unpooled does not pool: the Transport itself disables keep-alives.
var Unpooled = &http.Transport{DialContext: dial.NoKeepAlive, DisableKeepAlives: true}

// Get builds a Transport on every call and drops it with its idle connection.
func Get(u string) error {
	c := &http.Client{Transport: &http.Transport{}}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
