package body

import (
	"io"
	"net/http"
	"time"
)

// A function literal is checked on its own.
func inClosure(urls []string) {
	check := func(x string) bool {
		resp, err := http.Get(x) // want `resp.Body is not closed on every path`
		if err != nil {
			return false
		}
		return resp.StatusCode == 200 // leaks here
	}
	for _, x := range urls {
		check(x)
	}
}

// A ticker loop in a goroutine.
func poll(c *http.Client, stop <-chan struct{}) { // want poll:`^param0:pool:keeps$`
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				resp, err := c.Get(u) // want `resp.Body is not closed on every path`
				if err != nil {
					continue
				}
				if resp.StatusCode != 200 {
					continue // leaks here
				}
				resp.Body.Close()
			}
		}
	}()
}

// A variable of the enclosing function assigned in a closure outlives it.
func assignsOuter() *http.Response {
	var resp *http.Response
	func() {
		resp, _ = http.Get(u)
	}()
	return resp
}

// Deeply nested closures.
func nested() func() func() int {
	return func() func() int {
		return func() int {
			resp, err := http.Get(u) // want `resp.Body is not closed on every path`
			if err != nil {
				return 0
			}
			return resp.StatusCode // leaks here
		}
	}
}

// A goroutine reads the body and never closes it: reported, but without
// the deferred close after the error check, which would close the body
// under the goroutine's feet.
func PipeBody(u string) (io.Reader, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in PipeBody`
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, resp.Body)
		pw.CloseWithError(err)
	}()
	return pr, nil // leaks here
}
