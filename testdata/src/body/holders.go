package body

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// A library's response type that holds the *http.Response (go-github's
// Response embeds it): a method that returns one with a fresh response in
// it hands its caller the body to close.

type APIResponse struct {
	*http.Response
	NextPage int
}

type APIClient struct {
	hc *http.Client
}

var sdk = &APIClient{hc: &http.Client{}}

func newAPIResponse(r *http.Response) *APIResponse { // want newAPIResponse:`^param0:body:returns\(0@Response.Body\)$`
	return &APIResponse{Response: r, NextPage: 1}
}

// BareDo hands the body on: the caller must close it.
func (c *APIClient) BareDo(req *http.Request) (*APIResponse, error) { // want BareDo:`^recv:pool:uses result0:body@Response.Body$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	return newAPIResponse(resp), nil
}

// The same with the literal in a local.
func (c *APIClient) BareDoLocal(req *http.Request) (*APIResponse, error) { // want BareDoLocal:`^recv:pool:uses result0:body@Response.Body$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	r := &APIResponse{Response: resp}
	return r, nil
}

// Do reads and closes the body: its callers owe nothing.
func (c *APIClient) Do(req *http.Request, v any) (*APIResponse, error) { // want Do:`^recv:pool:uses$`
	resp, err := c.BareDo(req)
	if err != nil {
		return resp, err
	}
	defer resp.Body.Close()
	return resp, json.NewDecoder(resp.Body).Decode(v)
}

// Closed before it is returned on an error status: the caller cannot
// tell which responses are open.
func (c *APIClient) Checked(req *http.Request) (*APIResponse, error) { // want Checked:`^recv:pool:uses$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
	}
	return &APIResponse{Response: resp}, nil
}

// The body returned as a reader too: the caller closes the reader.
func (c *APIClient) Download(req *http.Request) (io.ReadCloser, *APIResponse, error) { // want Download:`^recv:pool:uses$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	return resp.Body, &APIResponse{Response: resp}, nil
}

// Handed to code that may close it before it goes in the holder.
func handleResponse(resp *http.Response, unmarshal func(*http.Response) error) (*APIResponse, error) {
	if err := unmarshal(resp); err != nil {
		return nil, err
	}
	return &APIResponse{Response: resp}, nil
}

func (c *APIClient) Handled(req *http.Request, unmarshal func(*http.Response) error) (*APIResponse, error) { // want Handled:`^recv:pool:uses$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	return handleResponse(resp, unmarshal)
}

// The body replaced by a copy: the caller would close the copy. (The
// original leaks here, which the check reports in this function.)
func (c *APIClient) Buffered(req *http.Request) (*APIResponse, error) { // want Buffered:`^recv:pool:uses$`
	resp, err := c.hc.Do(req) // want `resp.Body is not closed on every path in APIClient.Buffered`
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b)) // leaks here
	return &APIResponse{Response: resp}, err
}

// A named field, not embedded.
type RawResult struct {
	Raw  *http.Response
	Code int
}

func (c *APIClient) Raw(req *http.Request) (RawResult, error) { // want Raw:`^recv:pool:uses result0:body@Raw.Body$`
	resp, err := c.hc.Do(req)
	if err != nil {
		return RawResult{}, err
	}
	return RawResult{Raw: resp, Code: resp.StatusCode}, nil
}

// The callers.

func downloadLeaks(req *http.Request) (int, error) {
	resp, err := sdk.BareDo(req) // want `resp.Body is not closed on every path in downloadLeaks`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // leaks here
}

func downloadDiscarded(req *http.Request) error {
	_, err := sdk.BareDoLocal(req) // want `the response of sdk.BareDoLocal is discarded with _`
	return err
}

func rawLeaks(req *http.Request) int {
	r, err := sdk.Raw(req) // want `r.Raw.Body is not closed on every path in rawLeaks`
	if err != nil {
		return 0
	}
	return r.Code // leaks here
}

func downloadClosed(req *http.Request) (int, error) {
	resp, err := sdk.BareDo(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func downloadClosedThroughField(req *http.Request) (int, error) {
	resp, err := sdk.BareDoLocal(req)
	if err != nil {
		return 0, err
	}
	defer resp.Response.Body.Close()
	return resp.NextPage, nil
}

func rawClosed(req *http.Request) int {
	r, err := sdk.Raw(req)
	if err != nil {
		return 0
	}
	defer r.Raw.Body.Close()
	return r.Code
}

func doDecoded(req *http.Request) error {
	var v map[string]any
	_, err := sdk.Do(req, &v)
	return err
}

func checkedNotTracked(req *http.Request) int {
	resp, err := sdk.Checked(req)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Handed on: the caller's caller closes it.
func downloadReturned(req *http.Request) (*APIResponse, error) { // want downloadReturned:`^result0:body@Response.Body$`
	return sdk.BareDo(req)
}

func downloadReader(req *http.Request) error {
	rc, _, err := sdk.Download(req)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

func handled(req *http.Request) int {
	resp, err := sdk.Handled(req, func(*http.Response) error { return nil })
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
