// Package remote builds: facts about it reach app.
package remote

import "net/http"

// Fetch returns a response whose body its caller must close.
func Fetch(u string) (*http.Response, error) { return http.Get(u) }
