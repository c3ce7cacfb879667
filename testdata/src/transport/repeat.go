package transport

import (
	"context"
	"crypto/tls"
	"net/http"
	"time"
)

// What runs repeatedly: loops, handlers, exported functions, and
// unexported functions called from any of those.

// An HTTP handler, registered by value: it runs once per request.
func handle(w http.ResponseWriter, r *http.Request) {
	c := http.Client{Transport: &http.Transport{ResponseHeaderTimeout: timeout(r)}} // want `new http.Transport of client c is built on every request served by handle`
	resp, err := c.Get("http://backend/" + r.URL.Path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

type proxy struct{ cfg *tls.Config }

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tr := &http.Transport{TLSClientConfig: p.cfg} // want `new http.Transport tr is built on every request served by proxy.ServeHTTP`
	resp, err := tr.RoundTrip(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// A loop in an unexported function nobody calls: the loop is enough.
func pollAll(urls []string, cfg *tls.Config) {
	for _, u := range urls {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built in a loop`
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

// A ticker loop in a goroutine.
func startPolling(url string, cfg *tls.Config) {
	go func() {
		for range time.Tick(time.Minute) {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built in a loop`
			resp, err := c.Get(url)
			if err != nil {
				continue
			}
			resp.Body.Close()
		}
	}()
}

// Lazily built in a loop but kept in a variable declared before it: one
// pool per call of the function, which is called once.
func lazyLoop(urls []string, cfg *tls.Config) {
	var c *http.Client
	for _, u := range urls {
		if c == nil {
			c = &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		}
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

// A helper called from an exported function, and through it a second
// level.
func fetchOnce(url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of fetchOnce, which runs on every call of Sync`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func Sync(url string, cfg *tls.Config) error { return fetchOnce(url, cfg) }

func fetchDeep(url string, cfg *tls.Config) error {
	tr := &http.Transport{TLSClientConfig: cfg} // want `new http.Transport tr is built on every call of fetchDeep, which runs on every call of middle`
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func middle(url string, cfg *tls.Config) error { return fetchDeep(url, cfg) }

func Deep(url string, cfg *tls.Config) error { return middle(url, cfg) }

// A helper called in a loop.
func fetchItem(url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of fetchItem, which runs in a loop`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func fetchItems(urls []string, cfg *tls.Config) {
	for _, u := range urls {
		_ = fetchItem(u, cfg)
	}
}

// Recursion: it runs again and again.
func retry(url string, cfg *tls.Config, n int) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of retry, which runs in a recursive function`
	resp, err := c.Get(url)
	if err != nil {
		if n > 0 {
			return retry(url, cfg, n-1)
		}
		return err
	}
	return resp.Body.Close()
}

// A function literal run in a loop, and one run by a repeated function.
func eachHost(hosts []string, cfg *tls.Config) {
	for _, h := range hosts {
		func() {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built in a loop`
			resp, err := c.Get("https://" + h)
			if err != nil {
				return
			}
			defer resp.Body.Close()
		}()
	}
}

func Each(url string, cfg *tls.Config) error {
	get := func() error {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of Each`
		resp, err := c.Get(url)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	return get()
}

// Unexported functions called by no one (or only through a value we
// do not follow), or a single time from a one-off place: not reported.
func neverCalled(url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var hook = neverCalled

// setUp runs once, from init.
func setUp(cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := c.Get("http://example.invalid/warmup")
	if err != nil {
		return
	}
	resp.Body.Close()
}

func init() {
	setUp(nil)
	lazyLoop(nil, nil)
}

func timeout(r *http.Request) time.Duration {
	if r.URL.Query().Has("slow") {
		return time.Minute
	}
	return time.Second
}

// Function literals kept in a value: they run when something else
// decides (a CLI command's Run, a callback), not on every call of the
// function that builds them.
type Command struct {
	Use string
	Run func(args []string) error
}

func NewFetchCommand(cfg *tls.Config) *Command {
	return &Command{
		Use: "fetch",
		Run: func(args []string) error {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
			resp, err := c.Get(args[0])
			if err != nil {
				return err
			}
			return resp.Body.Close()
		},
	}
}

func (c *Command) SetDefault(cfg *tls.Config) {
	c.Run = func(args []string) error {
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		resp, err := hc.Get(args[0])
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
}

// A pool built before a worker loop lives as long as the loop, which
// runs until the process or its context ends: as long-lived as a shared
// one. Not reported.
func Worker(ctx context.Context, url string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			resp, err := c.Get(url)
			if err != nil {
				continue
			}
			resp.Body.Close()
		}
	}
}

func Consume(jobs <-chan string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	for u := range jobs {
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

// A finite loop, or an endless one that only retries, ends with the
// call: reported like any other use.
func FetchAll(urls []string, cfg *tls.Config) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of FetchAll`
	for _, u := range urls {
		resp, err := c.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

func RetryForever(ctx context.Context, url string, cfg *tls.Config) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}} // want `new http.Transport of client c is built on every call of RetryForever`
	for {
		resp, err := c.Get(url)
		if err == nil {
			return resp.Body.Close()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// A local struct holding the pool, used through its method (which sends
// through its receiver's pool) and dropped.
type wrapper struct{ hc *http.Client }

func (w *wrapper) get(url string) error { // want get:`^recv:pool:uses$`
	resp, err := w.hc.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func LocalHolder(url string, cfg *tls.Config) error {
	w := &wrapper{hc: &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}} // want `new http.Transport held by w is built on every call of LocalHolder`
	return w.get(url)
}
