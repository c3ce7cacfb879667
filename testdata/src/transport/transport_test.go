package transport

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Test, benchmark and example functions run once: their straight-line
// pools are not reported, their loops are.

func newTestClient(cfg *tls.Config) *http.Client { // want newTestClient:"result0:pool@Transport"
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
}

func get(t *testing.T, c *http.Client, url string) { // want get:`^param1:pool:uses$`
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestOnce(t *testing.T) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: nil}}
	resp, err := c.Get("http://example.invalid/")
	if err != nil {
		t.Skip(err)
	}
	resp.Body.Close()
	get(t, newTestClient(nil), "http://example.invalid/")
}

func TestOnceMore(t *testing.T) {
	get(t, newTestClient(nil), "http://example.invalid/")
}

// A helper called by several tests, once each.
func fetchForTest(t *testing.T, url string) {
	tr := &http.Transport{TLSClientConfig: nil}
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		t.Skip(err)
	}
	resp.Body.Close()
}

func TestA(t *testing.T) { fetchForTest(t, "http://example.invalid/a") }
func TestB(t *testing.T) { fetchForTest(t, "http://example.invalid/b") }

func TestTable(t *testing.T) {
	for _, url := range []string{"http://a.invalid/", "http://b.invalid/"} {
		t.Run(url, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{ServerName: url}}} // want `new http.Transport of client c is built in a loop`
			resp, err := c.Get(url)
			if err != nil {
				t.Skip(err)
			}
			resp.Body.Close()
		})
	}
}

func TestTableClosed(t *testing.T) {
	for _, url := range []string{"http://a.invalid/", "http://b.invalid/"} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{ServerName: url}}
		c := &http.Client{Transport: tr}
		resp, err := c.Get(url)
		if err != nil {
			t.Skip(err)
		}
		resp.Body.Close()
		tr.CloseIdleConnections()
	}
}

func BenchmarkGet(b *testing.B) {
	for b.Loop() {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{ServerName: b.Name()}}} // want `new http.Transport of client c is built in a loop`
		resp, err := c.Get("http://example.invalid/")
		if err != nil {
			b.Skip(err)
		}
		resp.Body.Close()
	}
}

func FuzzGet(f *testing.F) {
	f.Fuzz(func(t *testing.T, url string) {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{ServerName: url}}} // want `new http.Transport of client c is built in a fuzz target`
		resp, err := c.Get(url)
		if err != nil {
			return
		}
		resp.Body.Close()
	})
}

func ExampleDoRequest() {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: nil}}
	resp, err := c.Get("http://example.invalid/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

// A client per subtest whose requests all fail by design: the test
// expects an error, and keeps no connection.
func TestFailingPerIteration(t *testing.T) {
	for _, u := range []string{"http://x.invalid/a", "http://x.invalid/b"} {
		t.Run(u, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{}}
			_, err := c.Get(u)
			if err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

// The same with requests expected to succeed: reported.
func TestSucceedingPerIteration(t *testing.T) {
	for _, u := range []string{"http://x.invalid/a", "http://x.invalid/b"} {
		t.Run(u, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{}} // want `new http.Transport of client c is built in a loop`
			resp, err := c.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}

// A client per subtest that talks to the subtest's own httptest server,
// which the subtest closes: Server.Close closes the idle connections of
// its clients, so none is left.
func TestServerPerIteration(t *testing.T) {
	for _, body := range []string{"a", "b"} {
		t.Run(body, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
			defer srv.Close()
			c := &http.Client{Transport: &http.Transport{}}
			resp, err := c.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}

// The same server left open: reported.
func TestServerPerIterationOpen(t *testing.T) {
	for _, body := range []string{"a", "b"} {
		t.Run(body, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
			c := &http.Client{Transport: &http.Transport{}} // want `new http.Transport of client c is built in a loop`
			resp, err := c.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}

// The same with a server of the package's tests, closed by a teardown
// helper the test defers.
var testServer *httptest.Server

func setupServer() { testServer = httptest.NewServer(http.NotFoundHandler()) }

func teardownServer() { testServer.Close() }

func TestServerTeardown(t *testing.T) {
	setupServer()
	defer teardownServer()
	for _, p := range []string{"/a", "/b"} {
		t.Run(p, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{}}
			resp, err := c.Get(testServer.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}
