// Package idioms probes everyday net/http shapes around the libraries:
// a generic request helper used for HEAD and GET, statuses without a
// body (204, 304), a body read to EOF or decoded and dropped without
// Close, a bounded read dropped.
package idioms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// send is the generic helper many code bases have.
func send(ctx context.Context, method, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// HeadViaHelper sends a HEAD through the helper: a HEAD response has no
// body, its connection goes back to the pool at once.
func HeadViaHelper(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodHead, base+"/pets/1")
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("head: %s", resp.Status)
	}
	return nil
}

// GetViaHelper sends a GET through the helper and checks the status only.
func GetViaHelper(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/pets/1") // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("get: %s", resp.Status)
	}
	return nil
}

// Exists asks whether a resource exists, with a HEAD through http.NewRequest.
func Exists(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("no pet")
	}
	return nil
}

// NoContent returns early on 204, before the deferred close.
func NoContent(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/status/204")
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// NotModified returns early on 304 (a conditional GET).
func NotModified(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status/304", nil)
	if err != nil {
		return err
	}
	req.Header.Set("If-None-Match", `"v1"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotModified {
		return nil
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// ReadAllDropped reads the body to EOF and never closes it. Not a leak
// at run time: at EOF net/http puts the connection back in the pool.
func ReadAllDropped(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/pets/1")
	if err != nil {
		return err
	}
	_, err = io.ReadAll(resp.Body)
	return err
}

// DecodeDropped decodes the JSON body and never closes it. Not a leak at
// run time: the body has a Content-Length, and net/http reports EOF with
// its last bytes, which the decoder's read takes; the connection goes
// back to the pool. (DecodeDroppedChunked is the same code against a
// chunked body: it leaks.)
func DecodeDropped(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/pets/1")
	if err != nil {
		return err
	}
	var v map[string]any
	return json.NewDecoder(resp.Body).Decode(&v)
}

// DecodeDroppedChunked decodes a chunked JSON body and never closes it:
// the decoder stops at the end of the value, before the terminating
// chunk, so the body never reaches EOF.
func DecodeDroppedChunked(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/chunked") // leak: body
	if err != nil {
		return err
	}
	var v map[string]any
	return json.NewDecoder(resp.Body).Decode(&v)
}

// LimitedDropped reads at most 512 bytes of a large body and drops it.
func LimitedDropped(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/big") // leak: body
	if err != nil {
		return err
	}
	_, err = io.ReadAll(io.LimitReader(resp.Body, 512))
	return err
}

// LimitedClosed reads at most 512 bytes and closes.
func LimitedClosed(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/big")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(io.LimitReader(resp.Body, 512))
	return err
}

// ErrorStatusOpen returns on a 4xx before the close.
func ErrorStatusOpen(ctx context.Context, base string) error {
	resp, err := send(ctx, http.MethodGet, base+"/status/404") // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return nil
	}
	defer resp.Body.Close()
	return nil
}
