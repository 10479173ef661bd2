package service

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger/state"
)

// MetricChange is one metric whose value differs between two versions of
// a return. Before and After are the values as GET /v1/returns/{rid}/metrics
// shows them (decimal strings rounded to 6 places, or null when
// unavailable); Change and ChangePct are computed from those shown values
// and are null unless both sides are numbers (ChangePct also when Before
// is zero). For a percentage (Unit "%") Change is in percentage points and
// ChangePct is null: from 2 % to 3 % is one point, not a rise of 50 %.
type MetricChange struct {
	Metric    string            `json:"metric"`         // e.g. "e1.scope1_tco2e", "e1.data_centres.tokyo-dc-1.pue"
	Label     string            `json:"label"`          // for people, e.g. "Scope 1 emissions"
	Unit      string            `json:"unit,omitempty"` // "%" for a percentage
	Headline  bool              `json:"headline"`
	Before    json.RawMessage   `json:"before"`
	After     json.RawMessage   `json:"after"`
	Change    calculators.Value `json:"change"`     // after - before
	ChangePct calculators.Value `json:"change_pct"` // (after - before) / |before| x 100
}

// diffMetrics fills d.Metrics and d.FactorSets: the E1, E2 and E3 values
// of both versions, each computed by the service as its metrics endpoint
// does (the factor set it was filed with, its default GWP set). Headline
// metrics come first, then the rest, each group sorted by key. The
// additive parts behind the metrics are inputs, not metrics, and are left
// out: the field changes already show them.
func (s *Service) diffMetrics(d *Diff, from, to *state.ReturnVersion) error {
	mf, err := s.metricsOf(from, MetricsQuery{})
	if err != nil {
		return err
	}
	mt, err := s.metricsOf(to, MetricsQuery{})
	if err != nil {
		return err
	}
	d.FactorSets = FromTo{From: mf.FactorSet, To: mt.FactorSet}
	before, err := flattenMetrics(mf)
	if err != nil {
		return err
	}
	after, err := flattenMetrics(mt)
	if err != nil {
		return err
	}
	headline := map[string]bool{}
	for _, h := range calculators.Headlines() {
		headline[h.Key] = true
	}
	null := []byte("null")
	labels := metricLabels()
	d.Metrics = []MetricChange{}
	for _, c := range diffFlat(before, after) {
		if bytes.Equal(c.Before, null) && bytes.Equal(c.After, null) {
			continue // unavailable on one side, absent on the other
		}
		mc := MetricChange{Metric: c.Path, Label: metricLabel(c.Path, labels), Headline: headline[c.Path], Before: c.Before, After: c.After}
		if isPercentage(c.Path) {
			mc.Unit = "%"
		}
		b, okB := jsonDecimal(c.Before)
		a, okA := jsonDecimal(c.After)
		if okB && okA {
			change := a.Sub(b)
			mc.Change = calculators.Some(change)
			if mc.Unit != "%" && !b.IsZero() {
				mc.ChangePct = calculators.Some(calculators.Div(change.Mul(decimal.NewFromInt(100)), b.Abs()))
			}
		}
		d.Metrics = append(d.Metrics, mc)
	}
	sort.SliceStable(d.Metrics, func(i, j int) bool { return d.Metrics[i].Headline && !d.Metrics[j].Headline })
	return nil
}

// flattenMetrics maps every metric of m's E1, E2 and E3 blocks to its
// path ("e2.by_category.smartphone.mci"). Data centres are keyed by their
// id rather than their position, and the parts are dropped.
func flattenMetrics(m *calculators.Metrics) (map[string]json.RawMessage, error) {
	blocks := map[string]any{}
	if m.E1 != nil {
		blocks["e1"] = m.E1
	}
	if m.E2 != nil {
		blocks["e2"] = m.E2
	}
	if m.E3 != nil {
		blocks["e3"] = m.E3
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree map[string]any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	dropParts(tree)
	if e1, ok := tree["e1"].(map[string]any); ok {
		if dcs, ok := e1["data_centres"].([]any); ok {
			byID := map[string]any{}
			for _, dc := range dcs {
				if o, ok := dc.(map[string]any); ok {
					id, _ := o["id"].(string)
					delete(o, "id")
					byID[id] = o
				}
			}
			e1["data_centres"] = byID
		}
	}
	return flattenTree(tree)
}

// dropParts removes the additive inputs ("parts", "parts_by_cell") at
// every level of a decoded metrics tree.
func dropParts(n any) {
	switch t := n.(type) {
	case map[string]any:
		delete(t, "parts")
		delete(t, "parts_by_cell")
		for _, c := range t {
			dropParts(c)
		}
	case []any:
		for _, c := range t {
			dropParts(c)
		}
	}
}

// jsonDecimal reads a metric value: a JSON string or number holding a
// decimal.
func jsonDecimal(raw json.RawMessage) (decimal.Decimal, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return decimal.Decimal{}, false
		}
		s = n.String()
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}
