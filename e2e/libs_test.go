package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLibraries runs httpleakcheck over the probe package in the bench
// module (../bench/probe), which builds clients with the real libraries
// the bench module pins (resty, go-retryablehttp, go-cleanhttp, otelhttp,
// promhttp, oauth2, aws-sdk-go-v2, the Google API transport and services,
// client-go, x/net/http2): every line marked "leak: CHECK" must be
// reported by that check, and nothing else.
func TestLibraries(t *testing.T) {
	slow(t)
	hlc := buildHTTPLeakCheck(t)
	bench, err := filepath.Abs("../bench")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, bench, nil, hlc, "-json", "./probe/...")
	r.want(t, "httpleakcheck -json ./probe/...", 0)
	got := findings(parseJSON(t, bench, r.stdout))
	want := markedLeaks(t, filepath.Join(bench, "probe"), bench)
	if len(want) == 0 {
		t.Fatal("no leak: marks in the probe")
	}
	checkFindings(t, "httpleakcheck on bench/probe", got, want)
}

// leakMark matches the mark of a line that must be reported.
var leakMark = regexp.MustCompile(`// leak: (\w+)`)

// markedLeaks returns the findings that the "leak: CHECK" marks of the
// Go files under dir ask for, positions relative to rel.
func markedLeaks(t *testing.T, dir, rel string) []finding {
	t.Helper()
	var want []finding
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, err := filepath.Rel(rel, path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := leakMark.FindStringSubmatch(line); m != nil {
				want = append(want, finding{fmt.Sprintf("%s:%d", filepath.ToSlash(name), i+1), m[1]})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}
