// Package resty mirrors the API shape of go-resty/resty/v2 for the
// fixtures: New builds its own Transport through createClient, and a
// Request holds its Client.
package resty

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"runtime"
	"time"
)

type RequestMiddleware func(*Client, *Request) error

type Client struct {
	HostURL         string
	httpClient      *http.Client
	closeConnection bool
	beforeRequest   []RequestMiddleware
}

func New() *Client {
	jar, _ := cookiejar.New(nil)
	return createClient(&http.Client{Jar: jar})
}

func NewWithClient(hc *http.Client) *Client {
	return createClient(hc)
}

func createClient(hc *http.Client) *Client {
	if hc.Transport == nil {
		hc.Transport = createTransport(nil)
	}
	c := &Client{httpClient: hc}
	c.beforeRequest = []RequestMiddleware{parseRequestURL}
	c.SetTimeout(time.Minute)
	return c
}

func createTransport(localAddr net.Addr) *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if localAddr != nil {
		dialer.LocalAddr = localAddr
	}
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		MaxIdleConns:        100,
		IdleConnTimeout:     90 * time.Second,
		MaxIdleConnsPerHost: runtime.GOMAXPROCS(0) + 1,
	}
}

func parseRequestURL(c *Client, r *Request) error {
	r.URL = c.HostURL + r.URL
	return nil
}

func (c *Client) SetTimeout(d time.Duration) *Client {
	c.httpClient.Timeout = d
	return c
}

func (c *Client) SetCloseConnection(close bool) *Client {
	c.closeConnection = close
	return c
}

func (c *Client) GetClient() *http.Client {
	return c.httpClient
}

func (c *Client) R() *Request {
	r := &Request{client: c}
	return r
}

type Request struct {
	URL              string
	Method           string
	client           *Client
	notParseResponse bool
}

type Response struct {
	Request     *Request
	RawResponse *http.Response
	body        []byte
}

func (r *Response) RawBody() io.ReadCloser {
	if r.RawResponse == nil {
		return nil
	}
	return r.RawResponse.Body
}

func (r *Request) SetDoNotParseResponse(parse bool) *Request {
	r.notParseResponse = parse
	return r
}

func (r *Request) Get(url string) (*Response, error) {
	return r.Execute(http.MethodGet, url)
}

func (r *Request) Execute(method, url string) (*Response, error) {
	r.Method, r.URL = method, url
	return r.client.execute(r)
}

func (c *Client) execute(req *Request) (*Response, error) {
	for _, f := range c.beforeRequest {
		if err := f(c, req); err != nil {
			return nil, err
		}
	}
	hreq, err := http.NewRequest(req.Method, req.URL, nil)
	if err != nil {
		return nil, err
	}
	if c.closeConnection {
		hreq.Close = true
	}
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		return nil, err
	}
	response := &Response{Request: req, RawResponse: resp}
	if !req.notParseResponse {
		defer resp.Body.Close()
		response.body, err = io.ReadAll(resp.Body)
	}
	return response, err
}

func (c *Client) SetTransport(transport http.RoundTripper) *Client {
	if transport != nil {
		c.httpClient.Transport = transport
	}
	return c
}
