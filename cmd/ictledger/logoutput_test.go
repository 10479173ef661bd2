package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLogOutputBatchesAndFlushes(t *testing.T) {
	var sink syncBuffer
	// A flush period longer than the test: only a warning, a full
	// batch or close may write.
	out := newLogOutput(&sink, time.Hour)
	log := slog.New(flushingHandler{Handler: slog.NewTextHandler(out, nil), out: out})

	log.Info("first")
	log.Info("second")
	if got := sink.String(); got != "" {
		t.Fatalf("info lines were written at once, not batched: %q", got)
	}
	// A warning is written before Warn returns, with everything before it.
	log.With("component", "journal").Warn("disk full")
	got := sink.String()
	i, j, k := strings.Index(got, "msg=first"), strings.Index(got, "msg=second"), strings.Index(got, "msg=\"disk full\" component=journal")
	if i < 0 || j < i || k < j {
		t.Fatalf("after a warning, want first, second, the warning in order:\n%s", got)
	}

	log.Info("third")
	if err := out.close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sink.String(), "msg=third") {
		t.Fatalf("close did not write the last line:\n%s", sink.String())
	}
	// After close, lines go straight out.
	log.Info("fourth")
	if !strings.Contains(sink.String(), "msg=fourth") {
		t.Fatalf("a line after close was kept back:\n%s", sink.String())
	}
}

// Info lines reach the output within a few flush periods by themselves.
func TestLogOutputFlushesOnItsOwn(t *testing.T) {
	var sink syncBuffer
	out := newLogOutput(&sink, flushEvery)
	defer out.close()
	slog.New(slog.NewTextHandler(out, nil)).Info("alone")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(sink.String(), "msg=alone") {
		if time.Now().After(deadline) {
			t.Fatalf("an info line was not flushed within 5 s:\n%s", sink.String())
		}
		time.Sleep(flushEvery / 5)
	}
}

// A burst larger than a batch is written without waiting for the ticker.
func TestLogOutputWritesFullBatch(t *testing.T) {
	var sink syncBuffer
	out := newLogOutput(&sink, time.Hour)
	defer out.close()
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range flushBytes / len(line) {
		out.Write(line)
	}
	if n := len(sink.String()); n != flushBytes {
		t.Fatalf("after a full batch, %d bytes written, want %d", n, flushBytes)
	}
}

// BenchmarkAccessLine is one access log line, as the API writes it for
// every request, written to a file directly (one write call per line)
// and through logOutput.
func BenchmarkAccessLine(b *testing.B) {
	line := func(log *slog.Logger) {
		log.LogAttrs(b.Context(), slog.LevelInfo, "request", slog.String("request_id", "5f0c2a9b7d1e3c44"),
			slog.String("method", "GET"), slog.String("route", "/v1/returns/{rid}/metrics"), slog.Int("status", 200),
			slog.Int64("bytes", 66622), slog.Int64("duration_us", 180),
			slog.String("token_id", "tok_3c1d9a"), slog.String("role", "operator"))
	}
	open := func(b *testing.B) *os.File {
		f, err := os.Create(filepath.Join(b.TempDir(), "log"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { f.Close() })
		return f
	}
	b.Run("direct", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(open(b), nil))
		b.ReportAllocs()
		for b.Loop() {
			line(log)
		}
	})
	b.Run("batched", func(b *testing.B) {
		out := newLogOutput(open(b), flushEvery)
		defer out.close()
		log := slog.New(flushingHandler{Handler: slog.NewJSONHandler(out, nil), out: out})
		b.ReportAllocs()
		for b.Loop() {
			line(log)
		}
	})
}
