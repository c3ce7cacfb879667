package unseen

// TestGroundTruth runs every probe against a local server, with
// keep-alives on, 2 times and 8 times, each time on a new server that
// counts the connections left open once the calls have returned. A
// probe leaks when 8 calls leave at least 4 more connections open than
// 2 calls do. It prints one line per probe,
//
//	GROUNDTRUTH <pkg>.<Func> leaks=<true|false> open(2)=a open(8)=b
//
// and fails when a probe's "// leak:" marks disagree with the runtime
// (a marked probe must leak, an unmarked one must not), when a probe
// function is missing from the registry, or when a probe did not reach
// the server on each call.

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/bench/unseen/backoff"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/cloudflare"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/connectrpc"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/elastic"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/failsafe"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/genqlient"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/godo"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/gokit"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/gorequest"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/goretry"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/http2conf"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/idioms"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/influx"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/oapi"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/requests"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/retrygo"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/reverseproxy"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/slack"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/sling"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/stripe"
	"github.com/httpleakcheck/httpleakcheck/bench/unseen/vault"
)

// A probe is one logical call, named <pkg>.<Func> (or
// <pkg>.<Type>.<Method> for a handler whose method is the probe).
type probe struct {
	name string
	fn   func(ctx context.Context, base string) error
}

// serve runs h for one request to the server at base, as a reverse
// proxy in front of it would be called.
func serve(h func(target *url.URL) http.Handler) func(context.Context, string) error {
	return func(ctx context.Context, base string) error {
		target, err := url.Parse(base)
		if err != nil {
			return err
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/pets/1", nil)
		h(target).ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return fmt.Errorf("proxy: status %d", rec.Code)
		}
		return nil
	}
}

