package disclosure

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// sectorReport builds the view model of a sector report: every operator
// registered in the bundle (of the bundle's country, if any), its filing
// state for the span's last quarter, the headline metrics with ranks and
// medians, the sector totals, and open warnings and findings.
func sectorReport(b *Bundle, in *inputs) (*templates.SectorReport, error) {
	span, err := ledger.ParseSpan(b.Period)
	if err != nil {
		return nil, err
	}
	deadline, err := time.Parse(time.RFC3339, b.Deadline)
	if err != nil {
		return nil, fmt.Errorf("sector bundle deadline: %w", err)
	}
	deadlines, err := b.countryDeadlines()
	if err != nil {
		return nil, err
	}
	deadlineOf := func(country string) time.Time {
		if d, ok := deadlines[country]; ok {
			return d
		}
		return deadline
	}
	methodology, err := b.methodology()
	if err != nil {
		return nil, err
	}
	corrected, err := b.rollupCorrected()
	if err != nil {
		return nil, err
	}
	cp, err := b.checkpointOf()
	if err != nil {
		return nil, err
	}
	r := &templates.SectorReport{Period: span.String(), Country: b.Country, GWP: b.GWP,
		Checkpoint: templates.Checkpoint{Origin: cp.Origin, Size: cp.Size, Root: cp.Root.String(), Note: b.Checkpoint},
		LedgerTime: in.last}
	if b.Country != "" {
		r.CountryName = countryName(in, b.Country)
		if j, ok := in.jurisdictions[b.Country]; ok {
			r.Administration = AdministrationName(j)
		}
	}
	ids := make([]string, 0, len(in.operators))
	for id, op := range in.operators {
		if b.Country == "" || op.Country == b.Country {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var filed []SectorFiled
	factorSets := map[string]bool{}
	last := span.Last()
	computed := operatorRollups(in, ids, span, b.GWP, methodology)
	for i, id := range ids {
		op := in.operators[id]
		st := templates.FilingStatus{Operator: op.Name, ID: id, Country: op.Country, State: "missing", Deadline: deadlineOf(op.Country)}
		if f := in.returns[id][last]; f != nil {
			st.Filed, st.Version = f.Time, f.Version
			st.State = map[string]string{"accepted": "accepted", "returned": "returned", "under review": "submitted"}[in.status(f.ID)]
			st.Late = in.firstFiled[id][last].After(st.Deadline)
			for _, w := range f.Warnings {
				r.Warnings = append(r.Warnings, templates.Note{Ref: op.Name + " " + w.Path, Text: w.Message})
			}
			if st.State == "returned" {
				rv := in.reviews[f.ID]
				for _, fd := range rv[len(rv)-1].Findings {
					r.Findings = append(r.Findings, templates.Note{Ref: op.Name + " " + fd.Path, Text: fd.Message})
				}
			}
		} else {
			st.Late = in.last.After(st.Deadline)
		}
		r.Status = append(r.Status, st)
		roll, err := computed[i].roll, computed[i].err
		if err != nil {
			return nil, err
		}
		if roll != nil {
			filed = append(filed, SectorFiled{ID: id, Country: op.Country, Rollup: roll})
			for _, v := range roll.FactorSets {
				factorSets[v] = true
			}
		}
	}
	// Sorted: a map's order changes from run to run, and the document
	// must render to the same bytes every time to verify.
	r.FactorSet = strings.Join(slices.Sorted(maps.Keys(factorSets)), ", ")
	r.Methodology = b.Methodology
	r.Administrations = administrations(in, r.Status, last, deadlineOf)
	if len(filed) == 0 {
		return r, nil
	}
	metrics, coverage := SectorMetrics(filed, methodology, corrected)
	name := func(id string) string {
		if op, ok := in.operators[id]; ok {
			return op.Name
		}
		return id
	}
	r.Coverage = coverageLines(coverage, metrics, methodology, name)
	r.Totals, r.Metrics = drawMetrics(metrics, name)
	return r, nil
}

// operatorRollup is an operator's roll-up over a span, or why it has
// none.
type operatorRollup struct {
	roll *calculators.Rollup
	err  error
}

// operatorRollups rolls up each operator of ids over span, on every
// processor: each operator's figures depend on its own returns only
// (and the shared factor sets and densities, which computing only
// reads), and they are most of the work of a sector report after the
// decoding, about 3 ms an operator with ten years of history.
func operatorRollups(in *inputs, ids []string, span ledger.Span, gwp, methodology string) []operatorRollup {
	out := make([]operatorRollup, len(ids))
	eachIndex(len(ids), func(i int) {
		c := &calc{in: in, operator: ids[i], gwp: gwp, methodology: methodology, done: map[ledger.Period]*calculators.Metrics{}, figuresOnly: true}
		out[i].roll, _, out[i].err = c.span(span)
	})
	return out
}

// coverageLines says in the document whom the totals leave out: under
// methodology 2026.1 the operators with fewer quarters than the span
// (R5), and, for each total shown that is a ratio over a stock, the
// operators left out of both its terms (R2), each named by name. None
// for a total made before those fixes (c is nil).
func coverageLines(c *calculators.SectorCoverage, metrics []SectorViewMetric, methodology string, name func(id string) string) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, p := range c.Partial {
		if !ledger.MethodologyAtLeast(methodology, ledger.Methodology20261) {
			break
		}
		out = append(out, fmt.Sprintf("%s filed %s only (no return for %s): its flows count those quarters, its stocks are those of the last.",
			name(p.Operator), strings.Join(p.Quarters, ", "), strings.Join(p.Missing, ", ")))
	}
	for _, m := range metrics {
		ids := c.LeftOut[m.Key]
		if len(ids) == 0 {
			continue
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = name(id)
		}
		out = append(out, fmt.Sprintf("%s: over the operators that filed both its terms; left out: %s.", m.Label, strings.Join(names, ", ")))
	}
	return out
}

// reasonFor finds why a roll-up's metric is unavailable.
func reasonFor(r *calculators.Rollup, key string) string {
	for _, u := range r.Unavailable {
		if u.Metric == key {
			return u.Reason
		}
	}
	return "not computed for this period"
}

// AdministrationName is how a report names an administration: in
// English, and in its own language after it when one was given.
func AdministrationName(j ledger.Jurisdiction) string {
	if j.NameLocal == "" || j.NameLocal == j.Name {
		return j.Name
	}
	return j.Name + " (" + j.NameLocal + ")"
}

// countryDeadlines parses the bundle's per-country deadlines.
func (b *Bundle) countryDeadlines() (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(b.Deadlines))
	for c, v := range b.Deadlines {
		d, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Errorf("sector bundle deadlines[%s]: %w", c, err)
		}
		out[c] = d
	}
	return out, nil
}

