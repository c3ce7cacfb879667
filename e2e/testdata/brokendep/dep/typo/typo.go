// Package typo has a type error in one function; the rest of its API
// is fine.
package typo

import "net/http"

// Fetch returns a response whose body its caller must close.
func Fetch(u string) (*http.Response, error) { return http.Get(u) }

// Broken does not type-check.
func Broken() int { return "not an int" }
