package service_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// sectorOperators is how many operators the cache test files for.
const sectorOperators = 8

// TestSectorViewServedFromCacheOnSecondRequest: with a result cache of
// 64 KiB an operator and eight operators' example returns, the first
// sector view computes every operator's roll-up, and the second is
// answered from the cache without a miss. Before, the cache reckoned an
// operator's metrics at 256 KiB and its roll-up at 64 KiB; measured,
// they are about 88 kB and 37 kB, but keeping both still outgrows 64 KiB
// an operator, and a view of more operators than the cache holds evicted
// its own entries and missed every one on the next request (as the
// all-country view of 2,000 operators did in 256 MiB). The roll-up no
// longer keeps the quarter's metrics it is computed from.
func TestSectorViewServedFromCacheOnSecondRequest(t *testing.T) {
	env := servicetest.NewConfigured(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC),
		service.Config{CacheBytes: sectorOperators * (64 << 10)})
	for i := range sectorOperators {
		id := "op-" + string(rune('a'+i))
		env.File(env.Operator(id, "Operator "+id, "JP"), servicetest.ExampleReturn(t, id, "2025-Q3"))
	}
	reg := env.Actor(env.Token(ledger.RoleRegulator))
	q3 := ledger.Span{Year: 2025, Quarter: 3}
	if _, err := env.Service.SectorMetrics(reg, q3, ""); err != nil {
		t.Fatal(err)
	}
	before := service.ResultCacheMisses(env.Service)
	sec, err := env.Service.SectorMetrics(reg, q3, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sec.Rows) != sectorOperators {
		t.Fatalf("%d rows, want %d", len(sec.Rows), sectorOperators)
	}
	if missed := service.ResultCacheMisses(env.Service) - before; missed != 0 {
		t.Errorf("the second sector view missed the cache %d times", missed)
	}
}

// TestHeldBytesOfMetrics: the reckoning of an example return's metrics is
// within a factor of two of the heap they take, measured by keeping many
// copies (the cache bounds memory by it, so a gross under-count would
// let it grow past its bound).
func TestHeldBytesOfMetrics(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	const n = 20
	kept := make([]*calculators.Metrics, 0, n)
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range n {
		m, err := service.FreshMetrics(env.Service, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, m)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	heap := int64(m1.HeapAlloc-m0.HeapAlloc) / n
	start := time.Now()
	held := service.HeldBytes(kept[0])
	t.Logf("metrics of the example return: heldBytes %d (reckoned in %v), heap %d per copy", held, time.Since(start), heap)
	if held < heap/2 || held > heap*2 {
		t.Errorf("heldBytes %d, heap %d per copy: more than a factor of two apart", held, heap)
	}
	runtime.KeepAlive(kept)
}
