package body

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"body/util"
)

// B05: a helper of this package taking io.Closer closes it (bodyclose #18, #30).
func closeIt(c io.Closer) { _ = c.Close() } // want closeIt:`^param0:body:releases$`

func helperCloses() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	defer closeIt(resp.Body)
}

// B06: a helper in another package closes it (bodyclose #39).
func otherPackageHelperCloses() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	defer util.Close(resp.Body)
}

// B10: the Body moves to a variable declared outside the if (bodyclose #77).
func movedOutOfBlock(ok bool) {
	var rc io.ReadCloser
	if ok {
		resp, err := http.Get(u)
		if err != nil {
			return
		}
		rc = resp.Body
	}
	if rc != nil {
		defer rc.Close()
	}
}

// B12: sent on a channel; the receiver closes it.
func sent(ch chan<- *http.Response) {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	ch <- resp
}

// B13: stored in a struct that is returned and has a Close method (bodyclose #42).
type wrapped struct{ resp *http.Response }

func (w *wrapped) Close() error { return w.resp.Body.Close() } // want Close:`^recv:body:releases$`

func storedInStruct() (*wrapped, error) { // want storedInStruct:`^result0:body@resp.Body$`
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	return &wrapped{resp: resp}, nil
}

// Stored in a field of the receiver.
type poller struct {
	last *http.Response
	mu   sync.Mutex
	all  map[string]*http.Response
	list []*http.Response
}

func (p *poller) storeField() error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	p.last = resp
	return nil
}

func (p *poller) storeMapAndSlice() error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	p.all[u] = resp
	resp2, err := http.Get(u)
	if err != nil {
		return err
	}
	p.list = append(p.list, resp2)
	return nil
}

// Stored straight into a field or a package variable.
var lastResp *http.Response

func (p *poller) storeDirect() (err error) {
	p.last, err = http.Get(u)
	if err != nil {
		return err
	}
	lastResp, err = http.Get(u)
	return err
}

// B14: closed in a goroutine.
func closedInGoroutine() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	go func() {
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
	}()
}

// B15: a generic pass-through helper.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func generic() {
	resp := must(http.Get(u))
	defer resp.Body.Close()
}

// B16: the defer before the error check is vet's concern (a nil
// dereference), but the body is closed.
func deferBeforeCheck() {
	resp, err := http.Get(u)
	defer resp.Body.Close()
	if err != nil {
		return
	}
}

// B17: the Body is returned as an io.ReadCloser (bodyclose #27).
func returnsBody() (io.ReadCloser, error) { // want returnsBody:`^result0:body$`
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// B19: closed in a deferred closure that drains it.
func deferredClosure() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}()
}

// B24: closed through t.Cleanup.
func cleanup(t *testing.T) {
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
}

// Closed through a returned cleanup func.
func returnsCleanup() (func(), error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	return func() { resp.Body.Close() }, nil
}

// Closed through a method value, an io.Closer variable, a struct field.
func methodValue() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	closer := resp.Body.Close
	defer closer()
}

func closerVar() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	var c io.Closer = resp.Body
	defer c.Close()
}

type holder struct{ body io.ReadCloser }

func structField() {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	h := holder{body: resp.Body}
	defer h.body.Close()
}

// Paths that end in a call that never returns are not leaks.
func noReturnPaths(t *testing.T, c *http.Client) { // want noReturnPaths:`^param1:pool:uses$`
	resp, err := c.Get(u)
	if err != nil {
		log.Fatal(err)
	}
	if resp.StatusCode == 500 {
		log.Fatalf("status %d", resp.StatusCode)
	}
	if resp.StatusCode == 501 {
		os.Exit(1)
	}
	if resp.StatusCode == 502 {
		panic("bad")
	}
	if resp.StatusCode == 503 {
		t.Fatal("bad")
	}
	if resp.StatusCode == 504 {
		util.Fatalf("bad %d", resp.StatusCode)
	}
	if resp.StatusCode == 505 {
		fatal()
	}
	defer resp.Body.Close()
}

func fatal() { // want fatal:`noReturn`
	os.Exit(2)
}

// Not producers: recorded and synthetic responses, ResponseController.
func notProducers(w http.ResponseWriter) int {
	rec := httptest.NewRecorder()
	resp := rec.Result()
	fake := &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(nil))}
	_ = http.NewResponseController(w)
	return resp.StatusCode + fake.StatusCode
}

// FP12: a discarded response of a call that is expected to fail.
func expectedFailure(t *testing.T, tp http.RoundTripper) { // want expectedFailure:`^param1:pool:uses$`
	_, err := tp.RoundTrip(nil)
	if err == nil {
		t.Error("expected an error")
	}
}

// A RoundTripper that returns the inner response passes ownership up.
type logging struct{ next http.RoundTripper }

func (l logging) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`result0:body`
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		log.Printf("%s: %v", req.URL, err)
	}
	return resp, err
}

// A nil check of the response guards the close.
func nilCheck() {
	resp, err := http.Get(u)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return
	}
}

// An error check that does not settle err (errors.Is) may be the
// failure path: nothing to close there.
func errorsIs(ctx context.Context, c *http.Client, req *http.Request) error { // want errorsIs:`^param1:pool:uses$`
	resp, err := c.Do(req.WithContext(ctx))
	if errors.Is(err, context.Canceled) {
		return nil
	}
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Close errors are checked in the condition.
func closeInCondition() error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	if err := resp.Body.Close(); err != nil {
		return err
	}
	return nil
}

// err == nil guards the use and the close.
func errNilGuard() {
	if resp, err := http.Get(u); err == nil {
		defer resp.Body.Close()
	}
}

// Response.Write sends and closes the body.
func written(w io.Writer) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Write(w)
}

// A nil Body has nothing to close (net/http's own client.go). The Body is
// replaced, so callers are not held to close it (precision first).
func nilBody(rt http.RoundTripper, req *http.Request) (*http.Response, error) { // want nilBody:`^param0:pool:uses$`
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.Body == nil {
		if resp.ContentLength > 0 {
			return nil, errors.New("nil body with content")
		}
		resp.Body = http.NoBody
	}
	return resp, nil
}

// Discarded responses of calls that a test expects to fail.
func expectedFailures(t *testing.T, c *http.Client) { // want expectedFailures:`^param1:pool:uses$`
	_, err := c.Get(u)
	if e, g := `Get "/": stopped after 10 redirects`, err.Error(); e != g {
		t.Errorf("got %q", g)
	}
	_, err = c.Head(u)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v", err)
	}
}

// A protocol upgrade hands the connection (the Body) to the new protocol.
func upgrade(rt http.RoundTripper, req *http.Request) (string, error) { // want upgrade:`^param0:pool:uses$`
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		_ = resp.Body.Close()
		return "", errors.New("no upgrade")
	}
	return resp.Header.Get("Content-Type"), nil
}

// A HEAD response has no body: its connection goes back to the pool.
func head(c *http.Client) (int, error) { // want head:`^param0:pool:uses$`
	resp, err := c.Head(u)
	if err != nil {
		return 0, err
	}
	_, err = http.Head(u)
	return resp.StatusCode, err
}

// The idiom, with an error check that only logs: the defer still runs
// on every path (and panics if the call failed, which is not a leak).
func idiomLogs(u string) {
	resp, err := http.Get(u)
	if err != nil {
		println(err.Error())
	}
	defer resp.Body.Close()
}
