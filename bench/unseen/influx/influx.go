// Package influx probes github.com/influxdata/influxdb-client-go/v2:
// influxdb2.NewClient builds its own pooled http.Client; client.Close()
// closes its idle connections, as the README's "defer client.Close()".
package influx

import (
	"context"
	"errors"
	"net/http"
	"sync"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
)

// HealthNoClose builds a client per call and never closes it.
func HealthNoClose(ctx context.Context, base string) error {
	client := influxdb2.NewClient(base, "probe-token") // leak: transport
	_, err := client.Health(ctx)
	return err
}

// PingOptions builds a client with options per call and never closes it.
func PingOptions(ctx context.Context, base string) error {
	client := influxdb2.NewClientWithOptions(base, "probe-token", influxdb2.DefaultOptions().SetHTTPRequestTimeout(5)) // leak: transport
	ok, err := client.Ping(ctx)
	if err == nil && !ok {
		return errors.New("ping failed")
	}
	return err
}

// HealthClosed closes the client.
func HealthClosed(ctx context.Context, base string) error {
	client := influxdb2.NewClient(base, "probe-token")
	defer client.Close()
	_, err := client.Health(ctx)
	return err
}

var sharedHC = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// HealthSharedHTTP gives the options a shared http.Client: Close leaves it alone.
func HealthSharedHTTP(ctx context.Context, base string) error {
	client := influxdb2.NewClientWithOptions(base, "probe-token", influxdb2.DefaultOptions().SetHTTPClient(sharedHC))
	_, err := client.Health(ctx)
	return err
}

// PingShared uses a shared client (for the server address of this call,
// a client per address would be kept in a map).
func PingShared(ctx context.Context, base string) error {
	client := clientFor(base)
	_, err := client.Ping(ctx)
	return err
}

var (
	mu      sync.Mutex
	clients = map[string]influxdb2.Client{}
)

func clientFor(base string) influxdb2.Client {
	mu.Lock()
	defer mu.Unlock()
	if c, ok := clients[base]; ok {
		return c
	}
	c := influxdb2.NewClient(base, "probe-token")
	clients[base] = c
	return c
}
