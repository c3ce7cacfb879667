// Package generic leaks in a generic function and a range-over-func loop.
package generic

import (
	"encoding/json"
	"iter"
	"net/http"
)

func Decode[T any](c *http.Client, u string) (T, error) {
	var v T
	resp, err := c.Get(u)
	if err != nil {
		return v, err
	}
	return v, json.NewDecoder(resp.Body).Decode(&v)
}

func Tries(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func Poll(c *http.Client, u string) {
	for range Tries(3) {
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		if resp.StatusCode == 200 {
			return
		}
		resp.Body.Close()
	}
}
