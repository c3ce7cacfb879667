// Package slack probes github.com/slack-go/slack: slack.New(token,
// options...) with OptionHTTPClient, as its README shows.
package slack

import (
	"context"
	"net"
	"net/http"
	"time"

	slackapi "github.com/slack-go/slack"
)

// AuthTestOwnClient builds a client with its own transport per call.
func AuthTestOwnClient(ctx context.Context, base string) error {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}} // leak: transport
	api := slackapi.New("xoxb-probe", slackapi.OptionAPIURL(base+"/api/"), slackapi.OptionHTTPClient(hc))
	_, err := api.AuthTestContext(ctx)
	return err
}

// AuthTestDialerKeepAlive thinks the dialer turns keep-alive off.
func AuthTestDialerKeepAlive(ctx context.Context, base string) error {
	tr := &http.Transport{ // leak: transport
		DialContext: (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: -1}).DialContext, // leak: keepalive
	}
	api := slackapi.New("xoxb-probe", slackapi.OptionAPIURL(base+"/api/"), slackapi.OptionHTTPClient(&http.Client{Transport: tr}))
	_, err := api.AuthTestContext(ctx)
	return err
}

// AuthTestDefault lets slack build its client (http.DefaultTransport).
func AuthTestDefault(ctx context.Context, base string) error {
	api := slackapi.New("xoxb-probe", slackapi.OptionAPIURL(base+"/api/"))
	_, err := api.AuthTestContext(ctx)
	return err
}

var shared = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}

// AuthTestShared passes a shared client.
func AuthTestShared(ctx context.Context, base string) error {
	api := slackapi.New("xoxb-probe", slackapi.OptionAPIURL(base+"/api/"), slackapi.OptionHTTPClient(shared))
	_, err := api.AuthTestContext(ctx)
	return err
}

// AuthTestCloseIdle closes the per-call client's idle connections.
func AuthTestCloseIdle(ctx context.Context, base string) error {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer hc.CloseIdleConnections()
	api := slackapi.New("xoxb-probe", slackapi.OptionAPIURL(base+"/api/"), slackapi.OptionHTTPClient(hc))
	_, err := api.AuthTestContext(ctx)
	return err
}
