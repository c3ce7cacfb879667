package analyzer

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/httpleakcheck/httpleakcheck/analyzer/internal/flow"
	"golang.org/x/tools/go/analysis"
)

// TestFactsGob checks what go vet, golangci-lint's cache and Bazel's nogo
// need to pass facts between packages: the analyzer validates, and every
// fact type survives a gob round trip as an analysis.Fact, the way
// unitchecker encodes it, with no field lost.
func TestFactsGob(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{Analyzer}); err != nil {
		t.Fatal(err)
	}
	// One value per fact type, with every field set.
	examples := []analysis.Fact{
		&flow.Fact{
			NoReturn: true,
			Params:   []flow.ParamFact{{Index: 1, Effect: flow.Borrows}},
			Results:  []flow.ResultFact{{Index: 1, Kind: kindPool, Path: "hc.Transport", ViaRoundTripper: true, WithError: true}},
		},
	}
	byType := make(map[reflect.Type]analysis.Fact)
	for _, f := range examples {
		byType[reflect.TypeOf(f)] = f
	}
	for _, ft := range summariesAnalyzer.FactTypes {
		typ := reflect.TypeOf(ft)
		f, ok := byType[typ]
		if !ok {
			t.Errorf("no example of fact type %v: add one to this test", typ)
			continue
		}
		v := reflect.ValueOf(f).Elem()
		for i := range v.NumField() {
			if field := v.Type().Field(i); !field.IsExported() {
				t.Errorf("%v.%s is unexported: gob drops it", typ, field.Name)
			} else if v.Field(i).IsZero() {
				t.Errorf("example %v leaves %s zero: set every field", typ, field.Name)
			}
		}
		gob.Register(ft)

		type gobFact struct{ Fact analysis.Fact } // as unitchecker writes facts
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(gobFact{f}); err != nil {
			t.Fatalf("encoding %v: %v", f, err)
		}
		var got gobFact
		if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
			t.Fatalf("decoding %v: %v", f, err)
		}
		if !reflect.DeepEqual(got.Fact, f) {
			t.Errorf("gob round trip of %v gave %v", f, got.Fact)
		}
	}
}
