package analyzer_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReleasesAtRunTime checks, against a real server, the releases the
// transport check accepts: after one request through a client built each
// way, and the release, the server must see its connection closed. The
// one it does not accept (a client's CloseIdleConnections when its
// transport is a wrapper without one) must leave the connection open.
// (testdata/src/transport/wrapped.go and negatives.go hold the fixtures;
// resty's GetClient().CloseIdleConnections() and SetCloseConnection(true)
// come down to Client.CloseIdleConnections and req.Close.)
func TestReleasesAtRunTime(t *testing.T) {
	type wrapper struct{ http.RoundTripper }
	tests := []struct {
		name    string
		closes  bool                          // the check accepts the release: the connection must close
		client  func() (*http.Client, func()) // the client, and the release applied after the request
		request func(req *http.Request)       // changes the request, if needed
	}{
		{"Transport.CloseIdleConnections", true, func() (*http.Client, func()) {
			tr := &http.Transport{}
			return &http.Client{Transport: tr}, tr.CloseIdleConnections
		}, nil},
		{"Client.CloseIdleConnections", true, func() (*http.Client, func()) {
			c := &http.Client{Transport: &http.Transport{}}
			return c, c.CloseIdleConnections
		}, nil},
		{"Client.CloseIdleConnections through a forwarding wrapper", true, func() (*http.Client, func()) {
			c := &http.Client{Transport: forwardingRT{&http.Transport{}}}
			return c, c.CloseIdleConnections
		}, nil},
		{"the wrapped Transport's own CloseIdleConnections", true, func() (*http.Client, func()) {
			tr := &http.Transport{}
			return &http.Client{Transport: wrapper{tr}}, tr.CloseIdleConnections
		}, nil},
		{"DisableKeepAlives", true, func() (*http.Client, func()) {
			return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, func() {}
		}, nil},
		{"MaxIdleConnsPerHost < 0", true, func() (*http.Client, func()) {
			return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: -1}}, func() {}
		}, nil},
		{"req.Close", true, func() (*http.Client, func()) {
			return &http.Client{Transport: &http.Transport{}}, func() {}
		}, func(req *http.Request) { req.Close = true }},
		{"a lazy holder's CloseIdleConnections, nil-guarded", true, func() (*http.Client, func()) {
			l := &lazyHolder{}
			return l.client(), l.CloseIdleConnections
		}, nil},
		{"a transport option that sets DisableKeepAlives", true, func() (*http.Client, func()) {
			tr := &http.Transport{}
			for _, opt := range []func(*http.Transport){func(t *http.Transport) { t.DisableKeepAlives = true }} {
				opt(tr) // as awshttp.BuildableClient.WithTransportOptions applies them
			}
			return &http.Client{Transport: tr}, func() {}
		}, nil},
		{"Client.CloseIdleConnections through a wrapper without one", false, func() (*http.Client, func()) {
			c := &http.Client{Transport: wrapper{&http.Transport{}}}
			return c, c.CloseIdleConnections
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var open atomic.Int32
			ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "ok")
			}))
			ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				switch s {
				case http.StateNew:
					open.Add(1)
				case http.StateClosed, http.StateHijacked:
					open.Add(-1)
				}
			}
			ts.Start()
			defer ts.Close()

			c, release := tt.client()
			req, err := http.NewRequest("GET", ts.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.request != nil {
				tt.request(req)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			release()

			wait := 5 * time.Second // for the close
			if !tt.closes {
				wait = time.Second // to show it does not come
			}
			deadline := time.Now().Add(wait)
			for open.Load() != 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if closed := open.Load() == 0; closed != tt.closes {
				t.Errorf("connection closed: %v, want %v", closed, tt.closes)
			}
			if !tt.closes {
				if tr, ok := c.Transport.(wrapper).RoundTripper.(*http.Transport); ok {
					tr.CloseIdleConnections() // do not leave it to the end of the test binary
				}
			}
		})
	}
}

// lazyHolder builds its client on first use, and closes its idle
// connections only if it has built one (testdata/src/transport/lazy.go).
type lazyHolder struct {
	once sync.Once
	hc   *http.Client
}

func (l *lazyHolder) client() *http.Client {
	l.once.Do(func() { l.hc = &http.Client{Transport: &http.Transport{}} })
	return l.hc
}

func (l *lazyHolder) CloseIdleConnections() {
	if l.hc != nil {
		l.hc.CloseIdleConnections()
	}
}

// forwardingRT is a round tripper that passes CloseIdleConnections on.
type forwardingRT struct{ next *http.Transport }

func (f forwardingRT) RoundTrip(req *http.Request) (*http.Response, error) {
	return f.next.RoundTrip(req)
}

func (f forwardingRT) CloseIdleConnections() { f.next.CloseIdleConnections() }
