// Package vault probes github.com/hashicorp/vault/api: a client built
// from api.DefaultConfig() (which holds a pooled client of its own) or
// from a config literal, as its README and docs show.
package vault

import (
	"context"
	"io"
	"net/http"

	vaultapi "github.com/hashicorp/vault/api"
)

// ReadDefaultConfig builds a client from DefaultConfig per call.
func ReadDefaultConfig(ctx context.Context, base string) error {
	cfg := vaultapi.DefaultConfig() // leak: transport
	cfg.Address = base
	c, err := vaultapi.NewClient(cfg)
	if err != nil {
		return err
	}
	c.SetToken("probe")
	_, err = c.Logical().ReadWithContext(ctx, "secret/data/app")
	return err
}

// ReadNilConfig builds a client with NewClient(nil): the default config.
func ReadNilConfig(ctx context.Context, base string) error {
	c, err := vaultapi.NewClient(nil) // leak: transport
	if err != nil {
		return err
	}
	if err := c.SetAddress(base); err != nil {
		return err
	}
	_, err = c.Logical().ReadWithContext(ctx, "secret/data/app")
	return err
}

var sharedHC = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

// ReadSharedHTTP gives a config literal a shared client.
func ReadSharedHTTP(ctx context.Context, base string) error {
	c, err := vaultapi.NewClient(&vaultapi.Config{Address: base, HttpClient: sharedHC})
	if err != nil {
		return err
	}
	_, err = c.Logical().ReadWithContext(ctx, "secret/data/app")
	return err
}

// ReadDefaultConfigCloseIdle closes the default config's idle connections.
func ReadDefaultConfigCloseIdle(ctx context.Context, base string) error {
	cfg := vaultapi.DefaultConfig()
	cfg.Address = base
	defer cfg.HttpClient.CloseIdleConnections()
	c, err := vaultapi.NewClient(cfg)
	if err != nil {
		return err
	}
	_, err = c.Logical().ReadWithContext(ctx, "secret/data/app")
	return err
}

var shared = newShared()

func newShared() *vaultapi.Client {
	c, err := vaultapi.NewClient(vaultapi.DefaultConfig())
	if err != nil {
		panic(err)
	}
	return c
}

// ReadRawOpen reads a raw response and checks its status only.
func ReadRawOpen(ctx context.Context, base string) error {
	c, err := shared.Clone()
	if err != nil {
		return err
	}
	if err := c.SetAddress(base); err != nil {
		return err
	}
	resp, err := c.Logical().ReadRawWithContext(ctx, "secret/data/app") // leak: body
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// ReadRawClosed closes the raw response.
func ReadRawClosed(ctx context.Context, base string) error {
	c, err := shared.Clone()
	if err != nil {
		return err
	}
	if err := c.SetAddress(base); err != nil {
		return err
	}
	resp, err := c.Logical().ReadRawWithContext(ctx, "secret/data/app")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
