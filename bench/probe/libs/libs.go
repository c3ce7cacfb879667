// Package libs probes httpleakcheck on the real client libraries the
// bench module pins: each per-call shape (marked "leak: CHECK" on the
// line that must be reported) and each fixed shape (no mark: must not
// be reported). e2e/libs_test.go checks the marks.
package libs

import (
	"context"
	"net/http"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"golang.org/x/oauth2"
)

// resty

func RestyGet(u string) error {
	c := resty.New() // leak: transport
	_, err := c.R().Get(u)
	return err
}

func RestyInline(u string) error {
	_, err := resty.New().R().Get(u) // leak: transport
	return err
}

var restyClient = resty.New()

func RestyShared(u string) error {
	_, err := restyClient.R().Get(u)
	return err
}

func RestyClosed(u string) error {
	c := resty.New()
	defer c.GetClient().CloseIdleConnections()
	_, err := c.R().Get(u)
	return err
}

func RestyCloseConnection(u string) error {
	c := resty.New().SetCloseConnection(true)
	_, err := c.R().Get(u)
	return err
}

type API struct{ rc *resty.Client }

func NewAPI() *API { return &API{rc: resty.New()} }

func RestyRaw(u string) (int, error) {
	resp, err := restyClient.R().SetDoNotParseResponse(true).Get(u) // leak: body
	if err != nil {
		return 0, err
	}
	return resp.StatusCode(), nil
}

func RestyRawClosed(u string) (int, error) {
	resp, err := restyClient.R().SetDoNotParseResponse(true).Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.RawBody().Close()
	return resp.StatusCode(), nil
}

// go-retryablehttp

func RetryGet(u string) error {
	c := retryablehttp.NewClient() // leak: transport
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func RetryStandard(req *http.Request) error {
	c := retryablehttp.NewClient() // leak: transport
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var retryClient = retryablehttp.NewClient()

func RetryShared(u string) error {
	resp, err := retryClient.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// go-cleanhttp

func CleanPooled(u string) error {
	resp, err := cleanhttp.DefaultPooledClient().Get(u) // leak: transport
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func CleanDefault(u string) error {
	resp, err := cleanhttp.DefaultClient().Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// otelhttp

func Otel(u string) error {
	c := &http.Client{Transport: otelhttp.NewTransport(&http.Transport{})} // leak: transport
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var otelClient = &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}

func OtelShared(u string) error {
	resp, err := otelClient.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// oauth2 wraps the context's client: no pool of its own.

func OAuth(ctx context.Context, conf *oauth2.Config, tok *oauth2.Token, u string) error {
	c := conf.Client(ctx, tok)
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func OAuthSource(ctx context.Context, src oauth2.TokenSource, u string) error {
	resp, err := oauth2.NewClient(ctx, src).Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
