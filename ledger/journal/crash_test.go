package journal

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashDirEnv tells the test binary to act as the crash test's child.
const crashDirEnv = "ICTLEDGER_JOURNAL_CRASH_DIR"

// TestHelperProcess is the child of TestCrash: it opens the journal in
// $ICTLEDGER_JOURNAL_CRASH_DIR and appends from many goroutines until it is
// killed, printing "ack SEQ SHA256" for every record after its Append
// returned. It is not a test on its own.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrash")
	}
	j, err := Open(dir, Options{Logger: quietLogger()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		os.Exit(2)
	}
	var out sync.Mutex
	// Unbuffered writes: a line is in the pipe before the next Append
	// starts, so the parent sees every acknowledgement made before the kill.
	fmt.Fprintf(os.Stdout, "ready %d\n", j.Size())
	for w := 0; w < 32; w++ {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(w)))
			for {
				var data []byte
				seq, err := j.Append(context.Background(), func(seq uint64) ([]byte, error) {
					n := rng.IntN(4096)
					if rng.IntN(50) == 0 {
						n = 100<<10 + rng.IntN(100<<10) // large: written without copying
					}
					data = fmt.Appendf(nil, "seq=%d;", seq)
					for range n {
						data = append(data, byte(rng.Uint32()))
					}
					return data, nil
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, "helper: append:", err)
					os.Exit(3)
				}
				sum := sha256.Sum256(data)
				out.Lock()
				fmt.Fprintf(os.Stdout, "ack %d %x\n", seq, sum)
				out.Unlock()
			}
		}()
	}
	select {}
}

// TestCrash kills a process appending to a journal with SIGKILL at random
// moments, several times over, and checks after each kill that every
// record whose Append had returned is present and byte-identical, and that
// the journal opens and verifies. ICTLEDGER_LONG=1 runs more cycles.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	cycles := 4
	if os.Getenv("ICTLEDGER_LONG") != "" {
		cycles = 40
	}
	dir := t.TempDir()
	acked := map[uint64]string{} // seq -> hex SHA-256 of the record
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	for c := 0; c < cycles; c++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan uint64, 1)
		lines := make(chan [2]string, 1024)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				switch {
				case len(f) == 2 && f[0] == "ready":
					n, _ := strconv.ParseUint(f[1], 10, 64)
					ready <- n
				case len(f) == 3 && f[0] == "ack" && len(f[2]) == 64:
					lines <- [2]string{f[1], f[2]}
				}
			}
		}()
		select {
		case size := <-ready:
			if size < uint64(len(acked)) {
				t.Fatalf("cycle %d: child opened %d records, %d were acknowledged", c, size, len(acked))
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("cycle %d: child did not start", c)
		}
		time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		var before = len(acked)
		for l := range lines {
			seq, err := strconv.ParseUint(l[0], 10, 64)
			if err != nil {
				t.Fatalf("bad line %q", l)
			}
			if old, ok := acked[seq]; ok && old != l[1] {
				t.Fatalf("cycle %d: seq %d acknowledged twice with different records", c, seq)
			}
			acked[seq] = l[1]
		}
		cmd.Wait()
		t.Logf("cycle %d: %d records acknowledged before SIGKILL", c, len(acked)-before)

		if in, err := Inspect(dir, InspectOptions{}); err == nil && in.TornTail != nil {
			t.Logf("cycle %d: torn tail after kill: %+v", c, *in.TornTail)
		}
		j, err := Open(dir, Options{Logger: quietLogger()})
		if err != nil {
			t.Fatalf("cycle %d: Open after kill: %v", c, err)
		}
		for seq, want := range acked {
			data, err := j.Read(seq)
			if err != nil {
				t.Fatalf("cycle %d: acknowledged record %d: %v", c, seq, err)
			}
			if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != want {
				t.Fatalf("cycle %d: acknowledged record %d differs", c, seq)
			}
		}
		size := j.Size()
		root, err := j.TreeHash(size)
		if err != nil {
			t.Fatal(err)
		}
		j.Close()
		in, err := Inspect(dir, InspectOptions{})
		if err != nil || in.Size != size || in.Root != root || in.TornTail != nil {
			t.Fatalf("cycle %d: Inspect = %+v, %v; want size %d root %v", c, in, err, size, root)
		}
	}
	if len(acked) == 0 {
		t.Fatal("no record was ever acknowledged")
	}
}
