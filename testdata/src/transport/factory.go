package transport

import "net/http"

// Factories behind an interface of the package: when every type of the
// package that implements it builds a new pool in its method, a call of
// the method builds one.
type rtFactory interface{ Make() http.RoundTripper }

type cloningFactory struct{}

func (cloningFactory) Make() http.RoundTripper { // want Make:`^result0:pool$`
	return http.DefaultTransport.(*http.Transport).Clone()
}

type tunedFactory struct{ idle int }

func (f *tunedFactory) Make() http.RoundTripper { // want Make:`^result0:pool$`
	return &http.Transport{MaxIdleConnsPerHost: f.idle}
}

var defaultRT rtFactory = cloningFactory{}

func currentFactory() rtFactory { return defaultRT }

func FactoryPerCall(u string) error {
	tr := currentFactory().Make() // want `connection pool tr from Make\(\) is built on every call of FactoryPerCall`
	c := &http.Client{Transport: tr}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// One implementation hands out a shared pool: a call may build none.
type sourceOfRT interface{ RT() http.RoundTripper }

type sharedSource struct{ tr *http.Transport }

func (s sharedSource) RT() http.RoundTripper { return s.tr } // want RT:`^recv:pool:returns\(0\)$`

type cloningSource struct{}

func (cloningSource) RT() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() } // want RT:`^result0:pool$`

var source sourceOfRT = sharedSource{tr: sharedTransport}

func SourcePerCall(u string) error {
	c := &http.Client{Transport: source.RT()}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// An exported variable that the package gives one value where it
// declares it, and never another, is a default factory: its method
// runs. (Another package may give it another value: the analysis cannot
// see the importers, and takes the default.) One the package gives
// another value is not followed.
type Factory interface{ Make() http.RoundTripper }

var Default Factory = cloningFactory{}

func ExportedFactoryPerCall(u string) error {
	c := &http.Client{Transport: Default.Make()} // want `connection pool of client c from Make\(\) is built on every call of ExportedFactoryPerCall`
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var Swappable Factory = cloningFactory{}

func SwapFactory(f Factory) { Swappable = f }

func SwappableFactoryPerCall(u string) error {
	c := &http.Client{Transport: Swappable.Make()}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