var probes = []probe{
	{"backoff.RetryStatusOpen", backoff.RetryStatusOpen},
	{"backoff.RetryStatusClosed", backoff.RetryStatusClosed},
	{"backoff.ResultNotClosed", backoff.ResultNotClosed},
	{"backoff.ResultClosed", backoff.ResultClosed},
	{"backoff.ReadInside", backoff.ReadInside},
	{"backoff.PermanentOpen", backoff.PermanentOpen},
	{"cloudflare.VerifyOwnClient", cloudflare.VerifyOwnClient},
	{"cloudflare.VerifyClonedTransport", cloudflare.VerifyClonedTransport},
	{"cloudflare.VerifyDefault", cloudflare.VerifyDefault},
	{"cloudflare.VerifyShared", cloudflare.VerifyShared},
	{"connectrpc.SayOwnTransport", connectrpc.SayOwnTransport},
	{"connectrpc.SayHelperTransport", connectrpc.SayHelperTransport},
	{"connectrpc.SayDefault", connectrpc.SayDefault},
	{"connectrpc.SayShared", connectrpc.SayShared},
	{"connectrpc.SayCloseIdle", connectrpc.SayCloseIdle},
	{"connectrpc.WatchFirst", connectrpc.WatchFirst},
	{"connectrpc.WatchFirstClosed", connectrpc.WatchFirstClosed},
	{"connectrpc.WatchAll", connectrpc.WatchAll},
	{"elastic.InfoNewClient", elastic.InfoNewClient},
	{"elastic.InfoNewClientClose", elastic.InfoNewClientClose},
	{"elastic.InfoOwnTransportCloseIdle", elastic.InfoOwnTransportCloseIdle},
	{"elastic.InfoDefaultTransport", elastic.InfoDefaultTransport},
	{"elastic.InfoStatusOpen", elastic.InfoStatusOpen},
	{"elastic.SearchStringOpen", elastic.SearchStringOpen},
	{"elastic.SearchClosed", elastic.SearchClosed},
	{"elastic.PerformOpen", elastic.PerformOpen},
	{"failsafe.RoundTripperOwnTransport", failsafe.RoundTripperOwnTransport},
	{"failsafe.RoundTripperDefault", failsafe.RoundTripperDefault},
	{"failsafe.RequestStatusOpen", failsafe.RequestStatusOpen},
	{"failsafe.RequestClosed", failsafe.RequestClosed},
	{"failsafe.RequestRetried503", failsafe.RequestRetried503},
	{"failsafe.RequestRetried503Closed", failsafe.RequestRetried503Closed},
	{"failsafe.RoundTripperShared", failsafe.RoundTripperShared},
	{"genqlient.QueryOwnTransport", genqlient.QueryOwnTransport},
	{"genqlient.QueryNoTCPKeepAlive", genqlient.QueryNoTCPKeepAlive},
	{"genqlient.QueryNoKeepAlive", genqlient.QueryNoKeepAlive},
	{"genqlient.QueryDefault", genqlient.QueryDefault},
	{"genqlient.QueryDefaultClient", genqlient.QueryDefaultClient},
	{"genqlient.QuerySharedHTTP", genqlient.QuerySharedHTTP},
	{"genqlient.QueryGet", genqlient.QueryGet},
	{"godo.AccountFromToken", godo.AccountFromToken},
	{"godo.AccountOwnTransport", godo.AccountOwnTransport},
	{"godo.AccountDefault", godo.AccountDefault},
	{"godo.AccountShared", godo.AccountShared},
	{"gokit.GetPetOwnClient", gokit.GetPetOwnClient},
	{"gokit.GetPetDefault", gokit.GetPetDefault},
	{"gokit.GetPetShared", gokit.GetPetShared},
	{"gokit.StreamPetPeek", gokit.StreamPetPeek},
	{"gokit.StreamPetClosed", gokit.StreamPetClosed},
	{"gorequest.NewPerCall", gorequest.NewPerCall},
	{"gorequest.KeepAliveOn", gorequest.KeepAliveOn},
	{"gorequest.KeepAliveOnClosed", gorequest.KeepAliveOnClosed},
	{"gorequest.EndStruct", gorequest.EndStruct},
	{"gorequest.EndBytesStatus", gorequest.EndBytesStatus},
	{"goretry.DoOpen", goretry.DoOpen},
	{"goretry.DoClosed", goretry.DoClosed},
	{"goretry.DoValueOpen", goretry.DoValueOpen},
	{"goretry.DoValueClosed", goretry.DoValueClosed},
	{"http2conf.ConfigurePerCall", http2conf.ConfigurePerCall},
	{"http2conf.ConfigureTuned", http2conf.ConfigureTuned},
	{"http2conf.ConfigureCloseIdle", http2conf.ConfigureCloseIdle},
	{"http2conf.ConfigureShared", http2conf.ConfigureShared},
	{"idioms.HeadViaHelper", idioms.HeadViaHelper},
	{"idioms.GetViaHelper", idioms.GetViaHelper},
	{"idioms.Exists", idioms.Exists},
	{"idioms.NoContent", idioms.NoContent},
	{"idioms.NotModified", idioms.NotModified},
	{"idioms.ReadAllDropped", idioms.ReadAllDropped},
	{"idioms.DecodeDropped", idioms.DecodeDropped},
	{"idioms.DecodeDroppedChunked", idioms.DecodeDroppedChunked},
	{"idioms.LimitedDropped", idioms.LimitedDropped},
	{"idioms.LimitedClosed", idioms.LimitedClosed},
	{"idioms.ErrorStatusOpen", idioms.ErrorStatusOpen},
	{"influx.HealthNoClose", influx.HealthNoClose},
	{"influx.PingOptions", influx.PingOptions},
	{"influx.HealthClosed", influx.HealthClosed},
	{"influx.HealthSharedHTTP", influx.HealthSharedHTTP},
	{"influx.PingShared", influx.PingShared},
	{"oapi.GetPetStatus", oapi.GetPetStatus},
	{"oapi.GetPetDecode", oapi.GetPetDecode},
	{"oapi.GetPetClosed", oapi.GetPetClosed},
	{"oapi.GetPetWithResponse", oapi.GetPetWithResponse},
	{"oapi.ListPetsOwnTransport", oapi.ListPetsOwnTransport},
	{"oapi.ListPetsClonedTransport", oapi.ListPetsClonedTransport},
	{"oapi.ListPetsShared", oapi.ListPetsShared},
	{"oapi.ListPetsCloseIdle", oapi.ListPetsCloseIdle},
	{"oapi.ListPetsNoKeepAlive", oapi.ListPetsNoKeepAlive},
	{"requests.FetchOwnClient", requests.FetchOwnClient},
	{"requests.FetchOwnTransport", requests.FetchOwnTransport},
	{"requests.FetchDefault", requests.FetchDefault},
	{"requests.FetchShared", requests.FetchShared},
	{"requests.Head", requests.Head},
	{"requests.NoContent", requests.NoContent},
	{"requests.Handle", requests.Handle},
	{"requests.NoKeepAliveTransport", requests.NoKeepAliveTransport},
	{"retrygo.DoWithDataOpen", retrygo.DoWithDataOpen},
	{"retrygo.DoWithDataClosed", retrygo.DoWithDataClosed},
	{"retrygo.DoWithDataResultOpen", retrygo.DoWithDataResultOpen},
	{"retrygo.DoWithDataBytes", retrygo.DoWithDataBytes},
	{"retrygo.DoOpen", retrygo.DoOpen},
	{"retrygo.DoClosed", retrygo.DoClosed},
	{"slack.AuthTestOwnClient", slack.AuthTestOwnClient},
	{"slack.AuthTestDialerKeepAlive", slack.AuthTestDialerKeepAlive},
	{"slack.AuthTestDefault", slack.AuthTestDefault},
	{"slack.AuthTestShared", slack.AuthTestShared},
	{"slack.AuthTestCloseIdle", slack.AuthTestCloseIdle},
	{"sling.GetOwnClient", sling.GetOwnClient},
	{"sling.NewAPIPerCall", sling.NewAPIPerCall},
	{"sling.GetDefault", sling.GetDefault},
	{"sling.GetShared", sling.GetShared},
	{"sling.GetStatusOnly", sling.GetStatusOnly},
	{"sling.RequestThenDo", sling.RequestThenDo},
	{"stripe.BalanceOwnClient", stripe.BalanceOwnClient},
	{"stripe.BalanceHelperClient", stripe.BalanceHelperClient},
	{"stripe.BalanceDefault", stripe.BalanceDefault},
	{"stripe.BalanceShared", stripe.BalanceShared},
	{"stripe.BalanceNoKeepAlive", stripe.BalanceNoKeepAlive},
	{"vault.ReadDefaultConfig", vault.ReadDefaultConfig},
	{"vault.ReadNilConfig", vault.ReadNilConfig},
	{"vault.ReadSharedHTTP", vault.ReadSharedHTTP},
	{"vault.ReadDefaultConfigCloseIdle", vault.ReadDefaultConfigCloseIdle},
	{"vault.ReadRawOpen", vault.ReadRawOpen},
	{"vault.ReadRawClosed", vault.ReadRawClosed},
	{"reverseproxy.PerRequest.ServeHTTP", serve(func(t *url.URL) http.Handler { return &reverseproxy.PerRequest{Target: t} })},
	{"reverseproxy.SingleHost.ServeHTTP", serve(func(t *url.URL) http.Handler { return &reverseproxy.SingleHost{Target: t} })},
	{"reverseproxy.Default.ServeHTTP", serve(func(t *url.URL) http.Handler { return &reverseproxy.Default{Target: t} })},
	{"reverseproxy.SharedTransport.ServeHTTP", serve(func(t *url.URL) http.Handler { return &reverseproxy.SharedTransport{Target: t} })},
	{"reverseproxy.NoKeepAlive.ServeHTTP", serve(func(t *url.URL) http.Handler { return &reverseproxy.NoKeepAlive{Target: t} })},
}

