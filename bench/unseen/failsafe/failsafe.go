// Package failsafe probes github.com/failsafe-go/failsafe-go's
// failsafehttp: a retrying RoundTripper and a retrying Request, as its
// docs show.
package failsafe

import (
	"context"
	"io"
	"net/http"
	"time"

	failsafego "github.com/failsafe-go/failsafe-go"
	"github.com/failsafe-go/failsafe-go/failsafehttp"
	"github.com/failsafe-go/failsafe-go/retrypolicy"
)

func policy() retrypolicy.RetryPolicy[*http.Response] {
	return failsafehttp.NewRetryPolicyBuilder().WithDelay(5 * time.Millisecond).WithMaxRetries(2).Build()
}

// RoundTripperOwnTransport wraps a transport built per call.
func RoundTripperOwnTransport(ctx context.Context, base string) error {
	rt := failsafehttp.NewRoundTripper(&http.Transport{MaxIdleConnsPerHost: 4}, policy()) // leak: transport
	client := &http.Client{Transport: rt}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// RoundTripperDefault wraps the default transport per call.
func RoundTripperDefault(ctx context.Context, base string) error {
	client := &http.Client{Transport: failsafehttp.NewRoundTripper(nil, policy())}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// RequestStatusOpen sends a retrying request and checks the status only.
func RequestStatusOpen(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := failsafehttp.NewRequest(req, http.DefaultClient, policy()).Do() // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// RequestClosed closes the response.
func RequestClosed(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := failsafehttp.NewRequest(req, http.DefaultClient, policy()).Do()
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// RequestRetried503 retries a 503 twice and closes what it gets back.
// It leaks at run time (it was written as a fixed shape), three
// connections a call: the retry policy drops the responses of the
// attempts it retries without closing them, and when the retries are
// used up Do returns a nil response and a retrypolicy.ExceededError
// that holds the last one, open. The caller owes the close of all of
// them: in an OnRetry listener, and the last through ReturnLastFailure
// (RequestRetried503Closed; closing in OnRetry alone still left one a
// call, the one inside the error).
func RequestRetried503(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status/503", nil)
	if err != nil {
		return err
	}
	resp, err := failsafehttp.NewRequest(req, http.DefaultClient, policy()).Do() // leak: body
	if err != nil {
		return nil
	}
	return resp.Body.Close()
}

// RequestRetried503Closed closes each retried attempt's response in an
// OnRetry listener, and has the policy return the last failure (the 503
// response) rather than an error holding it, then closes that.
func RequestRetried503Closed(ctx context.Context, base string) error {
	p := failsafehttp.NewRetryPolicyBuilder().
		WithDelay(5 * time.Millisecond).
		WithMaxRetries(2).
		ReturnLastFailure().
		OnRetry(func(e failsafego.ExecutionEvent[*http.Response]) {
			if r := e.LastResult(); r != nil {
				r.Body.Close()
			}
		}).
		Build()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status/503", nil)
	if err != nil {
		return err
	}
	resp, err := failsafehttp.NewRequest(req, http.DefaultClient, p).Do()
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return nil
	}
	return nil
}

var shared = &http.Client{Transport: failsafehttp.NewRoundTripper(&http.Transport{MaxIdleConnsPerHost: 4}, policy())}

// RoundTripperShared uses a shared retrying client.
func RoundTripperShared(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/pets/1", nil)
	if err != nil {
		return err
	}
	resp, err := shared.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
