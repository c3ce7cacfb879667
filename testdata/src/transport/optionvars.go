package transport

import "net/http"

// A constructor that applies its options to a package variable, not to a
// local value of its own: what the options leave in it is not known, so
// the DisableKeepAlives taken from it gives no condition (and reading it
// must not crash the analysis).

type varConfig struct{ DisableKeepAlives bool }

type varOption func(*varConfig)

var sharedConfig varConfig

func newFromShared(opts ...varOption) *http.Client { // want newFromShared:`^result0:new,zero\(CheckRedirect,Jar,Timeout\)$`
	for _, o := range opts {
		o(&sharedConfig)
	}
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: sharedConfig.DisableKeepAlives}}
}
