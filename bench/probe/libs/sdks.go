package libs

// Cloud SDK clients, instrumented round trippers and HTTP/2 transports,
// built per call (marked) and in the ways that share a pool.

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
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/net/http2"
	"google.golang.org/api/option"
	storage "google.golang.org/api/storage/v1"
	htransport "google.golang.org/api/transport/http"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

var shared = &http.Client{Timeout: 10 * time.Second}

// aws-sdk-go-v2

func S3PerRequest(w http.ResponseWriter, r *http.Request) {
	cfg, err := config.LoadDefaultConfig(r.Context())
	if err != nil {
		return
	}
	client := s3.NewFromConfig(cfg) // leak: transport
	out, err := client.GetObject(r.Context(), &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String(r.URL.Path)})
	if err != nil {
		return
	}
	out.Body.Close()
}

func S3OwnClient(ctx context.Context, key string) error {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(shared))
	if err != nil {
		return err
	}
	out, err := s3.NewFromConfig(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String(key)})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

var s3Client = s3.NewFromConfig(aws.Config{Region: "eu-west-1"})

func S3Shared(ctx context.Context, key string) error {
	out, err := s3Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String(key)})
	if err != nil {
		return err
	}
	return out.Body.Close()
}

func BuildablePerCall(req *http.Request) error {
	c := awshttp.NewBuildableClient() // leak: transport
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var noProbes = awshttp.NewBuildableClient().WithDialerOptions(func(d *net.Dialer) {
	d.KeepAlive = -1 // leak: keepalive
})

func NoProbes(req *http.Request) error {
	resp, err := noProbes.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Google API transport and services

func GooglePerCall(ctx context.Context, u string) error {
	hc, _, err := htransport.NewClient(ctx, option.WithoutAuthentication()) // leak: transport
	if err != nil {
		return err
	}
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func BucketPerRequest(w http.ResponseWriter, r *http.Request) {
	svc, err := storage.NewService(r.Context(), option.WithoutAuthentication()) // leak: transport
	if err != nil {
		return
	}
	if _, err := svc.Buckets.Get(r.URL.Path).Context(r.Context()).Do(); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

func BucketOwnClient(ctx context.Context, name string) error {
	svc, err := storage.NewService(ctx, option.WithHTTPClient(shared))
	if err != nil {
		return err
	}
	_, err = svc.Buckets.Get(name).Do()
	return err
}

// client-go

func PodViaProxy(ctx context.Context, host string, proxy *url.URL, name string) error {
	cfg := &rest.Config{Host: host, Proxy: http.ProxyURL(proxy)}
	cs, err := kubernetes.NewForConfig(cfg) // leak: transport
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name, metav1.GetOptions{})
	return err
}

func PodCached(ctx context.Context, host, token, name string) error {
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: host, BearerToken: token})
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Pods("default").Get(ctx, name, metav1.GetOptions{})
	return err
}

// promhttp

var requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "requests_total"}, []string{"code", "method"})

func Prom(u string) error {
	c := &http.Client{Transport: promhttp.InstrumentRoundTripperCounter(requests, &http.Transport{})} // leak: transport
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var promClient = &http.Client{Transport: promhttp.InstrumentRoundTripperCounter(requests, http.DefaultTransport)}

func PromShared(u string) error {
	resp, err := promClient.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// HTTP/2

func H2PerCall(u string) error {
	c := &http.Client{Transport: &http2.Transport{}} // leak: transport
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var h2 = &http.Client{Transport: &http2.Transport{}}

func H2Shared(u string) error {
	resp, err := h2.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
