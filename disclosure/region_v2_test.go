package disclosure

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/checkpoint"
	"github.com/ictledger/ictledger/templates"
)

// regionCodes are forty jurisdictions of a region, in code order.
var regionCodes = strings.Fields("AU BD BN BT CK CN FJ FM HK ID IN JP KH KI KR LA LK MH MM MN MO MV MY NP NR NZ PG PH PK PW SB SG TH TL TO TV TW VN VU WS")

// regionTestView is a regional view of span as the service writes it:
// n countries of m counted operators each (every fifth operator of a year
// partial), a few figures unavailable, the region's coverage added up,
// the medians of the countries' intensities. It returns the view and
// the counted operators' names by id.
func regionTestView(span ledger.Span, n, m int) (*calculators.RegionView, map[string]string) {
	heads := calculators.RegionHeadlines()
	v := &calculators.RegionView{Period: span.String(), Basis: BasisAccepted, Countries: []calculators.RegionViewCountry{}}
	names := map[string]string{}
	v.Coverage = calculators.RegionViewCoverage{Counted: []string{}, Partial: []calculators.PartialOperator{}}
	for c := range n {
		cc := regionCodes[c]
		country := calculators.RegionViewCountry{Country: cc, Name: "Communications Authority of " + cc, Figures: map[string]calculators.Value{},
			Coverage: calculators.RegionViewCoverage{Due: m + 2, Filed: m + 1, Accepted: m, Counted: []string{}, Partial: []calculators.PartialOperator{}}}
		switch cc {
		case "JP":
			country.Name = "Ministry of Internal Affairs and Communications (総務省)"
		case "TH":
			country.Name = "Office of the NBTC (สำนักงาน กสทช.)"
		}
		for o := range m {
			id := fmt.Sprintf("op-%s-%02d", strings.ToLower(cc), o+1)
			names[id] = fmt.Sprintf("%s Telecommunications Operator %d Limited", cc, o+1)
			if cc == "JP" && o == 0 {
				names[id] = "星空通信株式会社"
			}
			country.Coverage.Counted = append(country.Coverage.Counted, id)
			if span.IsYear() && o%5 == 4 {
				p := calculators.PartialOperator{Operator: id, Quarters: []string{span.Quarters()[3].String()},
					Missing: []string{span.Quarters()[0].String(), span.Quarters()[1].String(), span.Quarters()[2].String()}}
				country.Coverage.Partial = append(country.Coverage.Partial, p)
				v.Coverage.Partial = append(v.Coverage.Partial, p)
			}
		}
		for i, h := range heads {
			val := calculators.Some(decimal.New(int64(1000*(c+1)+37*i), -2))
			if h.Intensity && i == len(heads)-1 && c%3 == 0 {
				val = calculators.None
			}
			country.Figures[h.Key] = val
		}
		v.Countries = append(v.Countries, country)
		v.Coverage.Due += country.Coverage.Due
		v.Coverage.Filed += country.Coverage.Filed
		v.Coverage.Accepted += country.Coverage.Accepted
		v.Coverage.Counted = append(v.Coverage.Counted, country.Coverage.Counted...)
	}
	v.Coverage.Due += 3 // a country with operators due and none accepted
	slices.Sort(v.Coverage.Counted)
	for i, h := range heads {
		m := calculators.RegionViewMetric{Key: h.Key, Label: h.Label, Unit: h.Unit, Intensity: h.Intensity,
			Region: calculators.Some(decimal.New(int64(99_000+i), -1))}
		var ds []decimal.Decimal
		for _, c := range v.Countries {
			if f := c.Figures[h.Key]; f.OK {
				ds = append(ds, f.D)
			}
		}
		m.Reporting = len(ds)
		if h.Intensity {
			med := calculators.None
			if len(ds) > 0 {
				med = calculators.Some(calculators.Median(ds))
			}
			m.Median = &med
		}
		v.Metrics = append(v.Metrics, m)
	}
	return v, names
}

// regionRecordOf is the record of view, of the first at entries whose
// tree hash is root.
func regionRecordOf(t testing.TB, view *calculators.RegionView, names map[string]string, at uint64, root tlog.Hash) *ledger.RegionRecorded {
	t.Helper()
	raw, err := ledger.Canonical(view)
	if err != nil {
		t.Fatal(err)
	}
	rec := &ledger.RegionRecorded{Period: view.Period, At: at, Root: root.String(), View: raw, Operators: names,
		FactorSets: []string{}, GWP: []string{}, Methodology: []string{}}
	if len(names) > 0 {
		rec.FactorSets, rec.GWP, rec.Methodology = []string{"apt-2026.1"}, []string{"AR6"}, []string{ledger.Methodology20261}
	}
	return rec
}

