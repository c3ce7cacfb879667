package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// runVet analyzes the packages through go vet with this executable as
// its vet tool: go vet keeps each package's results and facts in Go's
// build cache, so a run on an unchanged tree analyzes nothing again, and
// an edit re-analyzes only the packages it reaches. If go vet cannot
// build some package (go vet stops at a dependency that does not build),
// it runs standalone instead, which leaves such dependencies out.
func runVet(o *options, stderr io.Writer) (*results, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := append([]string{"vet", "-vettool=" + exe, "-json"}, o.analyzerArg...)
	cmd := exec.Command("go", append(args, o.patterns...)...)
	var stdout, vetErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &vetErr
	var exit *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exit) {
		fmt.Fprintln(stderr, "httpleakcheck: go vet could not build every package; analyzing from source instead")
		return runStandalone(o, stderr)
	} else if err != nil {
		return nil, err
	}
	return parseVetJSON(&stdout)
}

// parseVetJSON decodes the output of go vet -json: one JSON object per
// package, package ID → analyzer name → diagnostics or {"error": ...}.
func parseVetJSON(r io.Reader) (*results, error) {
	res := &results{}
	dec := json.NewDecoder(r)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			return res, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading go vet -json: %v", err)
		}
		for id, byAnalyzer := range tree {
			raw, ok := byAnalyzer["httpleakcheck"]
			if !ok {
				continue
			}
			p := pkgResult{id: id}
			var jerr jsonError
			var jdiags []jsonDiag
			if json.Unmarshal(raw, &jerr) == nil {
				p.err = jerr.Err
			} else if err := json.Unmarshal(raw, &jdiags); err != nil {
				return nil, fmt.Errorf("reading go vet -json: %s: %v", id, err)
			}
			for _, j := range jdiags {
				d, err := j.fromJSON()
				if err != nil {
					return nil, fmt.Errorf("reading go vet -json: %s: %v", id, err)
				}
				p.diags = append(p.diags, d)
			}
			res.pkgs = append(res.pkgs, p)
		}
	}
}
