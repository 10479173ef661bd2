package witness

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// keys makes a log signer and a witness signer with its Witness config.
func keys(t *testing.T, url string) (note.Signer, note.Verifier, *fnote.Signer, Witness) {
	t.Helper()
	lskey, lvkey, err := note.GenerateKey(rand.Reader, "ictledger")
	if err != nil {
		t.Fatal(err)
	}
	ls, _ := note.NewSigner(lskey)
	lv, _ := note.NewVerifier(lvkey)
	wskey, wvkey, err := note.GenerateKey(rand.Reader, "witness.example.org")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := fnote.NewSignerForCosignatureV1(wskey)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Parse("w1," + url + "," + wvkey)
	if err != nil {
		t.Fatal(err)
	}
	return ls, lv, ws, w
}

func TestParse(t *testing.T) {
	_, vkey, _ := note.GenerateKey(rand.Reader, "w.example")
	for _, bad := range []string{"", "w1,http://x", "W1,http://x," + vkey, "w1,ftp://x," + vkey, "w1,http://x,notakey"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	ws, err := ParseFile([]byte("# witnesses\n\nw1, http://a/ ," + vkey + "\n"))
	if err != nil || len(ws) != 1 || ws[0].URL != "http://a" {
		t.Fatalf("ParseFile: %+v %v", ws, err)
	}
	if err := CheckUnique([]Witness{ws[0], ws[0]}); err == nil {
		t.Fatal("a witness configured twice was accepted")
	}
}

// TestAddCheckpointAndCount drives AddCheckpoint against a witness that
// cosigns with the reference library, answers 409 once, then checks what
// Count makes of the result.
func TestAddCheckpointAndCount(t *testing.T) {
	var wsigner *fnote.Signer
	known := uint64(5)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body := make([]byte, 4096)
		n, _ := r.Body.Read(body)
		if !strings.HasPrefix(string(body[:n]), "old 5\n") {
			rw.Header().Set("Content-Type", "text/x.tlog.size")
			rw.WriteHeader(http.StatusConflict)
			rw.Write([]byte("5\n"))
			return
		}
		cp := body[strings.Index(string(body[:n]), "\n\n")+2 : n]
		signed, err := note.Sign(&note.Note{Text: string(cp[:strings.Index(string(cp), "\n\n")+1])}, wsigner)
		if err != nil {
			t.Error(err)
		}
		rw.Write(signed[strings.Index(string(signed), "\n\n")+2:])
	}))
	defer srv.Close()
	ls, lv, ws, w := keys(t, srv.URL)
	wsigner = ws
	var root tlog.Hash
	msg, err := checkpoint.Sign(ls, "ictledger", 9, root)
	if err != nil {
		t.Fatal(err)
	}
	_, err = AddCheckpoint(context.Background(), srv.Client(), w, 0, nil, msg)
	if ce, ok := err.(*ConflictError); !ok || ce.Size != known {
		t.Fatalf("first call: %v, want a 409 naming size 5", err)
	}
	sigs, err := AddCheckpoint(context.Background(), srv.Client(), w, 5, nil, msg)
	if err != nil {
		t.Fatal(err)
	}
	cosigned := AddSignatures(msg, sigs)
	if _, n, err := Count(cosigned, lv, []note.Verifier{w.Verifier}); err != nil || n != 1 {
		t.Fatalf("Count: %d %v", n, err)
	}
	if _, n, err := Count(msg, lv, []note.Verifier{w.Verifier}); err != nil || n != 0 {
		t.Fatalf("Count of the plain note: %d %v", n, err)
	}
	// The cosignature over another checkpoint does not verify.
	other, _ := checkpoint.Sign(ls, "ictledger", 10, root)
	if _, err := Cosignatures(other, w, sigs); err == nil {
		t.Fatal("a cosignature of another checkpoint was accepted")
	}
}

// TestHistoryTornTail: a record cut short by a crash is dropped on open,
// the records before it stay, and appending carries on.
func TestHistoryTornTail(t *testing.T) {
	dir := t.TempDir()
	h, err := OpenHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []uint64{3, 7} {
		if err := h.Append(size, []byte("note of "+string(rune('0'+size))+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Append(7, []byte("again\n")); err == nil {
		t.Fatal("a record of a size already there was accepted")
	}
	h.Close()
	path := filepath.Join(dir, HistoryFile)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("cosigned 9 100 0000")
	f.Close()
	h, err = OpenHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	msg, at, ok, err := h.FirstAtLeast(4)
	if err != nil || !ok || at != 7 || string(msg) != "note of 7\n" {
		t.Fatalf("FirstAtLeast(4) = %q %d %v %v", msg, at, ok, err)
	}
	if _, _, ok, _ := h.FirstAtLeast(8); ok {
		t.Fatal("the torn record was kept")
	}
	if err := h.Append(9, []byte("note of 9\n")); err != nil {
		t.Fatal(err)
	}
	if msg, at, _, _ := h.Latest(); at != 9 || string(msg) != "note of 9\n" {
		t.Fatalf("Latest = %q %d", msg, at)
	}
}
