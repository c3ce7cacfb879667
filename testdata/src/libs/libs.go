// Package libs builds clients through libraries per call (reported) and
// once (not reported). The libraries are stubs under testdata/src that
// mirror their API shapes; facts are computed from their bodies.
package libs

import (
	"context"
	"net/http"

	"github.com/go-resty/resty/v2"
	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"golang.org/x/oauth2"
)

// resty: New builds a Transport (through createClient) on every call.

func RestyGet(u string) error {
	c := resty.New() // want `connection pool c from New\(\) is built on every call of RestyGet`
	_, err := c.R().Get(u)
	return err
}

func RestyInline(u string) error {
	_, err := resty.New().R().Get(u) // want `connection pool from New\(\) is built on every call of RestyInline`
	return err
}

func RestyConfigured(u string) error {
	c := resty.New().SetTimeout(5) // want `connection pool c from New\(\) is built on every call of RestyConfigured`
	resp, err := c.R().Get(u)
	if err != nil {
		return err
	}
	_ = resp
	return nil
}

var sharedResty = resty.New()

func RestyShared(u string) error {
	_, err := sharedResty.R().Get(u)
	return err
}

func RestyClosed(u string) error {
	c := resty.New()
	defer c.GetClient().CloseIdleConnections()
	_, err := c.R().Get(u)
	return err
}

func RestyWithClient(u string, hc *http.Client) error { // want RestyWithClient:`^param1:pool:uses droppedPool,when\(!p1.Transport\)$`
	c := resty.NewWithClient(hc) // the caller's client: its Transport is not ours
	_, err := c.R().Get(u)
	return err
}

// An SDK-style constructor keeps the client: its callers are judged.
type API struct{ rc *resty.Client }

func NewAPI() *API { // want NewAPI:`result0:pool@rc.httpClient.Transport`
	return &API{rc: resty.New()}
}

// go-retryablehttp: NewClient builds a pooled client.

func RetryGet(u string) error {
	c := retryablehttp.NewClient() // want `connection pool c from NewClient\(\) is built on every call of RetryGet`
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func RetryStandard(req *http.Request) error {
	c := retryablehttp.NewClient() // want `connection pool c from NewClient\(\) is built on every call of RetryStandard`
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var retrying = retryablehttp.NewClient()

func RetryShared(u string) error {
	resp, err := retrying.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// go-cleanhttp: DefaultClient keeps no idle connections; the pooled one does.

func CleanDefault(u string) error {
	resp, err := cleanhttp.DefaultClient().Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func CleanPooled(u string) error {
	resp, err := cleanhttp.DefaultPooledClient().Get(u) // want `connection pool from DefaultPooledClient\(\) is built on every call of CleanPooled`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// otelhttp and round trippers of one's own wrap a fresh transport: the
// client still holds the pool.

func Otel(u string) error {
	c := &http.Client{Transport: otelhttp.NewTransport(&http.Transport{})} // want `new http.Transport of client c is built on every call of Otel`
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var otelClient = &http.Client{Transport: otelhttp.NewTransport(&http.Transport{})}

func OtelShared(u string) error {
	resp, err := otelClient.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type logging struct{ next http.RoundTripper }

func (l logging) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`recv:pool:uses`
	return l.next.RoundTrip(req)
}

func Logging(u string) error {
	c := &http.Client{Transport: logging{next: &http.Transport{}}} // want `new http.Transport of client c is built on every call of Logging`
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// oauth2 wraps the context's client and builds no pool.

func OAuth(ctx context.Context, conf *oauth2.Config, tok *oauth2.Token, u string) error {
	c := conf.Client(ctx, tok)
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A transport cloned per request into a shallow copy of the caller's
// client.

type cloner interface{ Clone() *http.Transport }

func CloneIntoCopy(c *http.Client, x cloner, req *http.Request) error { // want CloneIntoCopy:`^param0:pool:borrows$`
	tr := x.Clone() // want `cloned http.Transport tr is built on every call of CloneIntoCopy`
	cc := *c
	cc.Transport = tr
	c = &cc
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// resty closes the body when it parses the response; with
// SetDoNotParseResponse(true) the caller must close RawBody().

func RestyRaw(c *resty.Client, u string) (int, error) { // want RestyRaw:`^param0:pool:uses$`
	resp, err := c.R().SetDoNotParseResponse(true).Get(u) // want `resp.RawBody\(\) is not closed on every path in RestyRaw`
	if err != nil {
		return 0, err
	}
	return len(resp.RawResponse.Header), nil // leaks here
}

func RestyRawClosed(c *resty.Client, u string) (int, error) { // want RestyRawClosed:`^param0:pool:uses$`
	resp, err := c.R().SetDoNotParseResponse(true).Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.RawBody().Close()
	return len(resp.RawResponse.Header), nil
}

func RestyRawClosedField(c *resty.Client, u string) error { // want RestyRawClosedField:`^param0:pool:uses$`
	resp, err := c.R().SetDoNotParseResponse(true).Get(u)
	if err != nil {
		return err
	}
	return resp.RawResponse.Body.Close()
}

func RestyParsed(c *resty.Client, u string) (int, error) { // want RestyParsed:`^param0:pool:uses$`
	resp, err := c.R().SetDoNotParseResponse(false).Get(u)
	if err != nil {
		return 0, err
	}
	return len(resp.RawResponse.Header), nil
}

// Every request closes its connection: the pool keeps none idle.
func RestyCloseConnection(u string) error {
	c := resty.New().SetCloseConnection(true)
	_, err := c.R().Get(u)
	return err
}

// promhttp's middleware wraps the transport in a func: the client still
// holds the pool, and its CloseIdleConnections does not reach it.

func Prom(u string, counter promhttp.Counter) error {
	c := &http.Client{Transport: promhttp.InstrumentRoundTripperCounter(counter, &http.Transport{})} // want `new http.Transport of client c is built on every call of Prom.*does not reach it`
	defer c.CloseIdleConnections()
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var promTransport = &http.Transport{}

func PromShared(u string, counter promhttp.Counter) error {
	c := &http.Client{Transport: promhttp.InstrumentRoundTripperCounter(counter, promTransport)}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// resty's SetTransport keeps the transport in the client it returns.

func RestySetTransport(u string) error {
	c := resty.NewWithClient(&http.Client{}).SetTransport(&http.Transport{}) // want `new http.Transport held by c is built on every call of RestySetTransport`
	_, err := c.R().Get(u)
	return err
}
