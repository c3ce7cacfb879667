package plugin_test

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	_ "github.com/httpleakcheck/httpleakcheck/plugin"
	"golang.org/x/tools/go/analysis"
)

// newPlugin builds the plugin the way golangci-lint does: by name,
// from settings decoded from YAML into generic values.
func newPlugin(t *testing.T, settings any) (register.LinterPlugin, error) {
	t.Helper()
	newFn, err := register.GetPlugin("httpleakcheck")
	if err != nil {
		t.Fatal(err)
	}
	return newFn(settings)
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name     string
		settings any
		checks   string // the analyzer's -checks flag
		strict   string // the analyzer's -strict flag
	}{
		{"none", nil, "body,transport,keepalive", "false"},
		{"empty", map[string]any{}, "body,transport,keepalive", "false"},
		{"checks", map[string]any{"checks": []any{"body", "keepalive"}}, "body,keepalive", "false"},
		{"strict", map[string]any{"strict": true}, "body,transport,keepalive", "true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := newPlugin(t, tt.settings)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
				t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
			}
			as, err := p.BuildAnalyzers()
			if err != nil {
				t.Fatal(err)
			}
			if err := analysis.Validate(as); err != nil {
				t.Fatal(err)
			}
			if len(as) != 1 || as[0].Name != "httpleakcheck" {
				t.Fatalf("BuildAnalyzers() = %v, want the httpleakcheck analyzer", as)
			}
			if got := as[0].Flags.Lookup("checks").Value.String(); got != tt.checks {
				t.Errorf("-checks = %q, want %q", got, tt.checks)
			}
			if got := as[0].Flags.Lookup("strict").Value.String(); got != tt.strict {
				t.Errorf("-strict = %q, want %q", got, tt.strict)
			}
		})
	}
}

func TestBadSettings(t *testing.T) {
	tests := []struct {
		name     string
		settings any
		want     string // in the error
	}{
		{"unknown key", map[string]any{"chekcs": []any{"body"}}, `unknown field "chekcs"`},
		{"unknown check", map[string]any{"checks": []any{"body", "tls"}}, `unknown check "tls"`},
		{"empty checks", map[string]any{"checks": []any{}}, "checks is empty"},
		{"wrong type", map[string]any{"strict": "yes"}, "cannot unmarshal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newPlugin(t, tt.settings)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New(%v) error = %v, want one containing %q", tt.settings, err, tt.want)
			}
		})
	}
}
