// Command cmd holds the fixtures of set-up code: main and init run once,
// but their loops do not.
package main

import (
	"crypto/tls"
	"flag"
	"net/http"
	"time"
)

var insecure = flag.Bool("insecure", false, "skip TLS verification")

// Called once from main: set-up, not reported.
func newAppClient() *http.Client { // a main package exports no facts
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: *insecure}}}
}

func warmUp(url string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Get(url)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// Exported, but in package main: its callers are all here.
func Check(url string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Get(url)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// Called from the loop in main.
func poll(url string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of poll, which runs in a loop`
	resp, err := c.Get(url)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// Called by a ticker loop in a goroutine started by main.
func report(url string, cfg *tls.Config) {
	tr := &http.Transport{TLSClientConfig: cfg} // want `new http.Transport tr is built on every call of report, which runs in a loop`
	resp, err := (&http.Client{Transport: tr}).Post(url, "text/plain", nil)
	if err != nil {
		return
	}
	resp.Body.Close()
}

func init() {
	warmUp("http://example.invalid/", nil)
}

func main() {
	flag.Parse()
	client := newAppClient()
	resp, err := client.Get("http://example.invalid/")
	if err == nil {
		resp.Body.Close()
	}
	Check("http://example.invalid/", nil)

	go func() {
		for range time.Tick(time.Minute) {
			report("http://example.invalid/report", nil)
		}
	}()

	for i := 0; i < 3; i++ {
		poll("http://example.invalid/poll", nil)
		c := newAppClient() // want `connection pool c from newAppClient\(\) is built in a loop`
		resp, err := c.Get("http://example.invalid/")
		if err != nil {
			continue
		}
		resp.Body.Close()
	}

	// One client, built lazily in the loop and reused by it.
	var shared *http.Client
	for i := 0; i < 3; i++ {
		if shared == nil {
			shared = &http.Client{Transport: &http.Transport{TLSClientConfig: nil}}
		}
		resp, err := shared.Get("http://example.invalid/")
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}
