// Package godo probes github.com/digitalocean/godo: godo.NewFromToken
// (which wraps a go-retryablehttp client built per call) and
// godo.NewClient(hc), as its README shows.
package godo

import (
	"context"
	"net/http"
	"net/url"

	godoapi "github.com/digitalocean/godo"
)

func setBase(c *godoapi.Client, base string) error {
	u, err := url.Parse(base + "/")
	if err != nil {
		return err
	}
	c.BaseURL = u
	return nil
}

// AccountFromToken builds the client from a token per call.
func AccountFromToken(ctx context.Context, base string) error {
	client := godoapi.NewFromToken("dop_v1_probe") // leak: transport
	if err := setBase(client, base); err != nil {
		return err
	}
	_, _, err := client.Account.Get(ctx)
	return err
}

// AccountOwnTransport gives NewClient a pooled client built per call.
func AccountOwnTransport(ctx context.Context, base string) error {
	client := godoapi.NewClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}) // leak: transport
	if err := setBase(client, base); err != nil {
		return err
	}
	_, _, err := client.Account.Get(ctx)
	return err
}

// AccountDefault passes nil: http.DefaultClient.
func AccountDefault(ctx context.Context, base string) error {
	client := godoapi.NewClient(nil)
	if err := setBase(client, base); err != nil {
		return err
	}
	_, _, err := client.Account.Get(ctx)
	return err
}

var sharedHC = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// AccountShared passes a shared client to New with an option.
func AccountShared(ctx context.Context, base string) error {
	client, err := godoapi.New(sharedHC, godoapi.SetBaseURL(base+"/"))
	if err != nil {
		return err
	}
	_, resp, err := client.Account.Get(ctx)
	if err != nil {
		return err
	}
	_ = resp.Rate
	return nil
}
