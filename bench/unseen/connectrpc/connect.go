// Package connectrpc probes connectrpc.com/connect's generic client
// (connect.NewClient, no generated code), against a unary and a
// server-streaming procedure of the test server.
package connectrpc

import (
	"context"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

func say(ctx context.Context, hc connect.HTTPClient, base string) error {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](hc, base+"/probe.v1.Echo/Say")
	_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String("hi")))
	return err
}

// SayOwnTransport builds an http.Client with its own transport per call,
// as the docs' "configure timeouts" examples do.
func SayOwnTransport(ctx context.Context, base string) error {
	hc := &http.Client{Transport: &http.Transport{IdleConnTimeout: time.Minute}} // leak: transport
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](hc, base+"/probe.v1.Echo/Say")
	_, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String("hi")))
	return err
}

// SayHelperTransport hands a per-call transport to a helper.
func SayHelperTransport(ctx context.Context, base string) error {
	tr := http.DefaultTransport.(*http.Transport).Clone() // leak: transport
	return say(ctx, &http.Client{Transport: tr}, base)
}

// SayDefault uses http.DefaultClient, as the README does.
func SayDefault(ctx context.Context, base string) error {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+"/probe.v1.Echo/Say")
	res, err := c.CallUnary(ctx, connect.NewRequest(wrapperspb.String("hi")))
	if err != nil {
		return err
	}
	_ = res.Msg.GetValue()
	return nil
}

var shared = &http.Client{Transport: &http.Transport{IdleConnTimeout: time.Minute}}

// SayShared uses a shared client through the helper.
func SayShared(ctx context.Context, base string) error {
	return say(ctx, shared, base)
}

// SayCloseIdle builds a transport per call and closes its idle connections.
func SayCloseIdle(ctx context.Context, base string) error {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	return say(ctx, &http.Client{Transport: tr}, base)
}

// WatchFirst reads the first message of a server stream and returns
// without closing the stream (its response body).
func WatchFirst(ctx context.Context, base string) error {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+"/probe.v1.Echo/Watch")
	stream, err := c.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("w"))) // leak: body
	if err != nil {
		return err
	}
	if stream.Receive() {
		_ = stream.Msg().GetValue()
	}
	return stream.Err()
}

// WatchFirstClosed closes the stream.
func WatchFirstClosed(ctx context.Context, base string) error {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+"/probe.v1.Echo/Watch")
	stream, err := c.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("w")))
	if err != nil {
		return err
	}
	defer stream.Close()
	if stream.Receive() {
		_ = stream.Msg().GetValue()
	}
	return stream.Err()
}

// WatchAll reads the stream to its end and forgets the close.
func WatchAll(ctx context.Context, base string) error {
	c := connect.NewClient[wrapperspb.StringValue, wrapperspb.StringValue](http.DefaultClient, base+"/probe.v1.Echo/Watch")
	stream, err := c.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("w")))
	if err != nil {
		return err
	}
	for stream.Receive() {
		_ = stream.Msg().GetValue()
	}
	return stream.Err()
}
