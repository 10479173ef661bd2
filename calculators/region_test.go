package calculators

import "testing"

// Every regional figure is a headline metric: a key that is not one
// would have no label and no way to read it.
func TestRegionHeadlinesAreHeadlines(t *testing.T) {
	hs := RegionHeadlines()
	if len(hs) == 0 {
		t.Fatal("no regional figures")
	}
	for _, h := range hs {
		if h.Key == "" || h.Label == "" || h.Get == nil {
			t.Errorf("regional figure %+v is not a headline", h)
		}
	}
}
