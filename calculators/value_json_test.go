package calculators

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

func TestValueReadsBackWhatItWrites(t *testing.T) {
	for _, v := range []Value{None, Some(decimal.RequireFromString("95.044248")), Some(decimal.RequireFromString("-0.5")), Some(decimal.Zero)} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got Value
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if got.OK != v.OK || !got.D.Equal(v.D) {
			t.Errorf("%s read back as %+v, want %+v", b, got, v)
		}
	}
	for _, bad := range []string{`12`, `"x"`, `""`, `true`, `"1e400000000000"`, `"1E3"`} {
		var got Value
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("%s read as %+v; want an error", bad, got)
		}
	}
}
