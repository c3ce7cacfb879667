// Package s3 mirrors the shape of an aws-sdk-go-v2 service client: New
// resolves the options' HTTPClient (a copy of a BuildableClient, with a
// Transport of its own) and the client's operations send through it.
package s3

import (
	"context"
	"net"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

type Options struct {
	Region     string
	HTTPClient HTTPClient
}

type Client struct {
	options Options
}

func New(options Options, optFns ...func(*Options)) *Client {
	resolveHTTPClient(&options)
	for _, fn := range optFns {
		fn(&options)
	}
	return &Client{options: options}
}

func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	opts := Options{Region: cfg.Region, HTTPClient: cfg.HTTPClient}
	return New(opts, func(o *Options) {
		for _, fn := range optFns {
			fn(o)
		}
	})
}

func resolveHTTPClient(o *Options) {
	var buildable *awshttp.BuildableClient
	if o.HTTPClient != nil {
		var ok bool
		buildable, ok = o.HTTPClient.(*awshttp.BuildableClient)
		if !ok {
			return
		}
	} else {
		buildable = awshttp.NewBuildableClient()
	}
	buildable = buildable.WithDialerOptions(func(d *net.Dialer) {})
	o.HTTPClient = buildable
}

type GetObjectInput struct{ Bucket, Key *string }

type GetObjectOutput struct{ Body interface{ Close() error } }

func (c *Client) GetObject(ctx context.Context, params *GetObjectInput, optFns ...func(*Options)) (*GetObjectOutput, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", "https://s3.invalid/", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.options.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	return &GetObjectOutput{Body: resp.Body}, nil
}
