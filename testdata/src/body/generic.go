package body

import (
	"encoding/json"
	"net/http"
)

// G1: a leak in a generic function.
func decodeLeak[T any](c *http.Client) (T, error) { // want decodeLeak:`^param0:pool:uses$`
	var v T
	resp, err := c.Get(u) // want `resp.Body is not closed on every path`
	if err != nil {
		return v, err
	}
	err = json.NewDecoder(resp.Body).Decode(&v)
	return v, err // leaks here
}

// G2: the same, closed.
func decodeOK[T any](c *http.Client) (T, error) { // want decodeOK:`^param0:pool:uses$`
	var v T
	resp, err := c.Get(u)
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&v)
	return v, err
}

// A generic client type whose method leaks.
type api[T any] struct{ c *http.Client }

func (a api[T]) get(url string) (T, error) { // want get:`^recv:pool:uses$`
	var v T
	resp, err := a.c.Get(url) // want `resp.Body is not closed on every path`
	if err != nil {
		return v, err
	}
	if resp.StatusCode != 200 {
		return v, nil // leaks here
	}
	defer resp.Body.Close()
	return v, json.NewDecoder(resp.Body).Decode(&v)
}

func useGenerics() {
	_, _ = decodeLeak[int](http.DefaultClient)
	_, _ = decodeOK[string](http.DefaultClient)
	_, _ = api[int]{http.DefaultClient}.get(u)
}
