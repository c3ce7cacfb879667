// Package elastic probes github.com/elastic/go-elasticsearch/v8:
// elasticsearch.NewClient(cfg) (which clones http.DefaultTransport when
// cfg.Transport is nil) and the esapi responses whose Body the caller
// closes, as its README shows ("defer res.Body.Close()").
package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/elastic/go-elasticsearch/v8"
)

// InfoNewClient builds a client per call and decodes the response, as
// the README does. (Without the decode it does not leak on Go 1.26: a
// body closed unread closes its connection instead of pooling it.)
func InfoNewClient(ctx context.Context, base string) error {
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{base}}) // leak: transport
	if err != nil {
		return err
	}
	res, err := es.Info(es.Info.WithContext(ctx))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.IsError() {
		return fmt.Errorf("info: %s", res.Status())
	}
	var info map[string]any
	return json.NewDecoder(res.Body).Decode(&info)
}

// InfoNewClientClose builds a client per call and closes it. It leaks at
// run time (it was written as a fixed shape): Client.Close marks the
// client closed and closes its node pool, not the idle connections of
// the Transport it cloned.
func InfoNewClientClose(ctx context.Context, base string) error {
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{base}}) // leak: transport
	if err != nil {
		return err
	}
	defer es.Close(ctx)
	res, err := es.Info(es.Info.WithContext(ctx))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var info map[string]any
	return json.NewDecoder(res.Body).Decode(&info)
}

// InfoOwnTransportCloseIdle builds a client per call over a Transport of
// its own, whose idle connections it closes.
func InfoOwnTransportCloseIdle(ctx context.Context, base string) error {
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{base}, Transport: tr})
	if err != nil {
		return err
	}
	res, err := es.Info(es.Info.WithContext(ctx))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var info map[string]any
	return json.NewDecoder(res.Body).Decode(&info)
}

func client(base string) (*elasticsearch.Client, error) {
	return elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{base}, Transport: http.DefaultTransport})
}

// InfoDefaultTransport gives the config http.DefaultTransport.
func InfoDefaultTransport(ctx context.Context, base string) error {
	es, err := client(base)
	if err != nil {
		return err
	}
	res, err := es.Info(es.Info.WithContext(ctx))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var info map[string]any
	return json.NewDecoder(res.Body).Decode(&info)
}

// InfoStatusOpen checks the status of the response and returns without
// closing its Body.
func InfoStatusOpen(ctx context.Context, base string) error {
	es, err := client(base)
	if err != nil {
		return err
	}
	res, err := es.Info(es.Info.WithContext(ctx)) // leak: body
	if err != nil {
		return err
	}
	if res.IsError() {
		return fmt.Errorf("info: %s", res.Status())
	}
	return nil
}

// SearchStringOpen prints the response (String reads the body) and
// forgets the close.
func SearchStringOpen(ctx context.Context, base string) error {
	es, err := client(base)
	if err != nil {
		return err
	}
	res, err := es.Search(es.Search.WithContext(ctx), es.Search.WithIndex("pets"))
	if err != nil {
		return err
	}
	_ = res.String()
	return nil
}

// SearchClosed reads and closes the body.
func SearchClosed(ctx context.Context, base string) error {
	es, err := client(base)
	if err != nil {
		return err
	}
	res, err := es.Search(es.Search.WithContext(ctx), es.Search.WithIndex("pets"))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// PerformOpen sends a raw request through Perform and checks the status.
func PerformOpen(ctx context.Context, base string) error {
	es, err := client(base)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/_cluster/health", nil)
	if err != nil {
		return err
	}
	resp, err := es.Perform(req) // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	return nil
}
