// Package backoff probes github.com/cenkalti/backoff/v5: Retry[T] with an
// operation that returns the *http.Response, as its README shows.
package backoff

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
)

func opts() []backoff.RetryOption {
	return []backoff.RetryOption{backoff.WithBackOff(backoff.NewConstantBackOff(5 * time.Millisecond)), backoff.WithMaxTries(3)}
}

// RetryStatusOpen retries a 503 and drops each failed attempt's body.
func RetryStatusOpen(ctx context.Context, base string) error {
	resp, err := backoff.Retry(ctx, func() (*http.Response, error) {
		resp, err := http.Get(base + "/status/503") // leak: body
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 500 {
			return nil, fmt.Errorf("server: %s", resp.Status)
		}
		return resp, nil
	}, opts()...)
	if err != nil {
		return nil
	}
	return resp.Body.Close()
}

// RetryStatusClosed closes the failed attempt's body before retrying.
func RetryStatusClosed(ctx context.Context, base string) error {
	resp, err := backoff.Retry(ctx, func() (*http.Response, error) {
		resp, err := http.Get(base + "/status/503")
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 500 {
			resp.Body.Close()
			return nil, fmt.Errorf("server: %s", resp.Status)
		}
		return resp, nil
	}, opts()...)
	if err != nil {
		return nil
	}
	return resp.Body.Close()
}

// ResultNotClosed gets the response from Retry and checks only its status.
func ResultNotClosed(ctx context.Context, base string) error {
	resp, err := backoff.Retry(ctx, func() (*http.Response, error) { // leak: body
		return http.Get(base + "/pets/1")
	}, opts()...)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// ResultClosed closes the response Retry returns.
func ResultClosed(ctx context.Context, base string) error {
	resp, err := backoff.Retry(ctx, func() (*http.Response, error) {
		return http.Get(base + "/pets/1")
	}, opts()...)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// ReadInside reads and closes inside the operation, returning the bytes.
func ReadInside(ctx context.Context, base string) error {
	_, err := backoff.Retry(ctx, func() ([]byte, error) {
		resp, err := http.Get(base + "/pets/1")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			return nil, fmt.Errorf("server: %s", resp.Status)
		}
		return io.ReadAll(resp.Body)
	}, opts()...)
	return err
}

// PermanentOpen stops on a 4xx with backoff.Permanent, body left open.
func PermanentOpen(ctx context.Context, base string) error {
	_, err := backoff.Retry(ctx, func() (string, error) {
		resp, err := http.Get(base + "/status/404") // leak: body
		if err != nil {
			return "", err
		}
		if resp.StatusCode == http.StatusNotFound {
			return "", backoff.Permanent(fmt.Errorf("not found"))
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}, opts()...)
	if err != nil {
		return nil
	}
	return nil
}