// testLog is a log of entries kept in memory, its tree hashed as the
// ledger hashes it, signed with its own key.
type testLog struct {
	t       testing.TB
	records [][]byte
	hashes  []tlog.Hash
	signer  note.Signer
	vkey    string
}

// newTestLog starts a log signed by a key made from seed: the same seed
// gives the same key, and so the same signed bytes.
func newTestLog(t testing.TB, seed io.Reader) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(seed, "ictledger-test")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return &testLog{t: t, signer: signer, vkey: vkey}
}

func (l *testLog) reader() tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = l.hashes[x]
		}
		return out, nil
	})
}

// add appends raw as the log's next record.
func (l *testLog) add(raw []byte) uint64 {
	seq := int64(len(l.records))
	hs, err := tlog.StoredHashes(seq, raw, l.reader())
	if err != nil {
		l.t.Fatal(err)
	}
	l.hashes = append(l.hashes, hs...)
	l.records = append(l.records, raw)
	return uint64(seq)
}

// fill appends filler records until the log holds n.
func (l *testLog) fill(n uint64) {
	for uint64(len(l.records)) < n {
		l.add(fmt.Appendf(nil, "entry %d", len(l.records)))
	}
}

// addEntry appends an entry of kind with payload v, at a ledger time
// that grows with its sequence number.
func (l *testLog) addEntry(kind ledger.Kind, v any) uint64 {
	seq := uint64(len(l.records))
	raw, err := ledger.EncodeEntry(seq, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC).Add(time.Duration(seq)*time.Minute), ledger.SystemActor, kind, v)
	if err != nil {
		l.t.Fatal(err)
	}
	return l.add(raw)
}

func (l *testLog) treeHash(n uint64) tlog.Hash {
	h, err := tlog.TreeHash(int64(n), l.reader())
	if err != nil {
		l.t.Fatal(err)
	}
	return h
}

// bundle is the region_v2 bundle of the given entries, proved in the
// log as it stands under a checkpoint signed by its key.
func (l *testLog) bundle(period string, seqs ...uint64) *Bundle {
	size := int64(len(l.records))
	msg, err := checkpoint.Sign(l.signer, "ictledger-test", uint64(size), l.treeHash(uint64(size)))
	if err != nil {
		l.t.Fatal(err)
	}
	b := &Bundle{Format: Format, Document: DocRegion, Template: templates.RegionTemplateV2, Period: period, Basis: BasisAccepted, Checkpoint: string(msg)}
	for _, seq := range seqs {
		proof, err := tlog.ProveRecord(size, int64(seq), l.reader())
		if err != nil {
			l.t.Fatal(err)
		}
		b.Entries = append(b.Entries, NewBundleEntry(seq, l.records[seq], proof))
	}
	return b
}

// recordLog is a log of at filler entries, then the record of view at
// that point, then five more: the bundle of that record and the log.
func recordLog(t testing.TB, seed io.Reader, view *calculators.RegionView, names map[string]string, at uint64) (*Bundle, *testLog) {
	t.Helper()
	l := newTestLog(t, seed)
	l.fill(at)
	seq := l.addEntry(ledger.KindRegionRecorded, regionRecordOf(t, view, names, at, l.treeHash(at)))
	l.fill(seq + 6)
	return l.bundle(view.Period, seq), l
}

// fixedSeed is the seed of the pinned region_v2 fixture's key.
func fixedSeed() io.Reader { return bytes.NewReader(bytes.Repeat([]byte{0x5e}, 64)) }

