// Package drain holds the drain check's fixtures: bodies closed without
// being read to the end (reported), and read ones (not).
package drain

import (
	"encoding/json"
	"io"
	"net/http"
)

var client = &http.Client{}

func statusOnly(req *http.Request) (int, error) {
	resp, err := client.Do(req) // want `resp.Body is closed without being read to the end`
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close() // leaks here
	return resp.StatusCode, nil
}

func closedAtOnce(req *http.Request) error {
	resp, err := client.Do(req) // want `resp.Body is closed without being read to the end`
	if err != nil {
		return err
	}
	resp.Body.Close() // leaks here
	return nil
}

// Read to the end, decoded, handed to code that may read it: fine.

func drained(req *http.Request) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func decoded(req *http.Request, out any) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func handedOn(req *http.Request) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return process(resp)
}

func process(resp *http.Response) error { // want process:`^param0:body:drains$`
	_, err := io.ReadAll(resp.Body)
	return err
}

// Never closed: the body check's business, not this one's.
func leaked(req *http.Request) int {
	resp, err := client.Do(req) // want `resp.Body is not closed on every path in leaked`
	if err != nil {
		return 0
	}
	return resp.StatusCode // leaks here
}
