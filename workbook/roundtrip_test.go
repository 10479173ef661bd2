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
