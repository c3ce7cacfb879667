// Package closer has two helpers that take a response: one closes it,
// the other only reads it.
package closer

import (
	"io"
	"net/http"
)

// Close closes c: a response body passed here is handed off.
func Close(c io.Closer) { _ = c.Close() }

// Status only reads r: its caller must still close the body.
func Status(r *http.Response) int { return r.StatusCode }
