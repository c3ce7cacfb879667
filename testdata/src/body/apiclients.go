package body

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// The leaks real API clients make (and their near misses).

var apiClient = &http.Client{}

// 1. A helper that closes the body only on its error path: a good
// response stays open for the caller.

func requireOK(resp *http.Response) error { // want requireOK:`^param0:body:releasesOnError$`
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	resp.Body.Close()
	return fmt.Errorf("unexpected status %d", resp.StatusCode)
}

func statusError(resp *http.Response) error { // want statusError:`^param0:body:releases\+readsFirst$`
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return fmt.Errorf("unexpected status %d: %s", resp.StatusCode, b)
}

func requireCodes(resp *http.Response, codes ...int) error { // want requireCodes:`^param0:body:releasesOnError$`
	for _, code := range codes {
		if resp.StatusCode == code {
			return nil
		}
	}
	return statusError(resp)
}

func requireAccepted(resp *http.Response) error { // want requireAccepted:`^param0:body:releasesOnError$`
	return requireCodes(resp, http.StatusAccepted)
}

// A helper that closes on both paths.
func checkAndClose(resp *http.Response) error { // want checkAndClose:`^param0:body:releases$`
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unexpected status %d", resp.StatusCode)
	}
	return nil
}

func restore(req *http.Request) error {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in restore`
	if err != nil {
		return err
	}
	if err := requireOK(resp); err != nil {
		return err
	}
	return nil // leaks here
}

func restoreAccepted(req *http.Request) (int, error) {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in restoreAccepted`
	if err != nil {
		return 0, err
	}
	err = requireAccepted(resp)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func restoreClosed(req *http.Request) error {
	resp, err := apiClient.Do(req)
	if err != nil {
		return err
	}
	if err := requireOK(resp); err != nil {
		return err
	}
	return resp.Body.Close()
}

func restoreDeferred(req *http.Request) error {
	resp, err := apiClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return requireOK(resp)
}

func restoreChecked(req *http.Request) error {
	resp, err := apiClient.Do(req)
	if err != nil {
		return err
	}
	return checkAndClose(resp)
}

// 2. A body replaced without closing the original: whoever closes it
// later closes the copy.

func peek(req *http.Request) ([]byte, error) {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in peek`
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body = io.NopCloser(bytes.NewReader(b)) // leaks here
	defer resp.Body.Close()
	return b, err
}

func peekClosed(req *http.Request) (*http.Response, error) {
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n int
}

func peekWrapped(req *http.Request) (int, error) {
	resp, err := apiClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// The same inside a helper the caller calls.
func bufferBody(resp *http.Response) error { // want bufferBody:`^param0:body:replaces$`
	b, err := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return err
}

func logged(req *http.Request) error {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in logged`
	if err != nil {
		return err
	}
	if err := bufferBody(resp); err != nil { // leaks here
		return err
	}
	defer resp.Body.Close()
	return nil
}

// 3. A response kept in a local holder that is dropped.

type fetched struct {
	resp  *http.Response
	tries int
}

func fetchResult(req *http.Request) (*fetched, error) {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in fetchResult`
	if err != nil {
		return nil, err
	}
	r := &fetched{resp: resp}
	if r.resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", r.resp.StatusCode) // leaks here
	}
	return r, nil
}

func fetchResultClosed(req *http.Request) (*fetched, error) {
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	r := &fetched{resp: resp}
	if r.resp.StatusCode != http.StatusOK {
		r.resp.Body.Close()
		return nil, fmt.Errorf("status %d", r.resp.StatusCode)
	}
	return r, nil
}

// A struct that embeds the response, overwritten on a retry.
type Response struct {
	*http.Response
}

func retryRedirect(req *http.Request) (*Response, error) { // want retryRedirect:`^result0:body@Response.Body$`
	redirects := 0
START:
	var out *Response
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in retryRedirect`
	if resp != nil {
		out = &Response{Response: resp}
	}
	if err != nil {
		return out, err
	}
	if resp.StatusCode == http.StatusFound && redirects == 0 {
		loc, err := resp.Location()
		if err != nil {
			return out, err
		}
		req.URL = loc
		redirects++
		goto START // leaks here
	}
	return out, nil
}

func retryRedirectClosed(req *http.Request) (*Response, error) {
	redirects := 0
START:
	var out *Response
	resp, err := apiClient.Do(req)
	if resp != nil {
		out = &Response{Response: resp}
	}
	if err != nil {
		return out, err
	}
	if resp.StatusCode == http.StatusFound && redirects == 0 {
		out.Body.Close()
		redirects++
		goto START
	}
	return out, nil
}

// 4. A close func called on some paths only.

func closeOnError(req *http.Request) ([]byte, error) {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in closeOnError`
	if err != nil {
		return nil, err
	}
	closeBody := func() { resp.Body.Close() }
	if resp.StatusCode != http.StatusOK {
		closeBody()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body) // leaks here
}

func closeDeferred(req *http.Request) ([]byte, error) {
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	closeBody := func() { resp.Body.Close() }
	defer closeBody()
	return io.ReadAll(resp.Body)
}

// A closure made and never called closes nothing.
func neverCalled(req *http.Request) int {
	resp, err := apiClient.Do(req) // want `resp.Body is not closed on every path in neverCalled`
	if err != nil {
		return 0
	}
	_ = func() { resp.Body.Close() }
	return resp.StatusCode // leaks here
}

// 5. A response returned together with a non-nil error: the caller's
// error path owes a close too.

func sendRequest(req *http.Request) (*http.Response, error) { // want sendRequest:`^result0:body,withError$`
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		return resp, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

func serverInfo(req *http.Request) (int, error) {
	resp, err := sendRequest(req) // want `resp.Body is not closed on every path in serverInfo`
	if err != nil {
		return 0, err // leaks here
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func ensureClosed(resp *http.Response) { // want ensureClosed:`^param0:body:releases$`
	if resp != nil {
		resp.Body.Close()
	}
}

func serverInfoEnsured(req *http.Request) (int, error) {
	resp, err := sendRequest(req)
	defer ensureClosed(resp)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// The wrapper closes before returning an error.
func sendRequestClosed(req *http.Request) (*http.Response, error) { // want sendRequestClosed:`^result0:body$`
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp, nil
}

func serverInfoClosed(req *http.Request) (int, error) {
	resp, err := sendRequestClosed(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// 6. Retries through closures: an attempt that returns an error leaves
// its response for the next attempt to overwrite.

func withRetry(tries int, attempt func() error) error {
	var err error
	for range tries {
		if err = attempt(); err == nil {
			return nil
		}
	}
	return err
}

func retried(req *http.Request) (int, error) {
	var resp *http.Response
	err := withRetry(3, func() error {
		var err error
		resp, err = apiClient.Do(req) // want `resp.Body is not closed on every path in retried`
		if err != nil {
			return err
		}
		if resp.StatusCode >= 500 {
			return fmt.Errorf("status %d", resp.StatusCode) // leaks here
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func retriedClosed(req *http.Request) (int, error) {
	var resp *http.Response
	err := withRetry(3, func() error {
		var err error
		resp, err = apiClient.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode >= 500 {
			resp.Body.Close()
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// 7. A deferred close in a loop that runs many times: the bodies stay
// open until the function returns; in a worker loop, it never does.

func deferInLoop(urls []string) {
	for _, x := range urls { // leaks here
		resp, err := http.Get(x)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `resp.Body is closed by a defer in a loop, which runs only when deferInLoop returns`
	}
}

func worker(jobs <-chan *http.Request) {
	for req := range jobs { // leaks here
		resp, err := apiClient.Do(req)
		if err != nil {
			continue
		}
		defer func() { resp.Body.Close() }() // want `resp.Body is closed by a defer in a loop, which runs only when worker returns`
	}
}

func tickerLoop(req *http.Request, tick <-chan struct{}) {
	for { // leaks here
		<-tick
		resp, err := apiClient.Do(req)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `resp.Body is closed by a defer in a loop, which runs only when tickerLoop returns`
	}
}

// Closed at the end of each iteration, or a loop that runs a few times.

func closedPerIteration(urls []string) {
	for _, x := range urls {
		resp, err := http.Get(x)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

func perIterationFunc(urls []string) {
	for _, x := range urls {
		func() {
			resp, err := http.Get(x)
			if err != nil {
				return
			}
			defer resp.Body.Close()
		}()
	}
}

func fewTimes(u string) {
	for i := 0; i < 3; i++ {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
	}
}

func fewURLs() {
	for _, x := range []string{"http://a.example/", "http://b.example/"} {
		resp, err := http.Get(x)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
	}
}

// A retry loop that breaks after the defer runs it once.
func retryOnce(req *http.Request) ([]byte, error) {
	for {
		resp, err := apiClient.Do(req)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
}
