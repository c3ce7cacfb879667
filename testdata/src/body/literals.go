package body

import (
	"io"
	"net/http"
)

// Function literals are judged by what their body does with the
// response; a reader that wraps the body and closes it carries the duty.

func deferredLiteralReads(u string) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in deferredLiteralReads`
	if err != nil {
		return
	}
	defer func(body io.ReadCloser) {}(resp.Body)
} // leaks here

func deferredLiteralCloses(u string) {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	defer func(body io.ReadCloser) { body.Close() }(resp.Body)
}

func maxBytesDropped(u string) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in maxBytesDropped`
	if err != nil {
		return
	}
	_ = http.MaxBytesReader(nil, resp.Body, 1024)
} // leaks here

func maxBytesClosed(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	r := http.MaxBytesReader(nil, resp.Body, 1<<20)
	defer r.Close()
	return io.ReadAll(r)
}

// io.NopCloser takes an io.Reader: closing it does not close the body.
func nopCloserClosed(u string) ([]byte, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in nopCloserClosed`
	if err != nil {
		return nil, err
	}
	r := io.NopCloser(resp.Body)
	defer r.Close()
	return io.ReadAll(r) // leaks here
}

// A function whose responses are handled elsewhere, as bodyclose's
// directive says: its callers are not held to close them.

//bodyclose:handled
func handledElsewhere(u string) (*http.Response, error) {
	return http.Get(u)
}

func callsHandled(u string) error {
	_, err := handledElsewhere(u)
	return err
}
