// Package http mirrors google.golang.org/api/transport/http: NewClient
// builds a new Transport per call unless an option gives the client.
package http

import (
	"context"
	"net/http"

	"google.golang.org/api/option"
)

func NewClient(ctx context.Context, opts ...option.ClientOption) (*http.Client, string, error) {
	var settings option.DialSettings
	for _, o := range opts {
		o.Apply(&settings)
	}
	if settings.HTTPClient != nil {
		return settings.HTTPClient, "", nil
	}
	trans := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Transport: trans}, "https://www.googleapis.com/", nil
}
