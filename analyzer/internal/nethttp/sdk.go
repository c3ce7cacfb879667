package nethttp

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
)

// This file holds what the transport check knows of cloud SDKs whose
// service clients build a connection pool of their own, per client, in
// code too deep or too dynamic for summaries to follow: the resolvers an
// AWS config runs from a slice of funcs, the options a Google API
// service reads from its variadic ClientOptions, the transport cache of
// client-go keyed on the config. Each rule says, from the call's
// arguments, whether the client built there has a fresh pool; when the
// arguments do not tell, it says no.

// The SDKs' import paths.
const (
	awsSDK     = "github.com/aws/aws-sdk-go-v2"
	awsService = awsSDK + "/service/"
	awsConfig  = awsSDK + "/config"
	googleAPI  = "google.golang.org/api/"
	googleOpt  = googleAPI + "option"
	googleHTTP = googleAPI + "transport/http"
	clientGo   = "k8s.io/client-go/"
)

// IsSDKClientPkg reports whether pkg holds an SDK's service clients,
// whose every method sends requests through the client's pool.
func IsSDKClientPkg(pkg *types.Package) bool {
	if pkg == nil {
		return false
	}
	path := pkg.Path()
	return strings.HasPrefix(path, awsService) ||
		strings.HasPrefix(path, googleAPI) && path != googleOpt && path != googleHTTP ||
		strings.HasPrefix(path, clientGo+"kubernetes") || path == clientGo+"rest" || path == clientGo+"dynamic" || path == clientGo+"discovery"
}

// IsSDKClientType reports whether t is (a pointer to) the service client
// type of an SDK package: what SDKPool's constructors return.
func IsSDKClientType(t types.Type) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || !IsSDKClientPkg(named.Obj().Pkg()) {
		return false
	}
	switch named.Obj().Name() {
	case "Client", "Service", "Clientset", "RESTClient", "DynamicClient", "DiscoveryClient":
		return true
	}
	return false
}

// IsSDKPkg reports whether pkg is part of one of the SDKs above: their
// own code is summarized like any other, without these rules.
func IsSDKPkg(pkg *types.Package) bool {
	path := pkg.Path()
	return strings.HasPrefix(path, awsSDK+"/") || strings.HasPrefix(path, googleAPI) || strings.HasPrefix(path, clientGo)
}

// SDKPool says whether the call at cur, of fn, builds an SDK service
// client with a pool of its own:
//
//	s3.NewFromConfig(cfg)           AWS: each client copies the config's BuildableClient, with a new Transport,
//	                                unless the config's HTTPClient is a client of the caller's
//	drive.NewService(ctx, opts...)  Google APIs: a new transport per service, unless option.WithHTTPClient
//	kubernetes.NewForConfig(cfg)    client-go: its transport cache gives every config without a Dial or
//	                                Proxy the same Transport; one with them gets a new one per call
func SDKPool(c *flow.Engine, call *ast.CallExpr, fn *types.Func) (fresh, matched bool) {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false, false
	}
	path := fn.Pkg().Path()
	switch {
	case strings.HasPrefix(path, awsService) && (fn.Name() == "NewFromConfig" || fn.Name() == "New") && len(call.Args) >= 1:
		return awsClient(c, call), true
	case strings.HasPrefix(path, googleAPI) && fn.Name() == "NewService",
		path == googleHTTP && fn.Name() == "NewClient":
		return googleClient(call), true
	case flow.IsFunc(fn, clientGo+"kubernetes", "NewForConfig", "NewForConfigOrDie"),
		flow.IsFunc(fn, clientGo+"dynamic", "NewForConfig", "NewForConfigOrDie"),
		flow.IsFunc(fn, clientGo+"discovery", "NewDiscoveryClientForConfig", "NewDiscoveryClientForConfigOrDie"),
		flow.IsFunc(fn, clientGo+"rest", "HTTPClientFor", "RESTClientFor", "UnversionedRESTClientFor", "TransportFor"):
		return len(call.Args) == 1 && clientGoClient(c, call.Args[0]), true
	}
	return false, false
}

