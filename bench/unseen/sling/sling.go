// Package sling probes github.com/dghubble/sling, a builder:
// sling.New().Client(hc).Base(u).Get(p).ReceiveSuccess(&v). Receive and
// Do close the body.
package sling

import (
	"context"
	"net/http"
	"time"

	"github.com/dghubble/sling"
)

type pet struct {
	Data struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"data"`
}

// GetOwnClient builds a pooled client per call.
func GetOwnClient(ctx context.Context, base string) error {
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}} // leak: transport
	var p pet
	_, err := sling.New().Client(hc).Base(base).Get("pets/1").ReceiveSuccess(&p)
	return err
}

// API is a service client around a sling, built per call by NewAPI.
type API struct{ s *sling.Sling }

// NewAPI builds the service client with its own transport.
func NewAPI(base string) *API {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	return &API{s: sling.New().Client(hc).Base(base)}
}

// Pet fetches one pet.
func (a *API) Pet(ctx context.Context) (pet, error) {
	var p pet
	_, err := a.s.New().Get("pets/1").ReceiveSuccess(&p)
	return p, err
}

// NewAPIPerCall builds the service client per call.
func NewAPIPerCall(ctx context.Context, base string) error {
	_, err := NewAPI(base).Pet(ctx) // leak: transport
	return err
}

// GetDefault uses sling's default client.
func GetDefault(ctx context.Context, base string) error {
	var p pet
	_, err := sling.New().Base(base).Get("pets/1").ReceiveSuccess(&p)
	return err
}

var shared = sling.New().Client(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}})

// GetShared derives a request from a shared sling.
func GetShared(ctx context.Context, base string) error {
	var p pet
	_, err := shared.New().Base(base).Get("pets/1").ReceiveSuccess(&p)
	return err
}

// GetStatusOnly looks only at the status Receive returns: sling closes.
func GetStatusOnly(ctx context.Context, base string) error {
	resp, err := sling.New().Base(base).Get("big").Receive(nil, nil)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	return nil
}

// RequestThenDo builds the request with sling and sends it itself,
// leaving the body open.
func RequestThenDo(ctx context.Context, base string) error {
	req, err := sling.New().Base(base).Get("pets/1").Request()
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx)) // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	return nil
}
