// Package requests probes github.com/carlmjohnson/requests, a builder:
// requests.URL(u).Client(hc).Path(p).ToJSON(&v).Fetch(ctx). Fetch always
// closes the body.
package requests

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/carlmjohnson/requests"
)

type pet struct {
	Data struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"data"`
}

// FetchOwnClient gives the builder a pooled client built per call.
func FetchOwnClient(ctx context.Context, base string) error {
	var p pet
	return requests.URL(base).
		Client(&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}). // leak: transport
		Path("/pets/1").
		ToJSON(&p).
		Fetch(ctx)
}

// FetchOwnTransport gives the builder a transport built per call.
func FetchOwnTransport(ctx context.Context, base string) error {
	tr := http.DefaultTransport.(*http.Transport).Clone() // leak: transport
	tr.ResponseHeaderTimeout = 5 * time.Second
	var s string
	return requests.URL(base).Transport(tr).Path("/pets/1").ToString(&s).Fetch(ctx)
}

// FetchDefault uses the builder's default client.
func FetchDefault(ctx context.Context, base string) error {
	var p pet
	return requests.URL(base).Path("/pets/1").ToJSON(&p).Fetch(ctx)
}

var shared = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// FetchShared passes a shared client.
func FetchShared(ctx context.Context, base string) error {
	var p pet
	return requests.URL(base).Client(shared).Path("/pets/1").ToJSON(&p).Fetch(ctx)
}

// Head sends a HEAD request through the builder.
func Head(ctx context.Context, base string) error {
	return requests.URL(base).Path("/pets/1").Head().Fetch(ctx)
}

// NoContent expects a 204.
func NoContent(ctx context.Context, base string) error {
	return requests.URL(base).Path("/status/204").CheckStatus(http.StatusNoContent).Fetch(ctx)
}

// Handle reads the response in a handler that does not close it: the
// builder closes it after the handler.
func Handle(ctx context.Context, base string) error {
	return requests.URL(base).Path("/big").Handle(func(res *http.Response) error {
		if res.StatusCode != http.StatusOK {
			return errors.New(res.Status)
		}
		return nil
	}).Fetch(ctx)
}

// NoKeepAliveTransport builds a transport per call without keep-alive.
func NoKeepAliveTransport(ctx context.Context, base string) error {
	var s string
	return requests.URL(base).Transport(&http.Transport{DisableKeepAlives: true}).Path("/pets/1").ToString(&s).Fetch(ctx)
}
