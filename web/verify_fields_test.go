package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/ictledger/ictledger/disclosure"
)

// The details of a verification are shown under the names, in the order
// and with the values of the API's answer (every field set, so a field
// added to the result and not to the page fails here).
func TestVerifyFieldsAreTheAPIs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		v      any
		fields []field
	}{
		{"entry", disclosure.VerifiedEntry{Seq: 4, Kind: "return.filed", LeafHash: "abc=", Included: true, ReturnID: "op-a-2025-Q3-v1"},
			entryFields(disclosure.VerifiedEntry{Seq: 4, Kind: "return.filed", LeafHash: "abc=", Included: true, ReturnID: "op-a-2025-Q3-v1"})},
		{"checkpoint", disclosure.ResultCheckpoint{Origin: "test", Size: 9, Root: "xyz=", Signed: true, NoteText: "test\n9\nxyz=\n"},
			checkpointFields(&disclosure.ResultCheckpoint{Origin: "test", Size: 9, Root: "xyz=", Signed: true, NoteText: "test\n9\nxyz=\n"})},
		{"issued", disclosure.ResultIssued{Seq: 11, Time: "2026-02-20T00:00:00Z"},
			issuedFields(&disclosure.ResultIssued{Seq: 11, Time: "2026-02-20T00:00:00Z"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			var want []field
			for k, v := range m {
				want = append(want, field{k, fmt.Sprint(v)})
			}
			slices.SortFunc(want, func(a, b field) int { return cmp.Compare(a.Name, b.Name) })
			if !slices.Equal(tc.fields, want) {
				t.Fatalf("the page shows\n%q\nthe API says\n%q", tc.fields, want)
			}
		})
	}
	if f := entryFields(disclosure.VerifiedEntry{Seq: 1}); slices.ContainsFunc(f, func(f field) bool { return f.Name == "return" }) {
		t.Errorf("an entry of no return shows one: %q", f)
	}
	if checkpointFields(nil) != nil || issuedFields(nil) != nil {
		t.Error("no checkpoint or no issued record shows fields")
	}
}
