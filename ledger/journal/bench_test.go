package journal

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// countingFS counts fsyncs of the journal file, to report how many
// records each fsync covered.
type countingFS struct {
	OSFS
	syncs    atomic.Int64
	syncTime atomic.Int64 // nanoseconds spent in fsync
}

func (c *countingFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := c.OSFS.OpenFile(name, flag, perm)
	if err != nil || filepath.Base(name) != walName {
		return f, err
	}
	return &countingFile{File: f, fs: c}, nil
}

type countingFile struct {
	File
	fs *countingFS
}

func (f *countingFile) Sync() error {
	start := time.Now()
	err := f.File.Sync()
	f.fs.syncs.Add(1)
	f.fs.syncTime.Add(int64(time.Since(start)))
	return err
}

// BenchmarkAppend measures durable appends (fsync on) of 2 KB records
// from 1, 16 and 256 concurrent writers.
func BenchmarkAppend(b *testing.B) {
	rec := make([]byte, 2048)
	for i := range rec {
		rec[i] = byte(i * 7)
	}
	for _, writers := range []int{1, 16, 256} {
		b.Run("writers="+strconv.Itoa(writers), func(b *testing.B) {
			fsys := &countingFS{}
			j := openT(b, b.TempDir(), Options{FS: fsys})
			defer j.Close()
			before, beforeTime := fsys.syncs.Load(), fsys.syncTime.Load()
			var next atomic.Int64
			b.SetBytes(int64(len(rec)))
			b.ResetTimer()
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if _, err := j.Append(context.Background(), func(uint64) ([]byte, error) { return rec, nil }); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
			if syncs := fsys.syncs.Load() - before; syncs > 0 {
				b.ReportMetric(float64(b.N)/float64(syncs), "records/fsync")
				// The share of wall time the writer spent waiting for
				// fsync: near 1 means the disk, not the code, sets the pace.
				b.ReportMetric(float64(fsys.syncTime.Load()-beforeTime)/float64(b.Elapsed()), "fsync-share")
			}
		})
	}
}

// benchRecords is the number of records of the replay and proof
// benchmarks: ICTLEDGER_BENCH_RECORDS, default 1,000,000.
func benchRecords(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("ICTLEDGER_BENCH_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// writeJournal writes a journal of n records of size bytes straight to
// dir, without the writer's per-batch fsync, so that a million-record
// fixture takes seconds rather than minutes. The frames are exactly what
// Append writes.
func writeJournal(b *testing.B, dir string, n, size int) {
	f, err := os.Create(filepath.Join(dir, walName))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 4<<20)
	tab := castagnoli()
	w.Write(encodeFileHeader(tab))
	rng := rand.New(rand.NewPCG(1, 2))
	rec := make([]byte, size)
	var chain [32]byte
	var hdr []byte
	for seq := 0; seq < n; seq++ {
		for i := 0; i < len(rec); i += 8 {
			v := rng.Uint64()
			for k := 0; k < 8 && i+k < len(rec); k++ {
				rec[i+k] = byte(v >> (8 * k))
			}
		}
		chain = nextChain(chain, tlog.RecordHash(rec))
		hdr = appendFrameHeader(hdr[:0], uint64(seq), chain, rec, tab)
		w.Write(hdr)
		w.Write(rec)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReplay measures Open of a journal of 1,000,000 records of 2 KB
// (2 GB): every frame read, CRC-checked, hashed, chained and replayed, and
// the tree rebuilt. heap-MB is the live heap the open journal holds.
func BenchmarkReplay(b *testing.B) {
	n := benchRecords(b)
	dir := b.TempDir()
	start := time.Now()
	writeJournal(b, dir, n, 2048)
	b.Logf("wrote %d records in %v", n, time.Since(start))
	b.SetBytes(int64(n) * (2048 + frameHeaderSize))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var replayed int
		j := openT(b, dir, Options{Replay: func(uint64, []byte, tlog.Hash, any) error { replayed++; return nil }})
		if replayed != n {
			b.Fatalf("replayed %d of %d", replayed, n)
		}
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		j.Close()
		b.StartTimer()
	}
}

// BenchmarkProofs measures inclusion and consistency proof generation on
// a journal of 1,000,000 records (64-byte records: proofs do not read
// records, only the stored hashes).
func BenchmarkProofs(b *testing.B) {
	n := benchRecords(b)
	dir := b.TempDir()
	writeJournal(b, dir, n, 64)
	j := openT(b, dir, Options{})
	defer j.Close()
	size := uint64(n)
	rng := rand.New(rand.NewPCG(3, 4))
	b.Run(fmt.Sprintf("inclusion/size=%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := j.InclusionProof(rng.Uint64N(size), size); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("consistency/to=%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := j.ConsistencyProof(1+rng.Uint64N(size-1), size); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("treehash/size=%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := j.TreeHash(1 + rng.Uint64N(size)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
