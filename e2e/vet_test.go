package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestVet runs httpleakcheck standalone, with -vet and as go vet
// -vettool over testdata/leaky, whose facts cross packages, with the
// flags users pass to either: all must report the expected findings, the
// same text (the command's with each finding's check, "[body]"), and the
// same JSON, each diagnostic with its check's page as url; go vet must
// exit 1.
func TestVet(t *testing.T) {
	slow(t)
	hlc := buildHTTPLeakCheck(t)
	dir := copyModule(t, "leaky")
	tests := []struct {
		name  string
		flags []string
		want  []finding
	}{
		{"default", nil, leakyFindings},
		{"flags", []string{"-checks=body,keepalive", "-strict"}, append(without(leakyFindings, "transport"), staleDirective)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, dir, nil, append(append([]string{hlc}, tt.flags...), "-json", "./...")...)
			r.want(t, "httpleakcheck -json", 0)
			diags := parseJSON(t, dir, r.stdout)
			checkFindings(t, "httpleakcheck", findings(diags), tt.want)
			for _, d := range diags {
				if d.URL != checkPages[d.Category] {
					t.Errorf("%s %s: url %q, want %q", d.Posn, d.Category, d.URL, checkPages[d.Category])
				}
			}

			// -vet: the same JSON, url included (go vet -json has none).
			r = run(t, dir, nil, append(append([]string{hlc, "-vet"}, tt.flags...), "-json", "./...")...)
			r.want(t, "httpleakcheck -vet -json", 0)
			if got, want := jsonLines(parseJSON(t, dir, r.stdout)), jsonLines(diags); !slices.Equal(got, want) {
				t.Errorf("-vet -json and the standalone -json differ\n-vet:\n%s\nstandalone:\n%s", got, want)
			}

			// Text, standalone and with -vet: each finding with its check.
			for _, mode := range [][]string{nil, {"-vet"}} {
				r = run(t, dir, nil, append(append(append([]string{hlc}, mode...), tt.flags...), "./...")...)
				r.want(t, "httpleakcheck", 3)
				if got, want := parseText(r.stderr), textLinesWithCheck(dir, diags); !slices.Equal(got, want) {
					t.Errorf("httpleakcheck %s: text output\n%s\nwant:\n%s", strings.Join(mode, " "), strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}

			r = run(t, dir, nil, append(append([]string{"go", "vet", "-vettool=" + hlc}, tt.flags...), "./...")...)
			r.want(t, "go vet -vettool", 1)
			if got, want := parseText(r.stderr), textLines(diags); !slices.Equal(got, want) {
				t.Errorf("go vet and the standalone run differ\ngo vet:\n%s\nstandalone:\n%s", got, want)
			}
		})
	}
}

// TestFix applies the body check's suggested fixes with go fix -fixtool
// and with go vet -fix: the body findings go away, each fixed by
// inserting defer resp.Body.Close() after the error check
// (app/body.go.golden), and the other findings stay.
func TestFix(t *testing.T) {
	slow(t)
	hlc := buildHTTPLeakCheck(t)
	golden, err := os.ReadFile(filepath.Join("testdata", "leaky", "app", "body.go.golden"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"go fix", []string{"go", "fix", "-fixtool=" + hlc, "-checks=body", "./..."}},
		{"go vet -fix", []string{"go", "vet", "-vettool=" + hlc, "-fix", "-checks=body", "./..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyModule(t, "leaky")
			run(t, dir, nil, tt.args...).want(t, tt.name, 0)
			got, err := os.ReadFile(filepath.Join(dir, "app", "body.go"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(golden) {
				t.Errorf("app/body.go after %s:\n%s\nwant (app/body.go.golden):\n%s", tt.name, got, golden)
			}
			r := run(t, dir, nil, hlc, "-json", "./...")
			r.want(t, "httpleakcheck -json", 0)
			checkFindings(t, "after "+tt.name, findings(parseJSON(t, dir, r.stdout)), without(leakyFindings, "body"))
		})
	}
}

// jsonLines renders diags, url and related positions included, one line
// each, sorted, for comparing two runs.
func jsonLines(diags []diagnostic) []string {
	var lines []string
	for _, d := range diags {
		l := d.Posn + " " + d.Category + " " + d.URL + " " + d.Message
		for _, r := range d.Related {
			l += " | " + r.Posn + " " + r.Message
		}
		lines = append(lines, l)
	}
	slices.Sort(lines)
	return lines
}

// textLinesWithCheck renders diags as the command's text output shows
// them, as parseText returns them: each with its check after its message,
// "file:line:col: message [check]", absolute file names.
func textLinesWithCheck(dir string, diags []diagnostic) []string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, filepath.Join(dir, d.Posn)+": "+d.Message+" ["+d.Category+"]")
		for _, r := range d.Related {
			lines = append(lines, filepath.Join(dir, r.Posn)+": \t"+r.Message)
		}
	}
	slices.Sort(lines)
	return lines
}
