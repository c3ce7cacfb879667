package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The parts of a SARIF log that the test checks.
type (
	sarifLog struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
						Help    struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []sarifResult `json:"results"`
		} `json:"runs"`
	}
	sarifResult struct {
		RuleID    string                `json:"ruleId"`
		RuleIndex int                   `json:"ruleIndex"`
		Message   struct{ Text string } `json:"message"`
		Locations []sarifLocation       `json:"locations"`
		Related   []sarifLocation       `json:"relatedLocations"`
		Fixes     []struct {
			ArtifactChanges []struct {
				Replacements []json.RawMessage `json:"replacements"`
			} `json:"artifactChanges"`
		} `json:"fixes"`
	}
	sarifLocation struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	}
)

// pos returns the position of l as file:line.
func (l sarifLocation) pos() string {
	return l.PhysicalLocation.ArtifactLocation.URI + ":" + strconv.Itoa(l.PhysicalLocation.Region.StartLine)
}

// TestSARIF runs httpleakcheck -sarif on testdata/leaky, standalone and
// with -vet, validates the log with Microsoft's SARIF Multitool (no
// error, no warning) and checks its content: one rule per check, linked
// to its page, the findings with their related locations and fixes.
func TestSARIF(t *testing.T) {
	slow(t)
	// .ci/run installs it and sets SARIF_MULTITOOL; else look in PATH.
	multitool := os.Getenv("SARIF_MULTITOOL")
	if multitool == "" {
		multitool = need(t, "sarif-multitool", "npm install -g @microsoft/sarif-multitool, or set SARIF_MULTITOOL to its path")
	}
	hlc := buildHTTPLeakCheck(t)
	dir := copyModule(t, "leaky")
	pages := checkPages
	for _, mode := range [][]string{nil, {"-vet"}} {
		t.Run("sarif"+strings.Join(mode, ""), func(t *testing.T) {
			r := run(t, dir, nil, append(append([]string{hlc}, mode...), "-sarif", "./...")...)
			r.want(t, "httpleakcheck -sarif", 0)
			log := filepath.Join(t.TempDir(), "httpleakcheck.sarif")
			if err := os.WriteFile(log, []byte(r.stdout), 0o666); err != nil {
				t.Fatal(err)
			}
			validation := filepath.Join(t.TempDir(), "validation.sarif")
			// A .NET program: without ICU it runs only in invariant mode.
			run(t, dir, []string{"DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1"}, multitool, "validate", "--output", validation, log).want(t, "sarif-multitool validate", 0)
			var v struct {
				Runs []struct{ Results []sarifResult } `json:"runs"`
			}
			readJSON(t, validation, &v)
			if len(v.Runs) != 1 {
				t.Fatalf("sarif-multitool validate wrote %d runs", len(v.Runs))
			}
			for _, res := range v.Runs[0].Results {
				t.Errorf("sarif-multitool validate: %s: %s", res.RuleID, res.Message.Text)
			}

			var s sarifLog
			readJSON(t, log, &s)
			if s.Version != "2.1.0" || len(s.Runs) != 1 || s.Runs[0].Tool.Driver.Name != "httpleakcheck" {
				t.Fatalf("not a SARIF 2.1.0 log of one httpleakcheck run:\n%s", r.stdout)
			}
			run := s.Runs[0]
			var ids []string
			for _, rule := range run.Tool.Driver.Rules {
				ids = append(ids, rule.ID)
				if rule.HelpURI != pages[rule.ID] {
					t.Errorf("rule %s: helpUri %q, want %q", rule.ID, rule.HelpURI, pages[rule.ID])
				}
				// A check's help is its page; the directive's, a sentence.
				if rule.Help.Text == "" || rule.ID != "directive" && !strings.HasPrefix(rule.Help.Text, "# "+rule.ID+": ") {
					t.Errorf("rule %s: help text is not its page:\n%s", rule.ID, rule.Help.Text)
				}
			}
			if want := []string{"body", "transport", "keepalive", "drain", "bodyeof", "directive"}; !slices.Equal(ids, want) {
				t.Errorf("rules %q, want %q", ids, want)
			}
			var got []finding
			for _, res := range run.Results {
				if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != "SRCROOT" {
					t.Errorf("%s result: want one location relative to SRCROOT, got %+v", res.RuleID, res.Locations)
					continue
				}
				if res.RuleIndex < 0 || res.RuleIndex >= len(ids) || ids[res.RuleIndex] != res.RuleID {
					t.Errorf("%s result: ruleIndex %d", res.RuleID, res.RuleIndex)
				}
				got = append(got, finding{res.Locations[0].pos(), res.RuleID})
				switch res.Locations[0].pos() {
				case "app/body.go:14": // the body fix: one insertion, after the related return's check
					checkSARIFFix(t, res, "app/body.go:18", 1)
				case "client/client.go:19": // the transport fix: a new variable, and its use
					checkSARIFFix(t, res, "client/client.go:20", 2)
				}
			}
			checkFindings(t, "SARIF results", got, leakyFindings)
		})
	}
}

// checkSARIFFix checks that res has a related location at rel and one
// fix of n replacements.
func checkSARIFFix(t *testing.T, res sarifResult, rel string, n int) {
	t.Helper()
	if len(res.Related) != 1 || res.Related[0].pos() != rel {
		t.Errorf("%s at %s: related locations %+v, want one at %s", res.RuleID, res.Locations[0].pos(), res.Related, rel)
	}
	if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 || len(res.Fixes[0].ArtifactChanges[0].Replacements) != n {
		t.Errorf("%s at %s: fixes %+v, want one of %d replacements", res.RuleID, res.Locations[0].pos(), res.Fixes, n)
	}
}

// readJSON decodes the JSON file name into v.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, data)
	}
}
