// Package aws mirrors the shape of aws-sdk-go-v2's aws package: a Config
// whose HTTPClient the service clients use.
package aws

import "net/http"

type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

type Config struct {
	Region     string
	HTTPClient HTTPClient
}
