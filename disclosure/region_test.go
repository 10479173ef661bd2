package disclosure

import (
	"cmp"
	"slices"
	"strings"
	"testing"
)

// regionView renders the view model of a bundle as Render does.
func regionView(t *testing.T, b *Bundle) error {
	t.Helper()
	es, _, err := b.rawEntries()
	if err != nil {
		t.Fatal(err)
	}
	in, err := decodeInputs(es)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.applyBasis(b); err != nil {
		return err
	}
	_, err = regionReport(b, in)
	return err
}

// A regional bundle renders only on the accepted basis, with counts of
// operators that hold what its entries prove, counted in a tree its
// checkpoint covers.
func TestRegionBundleRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Bundle)
		want string
	}{
		{"as issued", func(*Bundle) {}, ""},
		{"every return", func(b *Bundle) { b.Basis = "" }, "accepted returns only"},
		{"fewer filed than accepted", func(b *Bundle) { b.Coverage["JP"] = RegionCounts{Due: 1} }, "fewer filing operators"},
		{"country not stated", func(b *Bundle) { delete(b.Coverage, "JP") }, "fewer filing operators"},
		{"more filed than due", func(b *Bundle) { b.Coverage["AU"] = RegionCounts{Due: 1, Filed: 2} }, "2 filed of 1 due"},
		{"counted past the checkpoint", func(b *Bundle) { b.CountedAt = 111 }, "not in its checkpoint's"},
		{"counted nowhere", func(b *Bundle) { b.CountedAt = 0 }, "not in its checkpoint's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fixtureBundle(t, "region-bundle.json")
			tc.edit(b)
			err := regionView(t, b)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A return in a regional bundle that its reviews do not accept counts
// for nothing: the wattle-fibre 2026-Q3 return awaits review.
func TestRegionBundleCountsAcceptedOnly(t *testing.T) {
	b := fixtureBundle(t, "region-bundle.json")
	for _, e := range fixtureBundle(t, "sector-bundle.json").Entries {
		if e.Seq == 5 || e.Seq == 108 { // wattle-fibre's registration and its 2026-Q3 return
			b.Entries = append(b.Entries, e)
		}
	}
	slices.SortFunc(b.Entries, func(x, y BundleEntry) int { return cmp.Compare(x.Seq, y.Seq) })
	r, err := regionReport(b, testInputs(t, b))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Countries) != 1 || r.Countries[0].Country != "JP" || r.Coverage.Accepted != 1 {
		t.Fatalf("countries %+v, coverage %+v", r.Countries, r.Coverage)
	}
}
