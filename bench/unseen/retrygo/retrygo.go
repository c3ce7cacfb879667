// Package retrygo probes github.com/avast/retry-go/v4: DoWithData
// returning the *http.Response, and Do, as its README shows.
package retrygo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/avast/retry-go/v4"
)

// DoWithDataOpen retries a 503 and drops each failed attempt's body.
func DoWithDataOpen(ctx context.Context, base string) error {
	resp, err := retry.DoWithData(func() (*http.Response, error) {
		resp, err := http.Get(base + "/status/503") // leak: body
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("status %d", resp.StatusCode)
		}
		return resp, nil
	}, retry.Attempts(3), retry.Delay(5*time.Millisecond), retry.Context(ctx))
	if err != nil {
		return nil
	}
	return resp.Body.Close()
}

// DoWithDataClosed closes each failed attempt's body.
func DoWithDataClosed(ctx context.Context, base string) error {
	resp, err := retry.DoWithData(func() (*http.Response, error) {
		resp, err := http.Get(base + "/status/503")
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("status %d", resp.StatusCode)
		}
		return resp, nil
	}, retry.Attempts(3), retry.Delay(5*time.Millisecond), retry.Context(ctx))
	if err != nil {
		return nil
	}
	return resp.Body.Close()
}

// DoWithDataResultOpen drops the response DoWithData returns.
func DoWithDataResultOpen(ctx context.Context, base string) error {
	resp, err := retry.DoWithData(func() (*http.Response, error) { // leak: body
		return http.Get(base + "/pets/1")
	}, retry.Attempts(3), retry.Context(ctx))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// DoWithDataBytes reads and closes inside the attempt.
func DoWithDataBytes(ctx context.Context, base string) error {
	_, err := retry.DoWithData(func() ([]byte, error) {
		resp, err := http.Get(base + "/pets/1")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}, retry.Attempts(3), retry.Context(ctx))
	return err
}

// DoOpen uses Do with a captured response, closing only the last one.
func DoOpen(ctx context.Context, base string) error {
	var resp *http.Response
	err := retry.Do(func() error {
		var err error
		resp, err = http.Get(base + "/status/503") // leak: body
		if err != nil {
			return err
		}
		if resp.StatusCode >= 500 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}, retry.Attempts(3), retry.Delay(5*time.Millisecond), retry.Context(ctx))
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil
	}
	return nil
}

// DoClosed closes the body in the attempt.
func DoClosed(ctx context.Context, base string) error {
	err := retry.Do(func() error {
		resp, err := http.Get(base + "/status/503")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}, retry.Attempts(3), retry.Delay(5*time.Millisecond), retry.Context(ctx))
	if err != nil {
		return nil
	}
	return nil
}
