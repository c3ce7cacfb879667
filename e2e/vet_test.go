package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestVet runs httpleakcheck standalone and as go vet -vettool over
// testdata/leaky, whose facts cross packages, with the flags users pass
// to either: both must report the expected findings, the same text, and
// go vet must exit 1.
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
