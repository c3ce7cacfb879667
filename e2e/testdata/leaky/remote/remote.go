// Package remote wraps http.Get: the callers of Fetch must close the body.
package remote

import "net/http"

// Fetch returns a response whose body its caller must close.
func Fetch(u string) (*http.Response, error) { return http.Get(u) }
