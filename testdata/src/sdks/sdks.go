// Package sdks builds cloud SDK clients per call (reported: each has a
// pool of its own) and in the ways that share one (not reported).
package sdks

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	drive "google.golang.org/api/drive/v3"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

var shared = &http.Client{Timeout: 10 * time.Second}

// AWS: every service client copies the config's BuildableClient, with a
// Transport of its own, unless the config holds a client of the caller's.

func S3PerRequest(w http.ResponseWriter, r *http.Request) {
	cfg, err := config.LoadDefaultConfig(r.Context(), config.WithRegion("eu-west-1"))
	if err != nil {
		return
	}
	client := s3.NewFromConfig(cfg) // want `connection pool client from s3.NewFromConfig\(\) is built on every request served by S3PerRequest and dropped after use, so each request leaves a new pool of idle keep-alive connections open \(the SDK gives each client a pool of its own\); build the client once`
	out, err := client.GetObject(r.Context(), &s3.GetObjectInput{})
	if err != nil {
		return
	}
	out.Body.Close()
}

func S3Options(ctx context.Context, key string) error {
	out, err := s3.New(s3.Options{Region: "eu-west-1"}).GetObject(ctx, &s3.GetObjectInput{Key: &key}) // want `connection pool from s3.New\(\) is built on every call of S3Options`
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func S3SharedClient(ctx context.Context) error {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(shared))
	if err != nil {
		return err
	}
	out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func S3ConfigClient(ctx context.Context) error {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	cfg.HTTPClient = shared
	out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func S3OptionClient(ctx context.Context, cfg aws.Config) error { // want S3OptionClient:`^param1:pool:uses$`
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.HTTPClient = shared })
	out, err := client.GetObject(ctx, &s3.GetObjectInput{})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func S3ConfigFromCaller(ctx context.Context, cfg aws.Config) error { // want S3ConfigFromCaller:`^param1:pool:uses$`
	out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{}) // the caller's config: its HTTPClient is not known here
	if err != nil {
		return err
	}
	return out.Body.Close()
}

var s3Client = s3.NewFromConfig(aws.Config{Region: "eu-west-1"})

