// Package gorequest probes github.com/parnurzeal/gorequest:
// gorequest.New().Get(u).End(), per call as its README shows. New builds
// a Transport per agent, with DisableKeepAlives set since its issue 75;
// End reads and closes the body.
package gorequest

import (
	"context"
	"fmt"

	"github.com/parnurzeal/gorequest"
)

// NewPerCall builds an agent per call, as the README does.
func NewPerCall(ctx context.Context, base string) error {
	resp, _, errs := gorequest.New().Get(base + "/pets/1").End()
	if len(errs) > 0 {
		return errs[0]
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// KeepAliveOn turns keep-alive back on for an agent built per call.
func KeepAliveOn(ctx context.Context, base string) error {
	agent := gorequest.New() // leak: transport
	agent.Transport.DisableKeepAlives = false
	_, body, errs := agent.Get(base + "/pets/1").End()
	if len(errs) > 0 {
		return errs[0]
	}
	_ = body
	return nil
}

// KeepAliveOnClosed turns keep-alive on and closes the idle connections.
func KeepAliveOnClosed(ctx context.Context, base string) error {
	agent := gorequest.New()
	agent.Transport.DisableKeepAlives = false
	defer agent.Transport.CloseIdleConnections()
	_, _, errs := agent.Get(base + "/pets/1").End()
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// EndStruct decodes the body into a struct.
func EndStruct(ctx context.Context, base string) error {
	var out struct {
		OK bool `json:"ok"`
	}
	_, _, errs := gorequest.New().Get(base + "/pets/1").EndStruct(&out)
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// EndBytesStatus reads the status of EndBytes.
func EndBytesStatus(ctx context.Context, base string) error {
	resp, _, errs := gorequest.New().Get(base + "/big").EndBytes()
	if len(errs) > 0 {
		return errs[0]
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
