// Package option mirrors google.golang.org/api/option: ClientOptions
// applied to DialSettings.
package option

import "net/http"

type DialSettings struct {
	APIKey     string
	HTTPClient *http.Client
}

type ClientOption interface{ Apply(*DialSettings) }

type withAPIKey string

func (w withAPIKey) Apply(o *DialSettings) { o.APIKey = string(w) }

func WithAPIKey(key string) ClientOption { return withAPIKey(key) }

type withHTTPClient struct{ client *http.Client }

func (w withHTTPClient) Apply(o *DialSettings) { o.HTTPClient = w.client }

func WithHTTPClient(client *http.Client) ClientOption { return withHTTPClient{client} }
