// Package plugin registers httpleakcheck as a golangci-lint v2 module
// plugin. Import it (blank) into a custom golangci-lint build, as
// `golangci-lint custom` does for the plugins in .custom-gcl.yml, and
// enable it in .golangci.yml:
//
//	linters:
//	  enable: [httpleakcheck]
//	  settings:
//	    custom:
//	      httpleakcheck:
//	        type: module
//	        settings:
//	          checks: [body, transport, keepalive]
//	          strict: false
package plugin

import (
	"errors"
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"github.com/httpleakcheck/httpleakcheck/analyzer"
	"golang.org/x/tools/go/analysis"
)

func init() { register.Plugin("httpleakcheck", New) }

// Settings are the plugin's settings, read from
// linters.settings.custom.httpleakcheck.settings. They mirror the
// analyzer's flags; an unknown key is an error.
type Settings struct {
	// Checks lists the checks to run (the -checks flag); omitted means
	// all of them.
	Checks []string `json:"checks"`
	// Strict also reports //httpleakcheck:ignore directives that
	// suppress nothing (the -strict flag).
	Strict bool `json:"strict"`
}

type plugin struct{ cfg analyzer.Config }

// New decodes golangci-lint's settings for httpleakcheck into a plugin.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("httpleakcheck settings: %w", err)
	}
	if s.Checks != nil && len(s.Checks) == 0 {
		return nil, errors.New("httpleakcheck settings: checks is empty; omit it to run every check, or disable the linter")
	}
	cfg := analyzer.Config{Checks: s.Checks, Strict: s.Strict}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("httpleakcheck settings: checks: %w", err)
	}
	return &plugin{cfg: cfg}, nil
}

// BuildAnalyzers returns an analyzer configured by the settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{analyzer.NewAnalyzer(p.cfg)}, nil
}

// GetLoadMode asks for type information, which the checks and their
// cross-package facts need.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
