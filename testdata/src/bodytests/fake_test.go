package bodytests

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type failingRT struct{}

func (failingRT) RoundTrip(*http.Request) (*http.Response, error) { return nil, errors.New("boom") }

// assertError stands for testify's assert.Error and friends.
func assertError(t *testing.T, err error) bool {
	if err == nil {
		t.Error("want an error")
	}
	return err != nil
}

func assertNoError(t *testing.T, err error) bool {
	if err != nil {
		t.Error(err)
	}
	return err == nil
}

// Discarded responses of calls expected to fail.
func TestExpectedFailures(t *testing.T) {
	c := &http.Client{Transport: failingRT{}}
	_, err := c.Get("http://x.invalid/")
	assertError(t, err)
	_, err = c.Get("http://x.invalid/")
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://x.invalid/", nil)
	_, err = http.DefaultClient.Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Error(err)
	}
	calls := 0
	_, err = c.Get("http://x.invalid/")
	if calls != 0 {
		t.Error("called")
	}
	if err.Error() != "boom" {
		t.Error(err)
	}
}

// A discarded response of a call expected to succeed leaks.
func TestExpectedSuccess(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/") // want `the response of http.Get is discarded with _`
	assertNoError(t, err)
}

// A leak on a path where the test has already failed does not matter.
func TestFailedPath(t *testing.T) {
	c := &http.Client{Transport: failingRT{}}
	resp, err := c.Get("http://x.invalid/")
	if err == nil {
		t.Errorf("want an error")
	}
	if resp != nil {
		t.Errorf("want no response")
	}
}

// Fake round trippers answer with canned responses: not producers here.
type canned struct{ resp *http.Response }

func (c *canned) RoundTrip(*http.Request) (*http.Response, error) { return c.resp, nil }

func TestFakeRoundTripper(t *testing.T) {
	var rt http.RoundTripper = &canned{&http.Response{Status: "MOCK"}}
	req, _ := http.NewRequest("GET", "/x", nil)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Error(err)
	}
	w := &wrapper{rt: rt}
	res, err := w.roundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "MOCK" {
		t.Error(res.Status)
	}
}

// The test's own server answers 204 No Content: there is no body.
func TestNoContentServer(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen", r.URL.Path)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	_, err := ts.Client().Get(ts.URL)
	assertNoError(t, err)
}

// A server that writes a body: the discarded response leaks.
func TestBodyServer(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("hello"))
	}))
	t.Cleanup(ts.Close)
	_, err := ts.Client().Get(ts.URL) // want `the response of ts.Client\(\).Get is discarded with _`
	assertNoError(t, err)
}

// An assigned response of a call expected to fail: there is none.
func TestExpectedFailureAssigned(t *testing.T) {
	c := &http.Client{Transport: failingRT{}}
	resp, err := c.Get("http://x.invalid/")
	assertError(t, err)
	if resp != nil {
		t.Log(resp.StatusCode)
	}
}

// An assigned response of a call expected to succeed leaks.
func TestExpectedSuccessAssigned(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:1/") // want `resp.Body is not closed on every path in TestExpectedSuccessAssigned`
	assertNoError(t, err)
	t.Log(resp.StatusCode)
} // leaks here

// A server that panics answers no request: the client gets an error.
func TestHandlerPanics(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	}))
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		return
	}
	t.Errorf("want an error, got %d", resp.StatusCode)
}

// A transport that panics: the test recovers, the call never returns.
type panicRT struct{}

func (panicRT) RoundTrip(*http.Request) (*http.Response, error) { panic("boom") } // want RoundTrip:"noReturn"

func TestTransportPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("want a panic")
		}
	}()
	c := &http.Client{Transport: panicRT{}}
	resp, err := c.Get("http://x.invalid/")
	if err == nil {
		t.Log(resp.StatusCode)
	}
}

// assertPanics stands for testify's assert.Panics.
func assertPanics(t *testing.T, f func()) {
	defer func() { _ = recover() }()
	f()
	t.Error("want a panic")
}

func TestAssertPanics(t *testing.T) {
	c := &http.Client{Transport: panicRT{}}
	assertPanics(t, func() {
		resp, _ := c.Get("http://x.invalid/")
		t.Log(resp.StatusCode)
	})
}

// A client interface faked in a test: its canned responses have nothing
// to close.
type doer interface {
	Do(*http.Request) (*http.Response, error)
}

type cannedDoer struct{}

func (cannedDoer) Do(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 204}, nil
}

func TestFakeDoer(t *testing.T) {
	var d doer = cannedDoer{}
	req := httptest.NewRequest("GET", "/", nil)
	resp, err := d.Do(req)
	if err != nil || resp.StatusCode != 204 {
		t.Fatal(err)
	}
}
