package workbook

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// TestWriteReadsBack: a return written as a workbook reads back to the
// same return, field for field, for the example and the v1.1 example.
func TestWriteReadsBack(t *testing.T) {
	for name, ret := range map[string]*ledger.Return{"example": exampleReturn(t), "v1.1": exampleV11(t)} {
		t.Run(name, func(t *testing.T) {
			b, err := Write(ret, factors20261(t))
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := readBook(t, b, exampleContext(t))
			if err != nil {
				t.Fatalf("%v\n%+v", err, err.(*ledger.Error).Fields)
			}
			want, _ := json.Marshal(ret)
			have, _ := json.Marshal(got)
			if !bytes.Equal(want, have) {
				t.Errorf("read back differs:\nwant %s\n got %s", want, have)
			}
		})
	}
}

// TestSameBytes: the same template, and the same return, are the same
// bytes each time they are written (the template is cached by its ETag).
func TestSameBytes(t *testing.T) {
	for name, write := range map[string]func() ([]byte, error){
		"template": func() ([]byte, error) { return Template(factors20261(t)) },
		"return":   func() ([]byte, error) { return Write(exampleV11(t), factors20261(t)) },
	} {
		a, err := write()
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			b, err := write()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("the %s differs from one writing to the next", name)
			}
		}
	}
}