// awsClient is SDKPool for an AWS service client: s3.NewFromConfig(cfg,
// optFns...) or s3.New(options, optFns...). The client is fresh when the
// config's HTTPClient is left to the SDK (a config loaded here without
// config.WithHTTPClient, or a literal without HTTPClient) and no option
// func sets it; it uses the caller's when one of those sets it.
func awsClient(c *flow.Engine, call *ast.CallExpr) bool {
	if call.Ellipsis.IsValid() {
		return false // forwarded option funcs: they may set HTTPClient
	}
	for _, opt := range call.Args[1:] {
		if setsHTTPClient(opt) {
			return false
		}
		if _, ok := ast.Unparen(opt).(*ast.FuncLit); !ok {
			return false // an option func we do not see into
		}
	}
	return awsConfigArg(c, call.Args[0])
}

// awsConfigArg is awsClient for the config (or options) cfg.
func awsConfigArg(c *flow.Engine, cfg ast.Expr) bool {
	info := c.Info
	switch cfg := ast.Unparen(cfg).(type) {
	case *ast.CompositeLit:
		if setsHTTPClient(cfg) {
			return false
		}
		return true
	case *ast.Ident:
		v := flow.VarOf(info, cfg)
		if v == nil {
			return false
		}
		if writesField(c, v, "HTTPClient") {
			return false
		}
		if rhs, _, ok := c.Origin(v); ok {
			if lit, ok := ast.Unparen(rhs).(*ast.CompositeLit); ok {
				return awsConfigArg(c, lit)
			}
		}
		def := c.DefiningCall(v)
		if def == nil || !flow.IsFunc(flow.CalleeFunc(info, def), awsConfig, "LoadDefaultConfig") || def.Ellipsis.IsValid() {
			return false // a parameter, a field, a config built elsewhere
		}
		for _, opt := range def.Args[1:] {
			if setsHTTPClient(opt) {
				return false
			}
		}
		return true
	}
	return false
}

// googleClient is SDKPool for a Google API service or client built from
// ClientOptions: fresh unless one of them is option.WithHTTPClient (or
// they are forwarded, and may hold one).
func googleClient(call *ast.CallExpr) bool {
	if call.Ellipsis.IsValid() {
		return false
	}
	for _, arg := range call.Args {
		if setsHTTPClient(arg) {
			return false
		}
	}
	return true
}

// clientGoClient is SDKPool for a client-go client built from the
// rest.Config cfg: fresh when the config sets Dial or Proxy (client-go's
// transport cache cannot key funcs: a Proxy makes the config uncacheable,
// a Dial is keyed per call) and not Transport.
func clientGoClient(c *flow.Engine, cfg ast.Expr) bool {
	info := c.Info
	cfg = ast.Unparen(cfg)
	if u, ok := cfg.(*ast.UnaryExpr); ok {
		cfg = ast.Unparen(u.X)
	}
	var sets func(name string) bool
	switch cfg := cfg.(type) {
	case *ast.CompositeLit:
		sets = func(name string) bool { return litSets(cfg, name) }
	case *ast.Ident:
		v := flow.VarOf(info, cfg)
		if v == nil {
			return false
		}
		lit := (*ast.CompositeLit)(nil)
		if rhs, _, ok := c.Origin(v); ok {
			if u, ok := ast.Unparen(rhs).(*ast.UnaryExpr); ok {
				rhs = u.X
			}
			lit, _ = ast.Unparen(rhs).(*ast.CompositeLit)
		}
		sets = func(name string) bool { return lit != nil && litSets(lit, name) || writesField(c, v, name) }
	default:
		return false
	}
	return !sets("Transport") && (sets("Dial") || sets("Proxy")) // else cached by client-go, or set where we cannot see
}

// litSets reports whether the struct literal lit sets the field name.
func litSets(lit *ast.CompositeLit, name string) bool {
	return slices.ContainsFunc(lit.Elts, func(e ast.Expr) bool {
		kv, ok := e.(*ast.KeyValueExpr)
		return ok && flow.IdentOf(kv.Key) != nil && flow.IdentOf(kv.Key).Name == name
	})
}

// writesField reports whether the package assigns to the field name of
// the variable v (v.name = ...).
func writesField(c *flow.Engine, v *types.Var, name string) bool {
	info := c.Info
	return slices.ContainsFunc(c.Writes().Fields, func(w flow.Write) bool {
		return w.Field.Name() == name && flow.VarOf(info, w.Base) == v
	})
}

// setsHTTPClient reports whether e may give a client its HTTP client:
// it names HTTPClient or WithHTTPClient.
func setsHTTPClient(e ast.Node) bool {
	return flow.MentionsName(e, "HTTPClient") || flow.MentionsName(e, "WithHTTPClient")
}