func S3Shared(ctx context.Context) error {
	out, err := s3Client.GetObject(ctx, &s3.GetObjectInput{})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

// The output of GetObject holds the object's body, which the caller
// must close.

func S3OutputDropped(ctx context.Context) error {
	_, err := s3Client.GetObject(ctx, &s3.GetObjectInput{}) // want `the response of s3Client.GetObject is discarded with _, so its Body is never closed`
	return err
}

type store struct{ s3 *s3.Client }

func newStore(ctx context.Context) (*store, error) { // want newStore:`^result0:pool@s3$`
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	return &store{s3: s3.NewFromConfig(cfg)}, nil
}

func (s *store) get(ctx context.Context, key string) error { // want get:`^recv:pool:uses$`
	out, err := s.s3.GetObject(ctx, &s3.GetObjectInput{Key: &key})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func StorePerRequest(w http.ResponseWriter, r *http.Request) {
	st, err := newStore(r.Context()) // want `connection pool st from newStore\(\) is built on every request served by StorePerRequest`
	if err != nil {
		return
	}
	st.get(r.Context(), r.URL.Path)
}

// A BuildableClient builds its Transport on first use; its With* copies
// get one each.

func BuildablePerCall(req *http.Request) error {
	c := awshttp.NewBuildableClient() // want `connection pool c from NewBuildableClient\(\) is built on every call of BuildablePerCall`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func BuildableCopy(req *http.Request) error {
	c := awshttp.NewBuildableClient().WithTimeout(5 * time.Second) // want `connection pool c from WithTimeout\(\) is built on every call of BuildableCopy`
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var buildable = awshttp.NewBuildableClient().WithTimeout(5 * time.Second)

func BuildableShared(req *http.Request) error {
	resp, err := buildable.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A dialer option that turns TCP keep-alive off leaves the client's
// Transport pooling.

var noProbes = awshttp.NewBuildableClient().WithDialerOptions(func(d *net.Dialer) {
	d.KeepAlive = -1 // want `d.KeepAlive = -1 disables TCP keep-alive probes only`
})

func noPooling() *awshttp.BuildableClient { // want noPooling:`^result0:new$`
	return awshttp.NewBuildableClient().
		WithTransportOptions(func(t *http.Transport) { t.DisableKeepAlives = true }).
		WithDialerOptions(func(d *net.Dialer) { d.KeepAlive = -1 })
}

var _ = noPooling()

// Google APIs: each service or client built from ClientOptions gets a new
// Transport, unless option.WithHTTPClient gives it one.

func DrivePerRequest(w http.ResponseWriter, r *http.Request) {
	svc, err := drive.NewService(r.Context(), option.WithAPIKey("key")) // want `connection pool svc from drive.NewService\(\) is built on every request served by DrivePerRequest`
	if err != nil {
		return
	}
	if _, err := svc.Files.List().Context(r.Context()).Do(); err != nil {
		return
	}
}

func DriveShared(ctx context.Context) error {
	svc, err := drive.NewService(ctx, option.WithHTTPClient(shared))
	if err != nil {
		return err
	}
	_, err = svc.Files.List().Do()
	return err
}

func DriveForwarded(ctx context.Context, opts ...option.ClientOption) error { // want DriveForwarded:`^param1:pool:uses$`
	svc, err := drive.NewService(ctx, opts...)
	if err != nil {
		return err
	}
	_, err = svc.Files.List().Do()
	return err
}

func GoogleClientPerCall(ctx context.Context, u string) error {
	hc, _, err := htransport.NewClient(ctx) // want `connection pool hc from http.NewClient\(\) is built on every call of GoogleClientPerCall`
	if err != nil {
		return err
	}
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func GoogleClientClosed(ctx context.Context, u string) error {
	hc, _, err := htransport.NewClient(ctx)
	if err != nil {
		return err
	}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// client-go: its transport cache gives every plain config the same
// Transport; a Proxy or a Dial func defeats it.

func PodViaProxy(ctx context.Context, host, proxy, name string) error {
	pu, err := url.Parse(proxy)
	if err != nil {
		return err
	}
	cfg := &rest.Config{Host: host, Proxy: http.ProxyURL(pu)}
	cs, err := kubernetes.NewForConfig(cfg) // want `connection pool cs from kubernetes.NewForConfig\(\) is built on every call of PodViaProxy`
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name)
	return err
}

func PodViaDialer(ctx context.Context, host, name string, d *net.Dialer) error {
	cfg := rest.Config{Host: host}
	cfg.Dial = d.DialContext
	cs, err := kubernetes.NewForConfig(&cfg) // want `connection pool cs from kubernetes.NewForConfig\(\) is built on every call of PodViaDialer`
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name)
	return err
}

func RawViaProxy(u string, cfg *rest.Config, proxy *url.URL) error { // want RawViaProxy:`^param1:pool:uses$`
	cfg.Proxy = http.ProxyURL(proxy)
	hc, err := rest.HTTPClientFor(cfg) // want `connection pool hc from rest.HTTPClientFor\(\) is built on every call of RawViaProxy`
	if err != nil {
		return err
	}
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func PodCached(ctx context.Context, host, token, name string) error {
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: host, BearerToken: token})
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name)
	return err
}

func PodWrapped(ctx context.Context, host, name string) error {
	cfg := &rest.Config{Host: host}
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return rt }
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name)
	return err
}

func PodOwnTransport(ctx context.Context, host, name string, proxy *url.URL) error {
	cfg := &rest.Config{Host: host, Proxy: http.ProxyURL(proxy), Transport: http.DefaultTransport}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name)
	return err
}