// The region_v2 document of a record proved in a real log renders to the
// same bytes every time (pinned in testdata, as every released layout),
// and verifies offline with the log's key.
func TestRegionV2RenderIsPinned(t *testing.T) {
	const name = "testdata/region-bundle-v2.json"
	if *update {
		view, names := regionTestView(ledger.Span{Year: 2026, Quarter: 3}, 3, 2)
		b, l := recordLog(t, fixedSeed(), view, names, 40)
		raw, err := json.MarshalIndent(b, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/region-v2.pub", []byte(l.vkey+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := fixtureBundle(t, filepath.Base(name))
	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := Render(b); err != nil || !bytes.Equal(pdf, again) {
		t.Fatalf("two renders differ (err %v)", err)
	}
	sum := sha256.Sum256(pdf)
	got := hex.EncodeToString(sum[:])
	if *update {
		if err := os.WriteFile("testdata/region-bundle-v2.sha256", []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/region-bundle-v2.sha256")
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Fatalf("rendered bytes changed: sha256 %s, golden %s", got, strings.TrimSpace(string(want)))
	}
	key, err := os.ReadFile("testdata/region-v2.pub")
	if err != nil {
		t.Fatal(err)
	}
	res := Verify(pdf, strings.TrimSpace(string(key)))
	if !res.Valid || len(res.Entries) != 1 || res.Entries[0].Kind != string(ledger.KindRegionRecorded) || !res.Entries[0].Included {
		t.Fatalf("the pinned region_v2 document does not verify: %+v", res)
	}
}

// verifyRegionV2 renders a PDF of view model source carrying the
// attachment of carried (the render of a real document whose proof was
// swapped) and verifies it with vkey, counting renders.
func verifyRegionV2(t *testing.T, source, carried *Bundle, vkey string) (*Result, int) {
	t.Helper()
	in, err := bundleInputs(source)
	if err != nil {
		t.Fatal(err)
	}
	v, err := regionReportV2(source, in)
	if err != nil {
		t.Fatal(err)
	}
	att, err := carried.Encode()
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := templates.RenderRegionReportV2(v, att)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	res, err := VerifyWith(pdf, vkey, counting(&calls))
	if err != nil {
		t.Fatal(err)
	}
	return res, calls
}

// wantProblem checks that res is not valid and names want.
func wantProblem(t *testing.T, res *Result, want string) {
	t.Helper()
	if res.Valid || !slices.ContainsFunc(res.Problems, func(p string) bool { return strings.Contains(p, want) }) {
		t.Fatalf("valid %v, problems %q; want one saying %q", res.Valid, res.Problems, want)
	}
}

// A region_v2 document verifies when it is the rendering of a record the
// signed log holds, and is refused, naming the problem, when its record
// was changed (its proof fails), when the figures it shows are not its
// record's (signed by the same log: the bytes differ), when its bundle
// holds a second entry, when a record is put in another document, or
// when a region_v1 bundle claims layout region_v2.
func TestRegionV2Verify(t *testing.T) {
	span := ledger.Span{Year: 2025, Quarter: 3}
	view, names := regionTestView(span, 4, 3)
	b, l := recordLog(t, fixedSeed(), view, names, 30)
	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if res := Verify(pdf, l.vkey); !res.Valid || res.Document != DocRegion || res.Period != "2025-Q3" {
		t.Fatalf("the document of a record does not verify: %+v", res)
	}
	firstFigure := view.Countries[0].Figures["e1.energy_total_mwh"].D.String()

	t.Run("a changed figure in the record", func(t *testing.T) {
		edited := editEntry(t, b, b.Entries[0].Seq, func(raw []byte) []byte {
			return bytes.Replace(raw, []byte(`"`+firstFigure+`"`), []byte(`"9`+firstFigure+`"`), 1)
		})
		res, calls := verifyRegionV2(t, b, edited, l.vkey)
		wantRefusedUnrendered(t, res, nil, calls, "the inclusion proof does not check against the checkpoint")
	})

	t.Run("figures not those of the record", func(t *testing.T) {
		// The same log records another view later; the document shows
		// it and attaches the first record, both signed and included.
		other, _ := regionTestView(span, 4, 3)
		other.Countries[0].Figures["e1.energy_total_mwh"] = calculators.Some(decimal.RequireFromString("123456.78"))
		seq := l.addEntry(ledger.KindRegionRecorded, regionRecordOf(t, other, names, uint64(len(l.records)), l.treeHash(uint64(len(l.records)))))
		shown := l.bundle("2025-Q3", seq)
		attached := l.bundle("2025-Q3", b.Entries[0].Seq)
		res, calls := verifyRegionV2(t, shown, attached, l.vkey)
		if calls != 1 {
			t.Fatalf("rendered %d times", calls)
		}
		wantProblem(t, res, "the document's bytes differ")
	})

	t.Run("a second entry", func(t *testing.T) {
		op := l.addEntry(ledger.KindOperatorRegistered, ledger.Operator{ID: "op-au-99", Name: "Another Operator", Country: "AU"})
		two := l.bundle("2025-Q3", b.Entries[0].Seq, op)
		res, calls := verifyRegionV2(t, b, two, l.vkey)
		wantRefusedUnrendered(t, res, nil, calls, "a region_v2 report attaches exactly one entry, its region.recorded record; this bundle attaches 2")
		if _, err := Render(two); err == nil || !strings.Contains(err.Error(), "exactly one entry") {
			t.Fatalf("Render: %v", err)
		}
	})

	t.Run("a record in a sector report", func(t *testing.T) {
		sector := l.bundle("2025-Q3", b.Entries[0].Seq)
		sector.Document, sector.Template, sector.Basis = DocSector, templates.SectorTemplateV3, ""
		res, calls := verifyRegionV2(t, b, sector, l.vkey)
		wantRefusedUnrendered(t, res, nil, calls, "a region.recorded entry belongs only in a region_v2 report, not in a sector document")
		if _, err := Render(sector); err == nil || !strings.Contains(err.Error(), "belongs only in a region_v2") {
			t.Fatalf("Render: %v", err)
		}
	})

	t.Run("a record in a region_v1 report", func(t *testing.T) {
		v1 := l.bundle("2025-Q3", b.Entries[0].Seq)
		v1.Template, v1.CountedAt = templates.RegionTemplateVersion, v1.Entries[0].Seq
		if _, err := Render(v1); err == nil || !strings.Contains(err.Error(), `belongs only in a region_v2 report, not in a region document of layout "region_v1"`) {
			t.Fatalf("Render: %v", err)
		}
	})

	t.Run("a region_v1 bundle claiming region_v2", func(t *testing.T) {
		v1 := fixtureBundle(t, "region-bundle.json")
		claims := fixtureBundle(t, "region-bundle.json")
		claims.Template = templates.RegionTemplateV2
		att, err := claims.Encode()
		if err != nil {
			t.Fatal(err)
		}
		v, err := regionReport(v1, testInputs(t, v1))
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := templates.RenderRegionReport(v, att)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		res, err := VerifyWith(pdf, fixtureKey(t), counting(&calls))
		wantRefusedUnrendered(t, res, err, calls, "a region_v2 report attaches exactly one entry, its region.recorded record; this bundle attaches 4 (factor_set.published")
	})
}

// Render holds a region_v2 bundle to what its record says: nothing of
// its own beside it.
func TestRegionV2BundleRules(t *testing.T) {
	view, names := regionTestView(ledger.Span{Year: 2025, Quarter: 3}, 2, 2)
	b, l := recordLog(t, fixedSeed(), view, names, 12)
	seq := b.Entries[0].Seq
	for _, tc := range []struct {
		name string
		edit func(*Bundle)
		want string
	}{
		{"as issued", func(*Bundle) {}, ""},
		{"every return", func(b *Bundle) { b.Basis = "" }, "accepted returns only"},
		{"coverage of its own", func(b *Bundle) { b.Coverage = map[string]RegionCounts{"AU": {Due: 9, Filed: 9}} }, "takes its coverage from its record"},
		{"a counting point", func(b *Bundle) { b.CountedAt = 12 }, "takes its coverage from its record"},
		{"another period", func(b *Bundle) { b.Period = "2025-Q4" }, `the bundle is of period "2025-Q4", its record (entry 12) of "2025-Q3"`},
		{"a GWP of its own", func(b *Bundle) { b.GWP = "AR5" }, "says only what its record says"},
		{"a checkpoint before the record", func(b *Bundle) {
			msg, err := checkpoint.Sign(l.signer, "ictledger-test", seq, l.treeHash(seq))
			if err != nil {
				t.Fatal(err)
			}
			b.Checkpoint = string(msg)
		}, "the checkpoint's tree of 12 entries does not hold the record, entry 12"},
		{"no entry", func(b *Bundle) { b.Entries = nil }, "attaches exactly one entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *b
			c.Entries = slices.Clone(b.Entries)
			tc.edit(&c)
			_, err := Render(&c)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A record is read strictly: what it holds is bounded, each country is
// listed once, the metrics are the regional view's, every counted
// operator is named, and a figure is a plain decimal.
func TestRegionRecordDecodesStrictly(t *testing.T) {
	span := ledger.Span{Year: 2025}
	root := tlog.Hash{1}
	for _, tc := range []struct {
		name string
		edit func(v *calculators.RegionView, r *ledger.RegionRecorded)
		raw  func(raw []byte) []byte // edits the view's bytes
		want string
	}{
		{"as written", nil, nil, ""},
		{"an unknown field", nil, func(raw []byte) []byte {
			return bytes.Replace(raw, []byte(`{"basis"`), []byte(`{"extra":1,"basis"`), 1)
		}, `unknown field "extra"`},
		{"an exponent", nil, func(raw []byte) []byte {
			return bytes.Replace(raw, []byte(`"region":"9900`), []byte(`"region":"1e9`), 1)
		}, "without an exponent"},
		{"a figure of 4,097 digits", nil, func(raw []byte) []byte {
			return bytes.Replace(raw, []byte(`"region":"9900`), []byte(`"region":"`+strings.Repeat("9", 4097)), 1)
		}, "a string of 4097 bytes, over 4096"},
		{"a figure of 100 digits", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			v.Metrics[0].Region = calculators.Some(decimal.RequireFromString(strings.Repeat("9", 100)))
		}, nil, "has over 64 digits"},
		{"another period", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Period = "2024" }, nil, `the view is of "2024"`},
		{"a metric missing", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Metrics = v.Metrics[1:] }, nil, "the view has 12 metrics"},
		{"a metric relabelled", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Metrics[2].Label = "Something else" }, nil, `metric 2 is "e1.scope2_location_tco2e" ("Something else"`},
		{"a median of a sum", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Metrics[0].Median = &v.Metrics[0].Region }, nil, "a median is given for intensities only"},
		{"an intensity no country reports", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			for _, c := range v.Countries {
				c.Figures["e3.backup_ge_8h_pct"] = calculators.None
			}
			m := &v.Metrics[len(v.Metrics)-1]
			m.Region, m.Reporting, m.Median = calculators.None, 0, &calculators.None
		}, nil, ""},
		{"reporting miscounted", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Metrics[0].Reporting++ }, nil, "countries reporting, but"},
		{"a country twice", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			v.Countries[1].Country = v.Countries[0].Country
		}, nil, "follows AU: the countries are listed once each"},
		{"no such country", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Countries[0].Country = "XX" }, nil, `country "XX" is not an ISO 3166-1`},
		{"a long name", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			v.Countries[0].Name = strings.Repeat("名", 1001)
		}, nil, "1001 characters, over 1000"},
		{"an operator counted twice", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			v.Countries[1].Coverage.Counted[0] = v.Countries[0].Coverage.Counted[0]
		}, nil, "is counted in AU and in BD"},
		{"more accepted than filed", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Countries[0].Coverage.Filed = 1 }, nil, "country AU: 3 accepted, 1 filed"},
		{"a figure missing", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			delete(v.Countries[0].Figures, "e1.scope1_tco2e")
		}, nil, "country AU has 12 figures"},
		{"the region not adding up", func(v *calculators.RegionView, _ *ledger.RegionRecorded) { v.Coverage.Filed-- }, nil, "does not add its countries'"},
		{"an operator not named", func(_ *calculators.RegionView, r *ledger.RegionRecorded) { delete(r.Operators, "op-au-01") }, nil, "the record names 5 operators; the view counts 6"},
		{"a partial quarter of another year", func(v *calculators.RegionView, _ *ledger.RegionRecorded) {
			v.Coverage.Partial = []calculators.PartialOperator{{Operator: "op-au-01", Quarters: []string{"2024-Q4"}, Missing: []string{"2025-Q1"}}}
		}, nil, `quarter "2024-Q4" is not one of 2025`},
		{"an unknown methodology", func(_ *calculators.RegionView, r *ledger.RegionRecorded) { r.Methodology = []string{"1999.1"} }, nil, `unknown methodology "1999.1"`},
		{"factor sets out of order", func(_ *calculators.RegionView, r *ledger.RegionRecorded) { r.FactorSets = []string{"b", "a"} }, nil, `"a" follows "b"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			view, names := regionTestView(span, 2, 3)
			rec := regionRecordOf(t, view, names, 7, root)
			if tc.edit != nil {
				tc.edit(view, rec)
				raw, err := ledger.Canonical(view)
				if err != nil {
					t.Fatal(err)
				}
				rec.View = raw
			}
			if tc.raw != nil {
				edited := tc.raw(rec.View)
				if bytes.Equal(edited, rec.View) {
					t.Fatal("the edit changed nothing")
				}
				rec.View = edited
			}
			raw, err := ledger.EncodeEntry(9, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindRegionRecorded, rec)
			if err != nil {
				t.Fatal(err)
			}
			e, err := ledger.DecodeEntry(raw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = decodeRecord(e)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLongestString measures JSON strings as written.
func TestLongestString(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want int
	}{
		{`{}`, 0},
		{`{"a":"bcd"}`, 3},
		{`{"a":"b\"cd\\"}`, 7},
		{`["x","\\\\",""]`, 4},
	} {
		if got := longestString([]byte(c.raw)); got != c.want {
			t.Errorf("longestString(%s) = %d, want %d", c.raw, got, c.want)
		}
	}
}

// A record of a year of forty countries of fifty operators each renders
// and verifies; with REGION_V2_PDF_DIR set the document is written there
// to be looked at.
func TestRegionV2Large(t *testing.T) {
	view, names := regionTestView(ledger.Span{Year: 2025}, 40, 50)
	b, l := recordLog(t, fixedSeed(), view, names, 175_000)
	pdf, err := Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if res := Verify(pdf, l.vkey); !res.Valid {
		t.Fatalf("does not verify: %q", res.Problems)
	}
	att, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bundle %d bytes, document %d bytes", len(att), len(pdf))
	if dir := os.Getenv("REGION_V2_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "region_v2_record_40x50.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// go test ./disclosure -run '^$' -bench RegionV2 -benchmem
//
// The record of a year of 40 countries of 50 operators (a region of
// 2,000), and of 1,000 operators each (40,000: a bundle of about 6 MB).
func BenchmarkRenderRegionV2(b *testing.B) {
	for _, m := range []int{50, 1000} {
		b.Run(fmt.Sprintf("40x%d", m), func(b *testing.B) {
			view, names := regionTestView(ledger.Span{Year: 2025}, 40, m)
			bundle, _ := recordLog(b, fixedSeed(), view, names, 1000)
			att, err := bundle.Encode()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var pdf []byte
			for b.Loop() {
				if pdf, err = Render(bundle); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(att)), "bundle-bytes")
			b.ReportMetric(float64(len(pdf)), "pdf-bytes")
		})
	}
}

// FuzzDecodeRecord reads views as a record holds them: whatever the
// bytes, decodeRecord returns a record or an error, and a record it
// returns draws: its view model builds and every count it states is one
// it checked.
//
//	go test ./disclosure -run '^$' -fuzz FuzzDecodeRecord -fuzztime 30s
func FuzzDecodeRecord(f *testing.F) {
	for _, span := range []ledger.Span{{Year: 2025, Quarter: 3}, {Year: 2025}} {
		view, _ := regionTestView(span, 2, 2)
		raw, err := ledger.Canonical(view)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`{"period":"2025","basis":"accepted","metrics":[],"countries":[],"coverage":{"due":0,"filed":0,"accepted":0,"counted":[],"partial":[]}}`))
	names := map[string]string{"op-au-01": "AU Telecommunications Operator 1 Limited", "op-au-02": "AU Telecommunications Operator 2 Limited",
		"op-bd-01": "BD Telecommunications Operator 1 Limited", "op-bd-02": "BD Telecommunications Operator 2 Limited"}
	f.Fuzz(func(t *testing.T, view []byte) {
		var v calculators.RegionView
		if json.Unmarshal(view, &v) != nil || len(view) == 0 || view[0] != '{' {
			return
		}
		rec := &ledger.RegionRecorded{Period: v.Period, At: 7, Root: tlog.Hash{1}.String(), View: view, Operators: names,
			FactorSets: []string{"apt-2026.1"}, GWP: []string{"AR6"}, Methodology: []string{ledger.Methodology20261}}
		raw, err := ledger.EncodeEntry(9, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), ledger.SystemActor, ledger.KindRegionRecorded, rec)
		if err != nil {
			return
		}
		e, err := ledger.DecodeEntry(raw)
		if err != nil {
			return
		}
		r, err := decodeRecord(e)
		if err != nil {
			return
		}
		heads := len(calculators.RegionHeadlines())
		if len(r.view.Metrics) != heads || len(r.view.Countries) > 26*26 {
			t.Fatalf("a record of %d metrics and %d countries passed", len(r.view.Metrics), len(r.view.Countries))
		}
		for _, c := range r.view.Countries {
			if len(c.Figures) != heads || c.Coverage.Accepted != len(c.Coverage.Counted) {
				t.Fatalf("country %s passed with %d figures, %d accepted of %d counted", c.Country, len(c.Figures), c.Coverage.Accepted, len(c.Coverage.Counted))
			}
			for _, id := range c.Coverage.Counted {
				if r.Operators[id] == "" {
					t.Fatalf("operator %s passed unnamed", id)
				}
			}
		}
	})
}
