package state_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
)

// BenchmarkRebuild measures what a restart of the server spends on the
// ledger: opening a journal of return filings (every frame read,
// CRC-checked, hashed and chained, the tree rebuilt) and rebuilding the
// state from it. The filings are the example return (about 3.7 kB an
// entry) for 256 operators over 16 quarters: the first 4,096 fill the
// quarters and every later filing restates one (96 % of 100,000), so the
// state is mostly superseded versions, which keep only their facts.
// ICTLEDGER_BENCH_RECORDS sets the number of filings (default
// 100,000; the journal is written once, with group commit, before the
// timer starts).
func BenchmarkRebuild(b *testing.B) {
	n := 100_000
	if s := os.Getenv("ICTLEDGER_BENCH_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	start := time.Now()
	writeFilings(b, dir, n)
	b.Logf("wrote %d filings in %v", n, time.Since(start))
	b.ResetTimer()
	for b.Loop() {
		st := state.New()
		r := st.NewReplay()
		j, err := journal.Open(dir, journal.Options{Prepare: r.Prepare, Replay: r.ApplyPrepared})
		if err != nil {
			b.Fatal(err)
		}
		r.Finish()
		if st.Size() != j.Size() {
			b.Fatalf("state has %d of %d entries", st.Size(), j.Size())
		}
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB") // the state and the tree
		b.ReportMetric(float64(j.Size()), "entries")
		runtime.KeepAlive(st)
		j.Close()
		b.StartTimer()
	}
}

// writeFilings appends the operators and n filings of the example return
// to a journal in dir, one goroutine per 16 operators so that group commit
// keeps the fsyncs few.
func writeFilings(b *testing.B, dir string, n int) {
	const operators, quarters, writers = 256, 16, 16
	j, err := journal.Open(dir, journal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	var ret map[string]json.RawMessage
	if err := json.Unmarshal(fixtures.ExampleReturn(), &ret); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	appendEntry := func(kind ledger.Kind, payload []byte) {
		_, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) {
			return ledger.EncodeEntryRaw(seq, at.Add(time.Duration(seq)*time.Second), ledger.SystemActor, kind, payload)
		})
		if err != nil {
			b.Error(err)
		}
	}
	canonical := func(v any) []byte {
		out, err := ledger.Canonical(v)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	for i := range operators {
		appendEntry(ledger.KindOperatorRegistered, canonical(ledger.Operator{ID: fmt.Sprintf("op-%03d", i), Name: "Operator", Country: "JP", Kinds: []string{"mobile"}}))
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			latest := map[string]string{}
			version := map[string]int{}
			for k := w; k < n; k += writers {
				op := fmt.Sprintf("op-%03d", k%operators)
				// The quarters fill up after 4,096 filings; from then on
				// every filing restates (k%8 == 7 piles onto Q1 2022).
				q := k / operators % quarters
				if k%8 == 7 {
					q = 0
				}
				p := ledger.Period{Year: 2022 + q/4, Quarter: 1 + q%4}
				key := op + p.String()
				version[key]++
				id := ledger.ReturnID(op, p, version[key])
				r := make(map[string]json.RawMessage, len(ret))
				for f, v := range ret {
					r[f] = v
				}
				r["operator"], _ = json.Marshal(op)
				r["period"], _ = json.Marshal(p.String())
				payload := map[string]any{"id": id, "version": version[key], "factor_set": "apt-2025.1",
					"warnings": []ledger.Warning{}, "return": r}
				kind := ledger.KindReturnFiled
				if prev := latest[key]; prev != "" {
					kind = ledger.KindReturnRestated
					payload["supersedes"] = prev
					r["reason"], _ = json.Marshal("restatement " + strconv.Itoa(k))
				}
				appendEntry(kind, canonical(payload))
				latest[key] = id
			}
		})
	}
	wg.Wait()
}

// BenchmarkFiguresMemory reports what the figures table (state.Figures,
// the derived figures of a filing's checks) costs in memory when every
// one of 100,000 latest versions has its figures: 1,000 operators over
// 100 quarters, five figures each as a filing stores them.
func BenchmarkFiguresMemory(b *testing.B) {
	const operators, quarters = 1000, 100
	for b.Loop() {
		st := state.New()
		r := st.NewReplay()
		seq := uint64(0)
		apply := func(kind ledger.Kind, payload any) {
			raw, err := ledger.EncodeEntry(seq, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ledger.SystemActor, kind, payload)
			if err != nil {
				b.Fatal(err)
			}
			if err := r.Apply(seq, raw, ledger.LeafHash(raw)); err != nil {
				b.Fatal(err)
			}
			seq++
		}
		apply(ledger.KindFactorSetPublished, ledger.FactorSet{Version: "f1"})
		var ids []string
		for o := range operators {
			op := fmt.Sprintf("op-%04d", o)
			apply(ledger.KindOperatorRegistered, ledger.Operator{ID: op, Name: "Op", Country: "JP", Kinds: []string{"mobile"}})
			for q := range quarters {
				p := ledger.Period{Year: 2000 + q/4, Quarter: 1 + q%4}
				id := ledger.ReturnID(op, p, 1)
				apply(ledger.KindReturnFiled, ledger.ReturnFiled{ID: id, Version: 1, FactorSet: "f1",
					Return: ledger.Return{Operator: op, Period: p}})
				ids = append(ids, id)
			}
		}
		r.Finish()
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for i, id := range ids {
			v := decimal.New(int64(1000+i), -3)
			st.PutFigures(&state.Figures{ReturnID: id, FactorSet: "f1", Values: map[string]decimal.Decimal{
				"e1.energy_total_mwh": v, "e1.scope1_tco2e": v, "e1.scope2_location_tco2e": v,
				"e2.total.collected_kg": v, "e1.network_energy_per_tb_kwh": v}})
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "figures-MB")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(ids)), "B/row")
		runtime.KeepAlive(st)
		b.StartTimer()
	}
}
