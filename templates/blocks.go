package templates

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
)

// Blocks shared by the layouts. A change here changes released layouts
// too: the golden files of every layout must stay as they are (or the
// change belongs in a new layout version).

// periodName spells a period for the cover: "2025-Q3 (July to September 2025)".
func periodName(p string) string {
	months := [...]string{"January to March", "April to June", "July to September", "October to December"}
	if len(p) == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4' {
		return p + " (" + months[p[6]-'1'] + " " + p[:4] + ")"
	}
	if len(p) == 4 {
		return p + " (calendar year)"
	}
	return p
}

// amountTable draws a breakdown with each part's share of the total and a
// total row.
func amountTable(d *doc, what string, parts []Amount, tot calculators.Value, u Unit) {
	if len(parts) == 0 {
		d.noData(what)
		return
	}
	var rs []row
	for _, a := range parts {
		rs = append(rs, cells(a.Label, d.fig(u, a.Value), d.fig(UnitPct, share(a.Value, tot))))
	}
	rs = append(rs, total("Total", d.fig(u, tot), d.fig(UnitPct, share(tot, tot))))
	d.table([]col{{title: what, w: 100}, numCol("Amount", u, 40), numCol("Share", UnitPct, 40)}, rs)
}

// metricTable draws labelled metrics with their unit.
func metricTable(d *doc, ms []Metric) {
	var rs []row
	for _, m := range ms {
		rs = append(rs, cells(m.Label, unitLabel(m.Unit), d.fig(m.Unit, m.Value)))
	}
	d.table([]col{{title: "Indicator", w: 110}, {title: "Unit", w: 30}, {title: "Value", w: 40, right: true}}, rs)
}

// share is part / total x 100 for display; unavailable when either is, or
// the total is zero.
func share(part, tot calculators.Value) calculators.Value {
	if !part.OK || !tot.OK || tot.D.IsZero() {
		return calculators.None
	}
	return calculators.Some(part.D.Mul(decimal.NewFromInt(100)).DivRound(tot.D, calculators.DivPrecision))
}

// sum adds values; unavailable when any is.
func sum(vs ...calculators.Value) calculators.Value {
	acc := decimal.Zero
	for _, v := range vs {
		if !v.OK {
			return calculators.None
		}
		acc = acc.Add(v.D)
	}
	return calculators.Some(acc)
}

// noteTable lists warnings or findings, or says there are none.
func noteTable(d *doc, ns []Note, refTitle, textTitle, none string) {
	if len(ns) == 0 {
		d.note(none)
		return
	}
	var rs []row
	for _, n := range ns {
		rs = append(rs, cells(n.Ref, n.Text))
	}
	d.table([]col{{title: refTitle, w: 50}, {title: textTitle, w: 130}}, rs)
}

// checkpointBlock prints the signed checkpoint note as monospace text.
func checkpointBlock(d *doc, c Checkpoint) {
	if c.Note == "" {
		d.note("No signed checkpoint.")
		return
	}
	d.monoBlock(checkpointLines(c))
}

// checkpointLines are the lines of c's signed note as checkpointBlock
// prints them.
func checkpointLines(c Checkpoint) []string {
	return strings.Split(strings.TrimRight(c.Note, "\n"), "\n")
}
