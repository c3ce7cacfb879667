// Package gokit probes github.com/go-kit/kit/transport/http's client:
// an endpoint built per call, as service clients often do.
package gokit

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	httptransport "github.com/go-kit/kit/transport/http"
)

type pet struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func decodePet(_ context.Context, r *http.Response) (any, error) {
	var p struct {
		Data pet `json:"data"`
	}
	err := json.NewDecoder(r.Body).Decode(&p)
	return p.Data, err
}

// decodeStream hands the body on: with BufferedStream(true) go-kit
// leaves it open for the caller.
func decodeStream(_ context.Context, r *http.Response) (any, error) {
	return r.Body, nil
}

// GetPetOwnClient builds the endpoint with its own pooled client per call.
func GetPetOwnClient(ctx context.Context, base string) error {
	tgt, err := url.Parse(base + "/pets/1")
	if err != nil {
		return err
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}} // leak: transport
	ep := httptransport.NewClient("GET", tgt, httptransport.EncodeJSONRequest, decodePet, httptransport.SetClient(hc)).Endpoint()
	_, err = ep(ctx, nil)
	return err
}

// GetPetDefault uses go-kit's default client (http.DefaultClient).
func GetPetDefault(ctx context.Context, base string) error {
	tgt, err := url.Parse(base + "/pets/1")
	if err != nil {
		return err
	}
	ep := httptransport.NewClient("GET", tgt, httptransport.EncodeJSONRequest, decodePet).Endpoint()
	_, err = ep(ctx, nil)
	return err
}

var shared = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// GetPetShared passes a shared client.
func GetPetShared(ctx context.Context, base string) error {
	tgt, err := url.Parse(base + "/pets/1")
	if err != nil {
		return err
	}
	ep := httptransport.NewClient("GET", tgt, httptransport.EncodeJSONRequest, decodePet, httptransport.SetClient(shared)).Endpoint()
	_, err = ep(ctx, nil)
	return err
}

// StreamPetPeek asks for the body left open (BufferedStream), reads a
// few bytes and drops it.
func StreamPetPeek(ctx context.Context, base string) error {
	tgt, err := url.Parse(base + "/big")
	if err != nil {
		return err
	}
	ep := httptransport.NewClient("GET", tgt, httptransport.EncodeJSONRequest, decodeStream, httptransport.BufferedStream(true)).Endpoint()
	body, err := ep(ctx, nil) // leak: body
	if err != nil {
		return err
	}
	_, err = io.ReadFull(body.(io.Reader), make([]byte, 16))
	return err
}

// StreamPetClosed closes the body it asked for.
func StreamPetClosed(ctx context.Context, base string) error {
	tgt, err := url.Parse(base + "/big")
	if err != nil {
		return err
	}
	ep := httptransport.NewClient("GET", tgt, httptransport.EncodeJSONRequest, decodeStream, httptransport.BufferedStream(true)).Endpoint()
	body, err := ep(ctx, nil)
	if err != nil {
		return err
	}
	rc := body.(io.ReadCloser)
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
