package flow

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBoundary keeps the engine apart from what it serves: it depends on
// no other package of this module, and its sources name neither net/http
// nor a test framework. The checks hand it their specs, summarizers and
// hooks instead.
func TestBoundary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	self, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Module.Path}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkg, module, _ := strings.Cut(strings.TrimSpace(string(self)), " ")
	for dep := range strings.FieldsSeq(string(out)) {
		if dep != pkg && (dep == module || strings.HasPrefix(dep, module+"/")) {
			t.Errorf("the engine depends on %s, a package of this module", dep)
		}
	}

	// Any mention, in code or comments: the import path, a package name
	// used as a qualifier, the testing package's types.
	forbidden := regexp.MustCompile(`net/http|\bhttp[0-9a-z]*\.|\btesting\b|\*testing\.|\bt\.(Error|Fatal|Fail)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := forbidden.FindString(line); m != "" {
				t.Errorf("%s:%d names %q: the engine knows no resource, library or test framework", name, i+1, m)
			}
		}
	}
}
