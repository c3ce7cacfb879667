// Package retryablehttp mirrors the API shape of
// hashicorp/go-retryablehttp for the fixtures.
package retryablehttp

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

type Request struct {
	*http.Request
	body func() (io.Reader, error)
}

func NewRequest(method, url string, rawBody io.Reader) (*Request, error) {
	r, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil, err
	}
	return &Request{Request: r, body: func() (io.Reader, error) { return rawBody, nil }}, nil
}

type CheckRetry func(ctx context.Context, resp *http.Response, err error) (bool, error)

type RequestLogHook func(logger any, req *http.Request, attempt int)

type Client struct {
	HTTPClient     *http.Client
	Logger         any
	RetryWaitMin   time.Duration
	RetryMax       int
	CheckRetry     CheckRetry
	RequestLogHook RequestLogHook

	clientInit sync.Once
}

func NewClient() *Client {
	return &Client{
		HTTPClient:   cleanhttp.DefaultPooledClient(),
		RetryWaitMin: time.Second,
		RetryMax:     4,
		CheckRetry:   DefaultRetryPolicy,
	}
}

func DefaultRetryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	return err != nil || resp.StatusCode >= 500, nil
}

func (c *Client) logger() any { return c.Logger }

func (c *Client) Do(req *Request) (*http.Response, error) {
	c.clientInit.Do(func() {
		if c.HTTPClient == nil {
			c.HTTPClient = cleanhttp.DefaultPooledClient()
		}
	})
	logger := c.logger()
	var resp *http.Response
	var doErr error
	for i := 0; ; i++ {
		if req.body != nil {
			if _, err := req.body(); err != nil {
				c.HTTPClient.CloseIdleConnections()
				return resp, err
			}
		}
		if c.RequestLogHook != nil {
			c.RequestLogHook(logger, req.Request, i)
		}
		resp, doErr = c.HTTPClient.Do(req.Request)
		retry, _ := c.CheckRetry(req.Context(), resp, doErr)
		if !retry || i >= c.RetryMax {
			return resp, doErr
		}
		if doErr == nil {
			resp.Body.Close()
		}
		time.Sleep(c.RetryWaitMin)
	}
}

func (c *Client) Get(url string) (*http.Response, error) {
	req, err := NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// RoundTripper wraps a Client as an http.RoundTripper.
type RoundTripper struct {
	Client *Client
}

func (rt *RoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	return rt.Client.Do(&Request{Request: req})
}

func (c *Client) StandardClient() *http.Client {
	return &http.Client{Transport: &RoundTripper{Client: c}}
}