// administrations lists, by country code, the administration of each
// country among the operators of status, with the deadline lateness was
// counted from and the rule that set it, as the bundle's record of the
// administration says; a country without a record in the bundle is under
// the service's default rule.
func administrations(in *inputs, status []templates.FilingStatus, last ledger.Period, deadlineOf func(string) time.Time) []templates.AdministrationDeadline {
	seen := map[string]bool{}
	var countries []string
	for _, s := range status {
		if !seen[s.Country] {
			seen[s.Country] = true
			countries = append(countries, s.Country)
		}
	}
	sort.Strings(countries)
	out := make([]templates.AdministrationDeadline, 0, len(countries))
	for _, c := range countries {
		var rec *ledger.Jurisdiction
		if j, ok := in.jurisdictions[c]; ok {
			rec = &j
		}
		a := SectorAdministration(c, countryName(in, c), rec, last, deadlineOf(c))
		out = append(out, templates.AdministrationDeadline{Country: a.Country, CountryName: a.CountryName, Name: a.Name, Rule: a.Rule, Deadline: a.Deadline})
	}
	return out
}

// SectorAdministration is how a sector report names a country's
// administration and the rule of its deadline for quarter last: from its
// record j, or the service's default rule when it has none (nil).
func SectorAdministration(country, countryName string, j *ledger.Jurisdiction, last ledger.Period, deadline time.Time) SectorViewAdministration {
	a := SectorViewAdministration{Country: country, CountryName: countryName, Deadline: deadline, Rule: "the service's default"}
	if j != nil {
		a.Name = AdministrationName(*j)
		days := j.DeadlineDays
		if days <= 0 {
			days = ledger.DefaultDeadlineDays
		}
		a.Rule = fmt.Sprintf("%d days after the quarter, %s", days, j.Location())
		if !j.Deadline(last).Equal(deadline) {
			a.Rule += "; moved for " + last.String() + " by the administrator"
		}
	}
	return a
}
