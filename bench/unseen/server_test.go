package unseen

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// A counter counts the server side of the connections a probe opens:
// opened (http.StateNew) minus gone (http.StateClosed, StateHijacked),
// and the requests served.
type counter struct {
	mu       sync.Mutex
	conns    map[net.Conn]bool
	requests atomic.Int64
}

func (c *counter) connState(conn net.Conn, s http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch s {
	case http.StateNew:
		c.conns[conn] = true
	case http.StateClosed, http.StateHijacked:
		delete(c.conns, conn)
	}
}

func (c *counter) open() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.conns)
}

// bigSize is the size of /big: far more than a bounded read takes.
const bigSize = 256 << 10

// handler answers every probe: a JSON object that the API clients
// accept (each reads the fields it knows), /status/CODE with that code,
// /big with a large body, /chunked with a chunked JSON value, and a
// Connect service at /probe.v1.Echo/.
func handler(c *counter) http.Handler {
	mux := http.NewServeMux()
	say := func(_ context.Context, req *connect.Request[wrapperspb.StringValue]) (*connect.Response[wrapperspb.StringValue], error) {
		return connect.NewResponse(wrapperspb.String("echo: " + req.Msg.GetValue())), nil
	}
	mux.Handle("/probe.v1.Echo/Say", connect.NewUnaryHandler("/probe.v1.Echo/Say", say))
	watch := func(_ context.Context, req *connect.Request[wrapperspb.StringValue], s *connect.ServerStream[wrapperspb.StringValue]) error {
		for i := range 3 {
			if err := s.Send(wrapperspb.String(fmt.Sprintf("%s %d", req.Msg.GetValue(), i))); err != nil {
				return err
			}
		}
		return nil
	}
	mux.Handle("/probe.v1.Echo/Watch", connect.NewServerStreamHandler("/probe.v1.Echo/Watch", watch))
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(r.PathValue("code"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code != http.StatusNoContent && code != http.StatusNotModified && r.Method != http.MethodHead {
			fmt.Fprintf(w, `{"status":%d,"message":"status %d"}`, code, code)
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(bigSize))
		w.Write([]byte(strings.Repeat("x", bigSize)))
	})
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"name":"influxdb","status":"pass","version":"2.7.0","commit":"probe"}`)
	})
	mux.HandleFunc("/pets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[{"id":1,"name":"rex"},{"id":2,"name":"tom"}]`)
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		// A JSON value in two chunks, flushed; the terminating chunk
		// follows a moment later, when the handler returns.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":1,`)
		w.(http.Flusher).Flush()
		fmt.Fprint(w, `"name":"rex"}`)
		w.(http.Flusher).Flush()
		time.Sleep(100 * time.Millisecond)
	})
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		fmt.Fprint(w, `{"ok":true,"success":true,"status":"pass","name":"probe","object":"balance","data":{"id":1,"name":"rex"},"result":{"id":"1","status":"active"},"version":{"number":"8.19.0"},"tagline":"You Know, for Search"}`)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.requests.Add(1)
		mux.ServeHTTP(w, r)
	})
}

// A measure is what n calls of a probe left behind.
type measure struct {
	open     int   // connections still open on the server after settling
	requests int64 // requests the server served
	errs     int   // calls that returned an error
	firstErr error
}

// measureProbe runs fn n times, one after the other, against a new
// server with keep-alives on, and counts the connections left open once
// the count settles: unchanged for settleFor, polled every 50 ms, at
// most maxSettle. Then it closes every connection of the server.
func measureProbe(fn func(context.Context, string) error, n int) measure {
	c := &counter{conns: map[net.Conn]bool{}}
	srv := httptest.NewUnstartedServer(handler(c))
	srv.Config.ConnState = c.connState
	srv.Start()
	defer srv.Close()
	defer srv.CloseClientConnections()

	// One context for all the calls, cancelled only after the count
	// settles: the caller's context outlives the calls, as in a worker
	// or a CLI. (A context cancelled right after each call, as a
	// handler's request context is, closes the connection under a body
	// left open: the leak then lasts as long as that context.)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var m measure
	for range n {
		if err := fn(ctx, srv.URL); err != nil {
			m.errs++
			if m.firstErr == nil {
				m.firstErr = err
			}
		}
	}
	m.open = settle(c)
	m.requests = c.requests.Load()
	return m
}

const (
	settleFor = 600 * time.Millisecond
	maxSettle = 4 * time.Second
)

// settle waits for the count of open connections to stay the same for
// settleFor, and returns it.
func settle(c *counter) int {
	runtime.GC()
	deadline := time.Now().Add(maxSettle)
	last, since := c.open(), time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if n := c.open(); n != last {
			last, since = n, time.Now()
			continue
		}
		if time.Since(since) >= settleFor {
			break
		}
	}
	return last
}
