// Package goretry probes github.com/sethvargo/go-retry: Do and DoValue
// with a RetryableError on 5xx, as its README shows.
package goretry

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sethvargo/go-retry"
)

func backoff() retry.Backoff {
	return retry.WithMaxRetries(2, retry.NewConstant(5*time.Millisecond))
}

// DoOpen retries a 503 and drops each attempt's body.
func DoOpen(ctx context.Context, base string) error {
	err := retry.Do(ctx, backoff(), func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status/503", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req) // leak: body
		if err != nil {
			return err
		}
		switch resp.StatusCode / 100 {
		case 4:
			return fmt.Errorf("bad response: %v", resp.StatusCode)
		case 5:
			return retry.RetryableError(fmt.Errorf("bad response: %v", resp.StatusCode))
		default:
			return nil
		}
	})
	if err != nil {
		return nil
	}
	return nil
}

// DoClosed closes the body in each attempt.
func DoClosed(ctx context.Context, base string) error {
	err := retry.Do(ctx, backoff(), func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status/503", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			return retry.RetryableError(fmt.Errorf("bad response: %v", resp.StatusCode))
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return nil
}

// DoValueOpen returns the response from DoValue and checks its status.
func DoValueOpen(ctx context.Context, base string) error {
	resp, err := retry.DoValue(ctx, backoff(), func(ctx context.Context) (*http.Response, error) { // leak: body
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
		if err != nil {
			return nil, err
		}
		return http.DefaultClient.Do(req)
	})
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// DoValueClosed closes the returned response.
func DoValueClosed(ctx context.Context, base string) error {
	resp, err := retry.DoValue(ctx, backoff(), func(ctx context.Context) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
		if err != nil {
			return nil, err
		}
		return http.DefaultClient.Do(req)
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
