package analyzer_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
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
		{"a Connection: close header (the server closes it)", true, func() (*http.Client, func()) {
			return &http.Client{Transport: &http.Transport{}}, func() {}
		}, func(req *http.Request) { req.Header.Set("Connection", "close") }},
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
		{"CloseIdleConnections before the request", false, func() (*http.Client, func()) {
			tr := &http.Transport{}
			tr.CloseIdleConnections()
			return &http.Client{Transport: tr}, func() {}
		}, nil},
		{"DisableKeepAlives set after the request", false, func() (*http.Client, func()) {
			tr := &http.Transport{}
			return &http.Client{Transport: tr}, func() { tr.DisableKeepAlives = true }
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
				if tr, ok := c.Transport.(wrapper); ok {
					c.Transport = tr.RoundTripper
				}
				if tr, ok := c.Transport.(*http.Transport); ok {
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

// TestBodiesAtRunTime checks, against a real server, which bodies left
// unclosed give their connection back to the pool and which keep it: the
// line between the body check and the opt-in bodyeof check, and the
// responses the body check leaves alone. A client makes a request, does
// what the case does with the response and drops it unclosed, then makes
// a second request: its connection is the first one, reused, exactly
// when the first was given back. (testdata/src/body/forwards.go and
// testdata/bodyeof hold the fixtures.)
func TestBodiesAtRunTime(t *testing.T) {
	payload := strings.Repeat("x", 64<<10)
	tests := []struct {
		name    string
		reused  bool   // the connection went back to the pool: not the body check's finding
		method  string // GET if empty
		handler http.HandlerFunc
		use     func(resp *http.Response) // what the code does with the body before dropping it
	}{
		{"read to EOF with io.ReadAll", true, "", write(payload), func(r *http.Response) { io.ReadAll(r.Body) }},
		{"read to EOF with io.Copy", true, "", write(payload), func(r *http.Response) { io.Copy(io.Discard, r.Body) }},
		{"a JSON body with a Content-Length, decoded", true, "", writeJSON(false), decodeJSON},
		{"a HEAD response", true, http.MethodHead, write(payload), func(*http.Response) {}},
		{"204 No Content", true, "", status(http.StatusNoContent), func(*http.Response) {}},
		{"304 Not Modified", true, "", status(http.StatusNotModified), func(*http.Response) {}},
		{"not read", false, "", write(payload), func(*http.Response) {}},
		{"a bounded read (io.LimitReader)", false, "", write(payload), func(r *http.Response) { io.ReadAll(io.LimitReader(r.Body, 1024)) }},
		{"a chunked JSON body, decoded", false, "", writeJSON(true), decodeJSON},
		{"a chunked JSON body, decoded until io.EOF", true, "", writeJSON(true), func(r *http.Response) {
			untilEOF(t, json.NewDecoder(r.Body).Decode)
		}},
		{"a chunked body, read by lines until io.EOF", true, "", writeJSON(true), func(r *http.Response) {
			br := bufio.NewReader(r.Body)
			untilEOF(t, func(any) error { _, err := br.ReadString('\n'); return err })
		}},
		{"a chunked tar archive, read to its end marker", false, "", writeTar, func(r *http.Response) {
			tr := tar.NewReader(r.Body)
			untilEOF(t, func(any) error { _, err := tr.Next(); return err })
		}},
		{"a read that fails (a corrupt gzip stream)", false, "", corruptGzip, func(r *http.Response) {
			if _, err := io.ReadAll(r.Body); err == nil {
				t.Error("the corrupt stream read without an error")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A connection given back is reused once the transport has
			// put it in its pool, which it does right after the read: a
			// reuse missed on a busy machine is measured again.
			for attempt := range 3 {
				got := secondReuses(t, tt.method, tt.handler, tt.use)
				if got == tt.reused || !tt.reused {
					if got != tt.reused {
						t.Errorf("second request reused the connection: %v, want %v", got, tt.reused)
					}
					return
				}
				t.Logf("attempt %d: not reused yet", attempt+1)
			}
			t.Errorf("second request reused the connection: false, want true")
		})
	}
}

// secondReuses runs two requests through one new transport against a
// server of handler: the first's response goes to use, then is dropped
// unclosed; it reports whether the second got the first's connection.
func secondReuses(t *testing.T, method string, handler http.HandlerFunc, use func(*http.Response)) bool {
	t.Helper()
	ts := httptest.NewServer(handler)
	defer ts.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	use(resp)
	time.Sleep(100 * time.Millisecond) // let the transport take the connection back
	reused := false
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
	req2, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, ts.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp2, err := c.Do(req2)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if !reused {
		resp.Body.Close() // give the first one back before the server closes
	}
	return reused
}

// write answers with body, its Content-Length set.
func write(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }
}

// status answers with code and no body.
func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
}

// writeJSON answers with a JSON object, chunked (flushed as it goes,
// larger than the server buffers) or with its Content-Length.
func writeJSON(chunked bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		v := map[string]string{"k": strings.Repeat("v", 16<<10)}
		if !chunked {
			b, _ := json.Marshal(v)
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b)
			return
		}
		w.(http.Flusher).Flush()
		json.NewEncoder(w).Encode(v)
		w.(http.Flusher).Flush()
		time.Sleep(200 * time.Millisecond) // the last chunk comes after the value: the decoder does not wait for it
	}
}

func decodeJSON(r *http.Response) {
	var v map[string]string
	json.NewDecoder(r.Body).Decode(&v)
}

// untilEOF calls next until it returns an error, which must be io.EOF.
func untilEOF(t *testing.T, next func(v any) error) {
	for {
		var v any
		if err := next(&v); err != nil {
			if err != io.EOF {
				t.Errorf("read: %v, want io.EOF", err)
			}
			return
		}
	}
}

// writeTar answers with a tar archive of one file, chunked: its reader
// returns io.EOF at the archive's end marker, before the last chunk.
func writeTar(w http.ResponseWriter, r *http.Request) {
	w.(http.Flusher).Flush()
	tw := tar.NewWriter(w)
	tw.WriteHeader(&tar.Header{Name: "f", Mode: 0o644, Size: 3})
	tw.Write([]byte("abc"))
	tw.Close()
	w.(http.Flusher).Flush()
	time.Sleep(200 * time.Millisecond)
}

// corruptGzip says its body is gzip-encoded and sends bytes that are not:
// the transport's transparent decompression fails on the first read,
// long before the end of the body.
func corruptGzip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", strconv.Itoa(64<<10))
	w.Write(bytes.Repeat([]byte{0x1f}, 64<<10))
}