// leakThreshold is how many more connections 8 calls must leave open
// than 2 calls for a probe to leak (a leak of one connection a call
// gives 6).
const leakThreshold = 4

func TestGroundTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every probe 10 times against a local server")
	}
	funcs, marks := parseProbes(t)
	byName := map[string]bool{}
	for _, p := range probes {
		if byName[p.name] {
			t.Errorf("probe %s registered twice", p.name)
		}
		byName[p.name] = true
		if !funcs[p.name] {
			t.Errorf("probe %s: no such function in the probe packages", p.name)
		}
	}
	for name := range funcs {
		if !byName[name] {
			t.Errorf("function %s takes (ctx, base) and returns error but is not in the registry", name)
		}
	}
	for name := range marks {
		if !byName[name] {
			t.Errorf("%s has a leak: mark but is not a registered probe", name)
		}
	}

	type verdict struct {
		probe
		m2, m8 measure
	}
	verdicts := make([]verdict, len(probes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			verdicts[i] = verdict{p, measureProbe(p.fn, 2), measureProbe(p.fn, 8)}
		}()
	}
	wg.Wait()

	out := os.Getenv("GROUNDTRUTH_OUT")
	var lines []string
	for _, v := range verdicts {
		leaks := v.m8.open-v.m2.open >= leakThreshold
		line := fmt.Sprintf("GROUNDTRUTH %s leaks=%t open(2)=%d open(8)=%d", v.name, leaks, v.m2.open, v.m8.open)
		if v.m8.errs > 0 {
			line += fmt.Sprintf(" errors(8)=%d first=%q", v.m8.errs, v.m8.firstErr.Error())
		}
		fmt.Println(line)
		lines = append(lines, line)
		if v.m2.requests < 2 || v.m8.requests < 8 {
			t.Errorf("%s: the server saw %d and %d requests for 2 and 8 calls: the probe did not reach it", v.name, v.m2.requests, v.m8.requests)
		}
		checks := marks[v.name]
		switch {
		case leaks && len(checks) == 0:
			t.Errorf("%s leaks at run time (open(2)=%d open(8)=%d) but has no leak: mark", v.name, v.m2.open, v.m8.open)
		case !leaks && len(checks) > 0:
			t.Errorf("%s is marked leak: %s but does not leak at run time (open(2)=%d open(8)=%d)", v.name, strings.Join(checks, ","), v.m2.open, v.m8.open)
		}
	}
	if out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var leakMark = regexp.MustCompile(`// leak: (\w+)`)

