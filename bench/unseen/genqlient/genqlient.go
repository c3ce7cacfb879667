// Package genqlient probes github.com/Khan/genqlient's runtime client
// (graphql.NewClient with a Doer; generated code calls MakeRequest the
// same way).
package genqlient

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/Khan/genqlient/graphql"
)

type petData struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func query(ctx context.Context, c graphql.Client) error {
	var data petData
	return c.MakeRequest(ctx, &graphql.Request{OpName: "Pet", Query: "query Pet { id name }"}, &graphql.Response{Data: &data})
}

// QueryOwnTransport builds a client with a tuned transport per call.
func QueryOwnTransport(ctx context.Context, base string) error {
	hc := &http.Client{ // leak: transport
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second},
	}
	c := graphql.NewClient(base+"/graphql", hc)
	var data petData
	return c.MakeRequest(ctx, &graphql.Request{OpName: "Pet", Query: "query Pet { id name }"}, &graphql.Response{Data: &data})
}

// QueryNoTCPKeepAlive thinks it turns keep-alive off on the dialer,
// with a transport per call.
func QueryNoTCPKeepAlive(ctx context.Context, base string) error {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: -1}                  // leak: keepalive
	hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}} // leak: transport
	return query(ctx, graphql.NewClient(base+"/graphql", hc))
}

// QueryNoKeepAlive turns HTTP keep-alive off, with the dialer's too.
func QueryNoKeepAlive(ctx context.Context, base string) error {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: -1}
	hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	return query(ctx, graphql.NewClient(base+"/graphql", hc))
}

// QueryDefault passes nil: the library uses http.DefaultClient.
func QueryDefault(ctx context.Context, base string) error {
	return query(ctx, graphql.NewClient(base+"/graphql", nil))
}

// QueryDefaultClient passes http.DefaultClient, as the README does.
func QueryDefaultClient(ctx context.Context, base string) error {
	c := graphql.NewClient(base+"/graphql", http.DefaultClient)
	var data petData
	return c.MakeRequest(ctx, &graphql.Request{OpName: "Pet", Query: "query Pet { id name }"}, &graphql.Response{Data: &data})
}

var sharedHC = &http.Client{Transport: &http.Transport{MaxIdleConns: 10}}

// QuerySharedHTTP builds the graphql client per call over a shared
// http.Client.
func QuerySharedHTTP(ctx context.Context, base string) error {
	return query(ctx, graphql.NewClient(base+"/graphql", sharedHC))
}

// QueryGet uses the GET variant over a shared client.
func QueryGet(ctx context.Context, base string) error {
	return query(ctx, graphql.NewClientUsingGet(base+"/graphql", sharedHC))
}
