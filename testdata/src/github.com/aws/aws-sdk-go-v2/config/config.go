// Package config mirrors aws-sdk-go-v2's config: LoadDefaultConfig runs
// resolvers from a slice of funcs; the HTTPClient it leaves is a
// BuildableClient unless WithHTTPClient gives one.
package config

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

type LoadOptions struct {
	Region     string
	HTTPClient aws.HTTPClient
}

type LoadOptionsFunc func(*LoadOptions) error

func WithRegion(v string) LoadOptionsFunc {
	return func(o *LoadOptions) error { o.Region = v; return nil }
}

func WithHTTPClient(v aws.HTTPClient) LoadOptionsFunc {
	return func(o *LoadOptions) error { o.HTTPClient = v; return nil }
}

type resolver func(cfg *aws.Config, o *LoadOptions)

var resolvers = []resolver{
	func(cfg *aws.Config, o *LoadOptions) { cfg.Region = o.Region },
	func(cfg *aws.Config, o *LoadOptions) {
		if o.HTTPClient != nil {
			cfg.HTTPClient = o.HTTPClient
			return
		}
		cfg.HTTPClient = awshttp.NewBuildableClient()
	},
}

func LoadDefaultConfig(ctx context.Context, optFns ...func(*LoadOptions) error) (aws.Config, error) {
	var o LoadOptions
	for _, fn := range optFns {
		if err := fn(&o); err != nil {
			return aws.Config{}, err
		}
	}
	var cfg aws.Config
	for _, r := range resolvers {
		r(&cfg, &o)
	}
	return cfg, nil
}