// parseProbes returns the probe functions of the packages under this
// directory (exported functions that take (context.Context, string) and
// return error, and ServeHTTP methods), and the checks that the
// "// leak:" marks inside each function ask for.
func parseProbes(t *testing.T) (funcs map[string]bool, marks map[string][]string) {
	t.Helper()
	funcs, marks = map[string]bool{}, map[string][]string{}
	files, err := filepath.Glob("*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			name := FuncName(f.Name.Name, fd)
			if isProbe(fd) {
				funcs[name] = true
			}
			from, to := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
			for l := from; l <= to; l++ {
				if m := leakMark.FindStringSubmatch(lines[l-1]); m != nil {
					marks[name] = append(marks[name], m[1])
				}
			}
		}
	}
	for _, cs := range marks {
		sort.Strings(cs)
	}
	return funcs, marks
}

// FuncName names fd as the probes do: pkg.Func or pkg.Type.Method.
func FuncName(pkg string, fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return pkg + "." + fd.Name.Name
	}
	typ := fd.Recv.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return pkg + "." + id.Name + "." + fd.Name.Name
	}
	return pkg + "." + fd.Name.Name
}

// isProbe tells whether fd has a probe's shape: an exported function
// func(context.Context, string) error, or a ServeHTTP method.
func isProbe(fd *ast.FuncDecl) bool {
	if fd.Recv != nil {
		return fd.Name.Name == "ServeHTTP"
	}
	if !fd.Name.IsExported() {
		return false
	}
	ps, rs := fd.Type.Params.List, fd.Type.Results
	if rs == nil || len(rs.List) != 1 || types(rs.List[0].Type) != "error" {
		return false
	}
	var params []string
	for _, p := range ps {
		n := max(len(p.Names), 1)
		for range n {
			params = append(params, types(p.Type))
		}
	}
	return len(params) == 2 && params[0] == "context.Context" && params[1] == "string"
}

func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return types(e.X) + "." + e.Sel.Name
	}
	return ""
}
