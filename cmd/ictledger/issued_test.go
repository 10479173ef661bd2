package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/templates"
)

// ledgerTail returns the ledger's size and its entries from start on, as
// a regulator reads them.
func (ts *testServer) ledgerTail(regTok string, start uint64) (uint64, []ledger.Entry) {
	ts.t.Helper()
	var page struct {
		Size    uint64 `json:"size"`
		Entries []struct {
			Canonical string `json:"canonical"`
		} `json:"entries"`
	}
	ts.mustJSON("GET", "/v1/ledger/entries?start="+strconv.FormatUint(start, 10)+"&limit=1000", regTok, nil, 200, &page)
	var out []ledger.Entry
	for _, e := range page.Entries {
		raw, err := base64.StdEncoding.DecodeString(e.Canonical)
		if err != nil {
			ts.t.Fatal(err)
		}
		entry, err := ledger.DecodeEntry(raw)
		if err != nil {
			ts.t.Fatal(err)
		}
		out = append(out, entry)
	}
	return page.Size, out
}

// issuedEntry checks that es holds exactly one entry, a disclosure.issued
// record of pdf, and returns its payload.
func issuedEntry(t *testing.T, es []ledger.Entry, pdf []byte) ledger.DisclosureIssued {
	t.Helper()
	if len(es) != 1 || es[0].Kind != ledger.KindDisclosureIssued {
		t.Fatalf("want one disclosure.issued entry, got %d: %+v", len(es), es)
	}
	var d ledger.DisclosureIssued
	if err := json.Unmarshal(es[0].Payload, &d); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	if d.SHA256 != hex.EncodeToString(sum[:]) || d.Bytes != len(pdf) {
		t.Fatalf("recorded %s (%d bytes), served %x (%d bytes)", d.SHA256, d.Bytes, sum, len(pdf))
	}
	// A document attaches its returns with what they rest on (three
	// entries at least), or, drawn from a recorded view, that one record.
	least := 3
	if d.Template == templates.SectorTemplateV4 || d.Template == templates.RegionTemplateV2 {
		least = 1
	}
	if d.TreeSize == 0 || d.TreeSize > es[0].Seq || d.Entries < least || d.Template == "" {
		t.Fatalf("entry %d records %+v", es[0].Seq, d)
	}
	return d
}

// TestDisclosureIssuedIsRecorded: a draft is not issued; the first
// download of the public document appends a disclosure.issued entry with
// the SHA-256 of the bytes served;
// later downloads, also after a restart, append nothing, and the
// document still verifies, naming that entry.
func TestDisclosureIssuedIsRecorded(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	opTok := ts.addOperator("sakura-mobile", "Sakura Mobile K.K.")
	regTok := ts.regulator()
	var filed filedReturn
	ts.mustJSON("POST", "/v1/operators/sakura-mobile/returns", opTok, exampleReturn(t), 201, &filed)
	path := "/v1/operators/sakura-mobile/disclosures/2025-Q3.pdf"
	// The operator's draft, before the review, is not issued.
	size, _ := ts.ledgerTail(regTok, 0)
	if draft, _, code := ts.getPDF(path, opTok); code != 200 {
		t.Fatalf("draft: %d", code)
	} else if res := ts.verify(draft); res.Issued != nil {
		t.Fatalf("a draft verifies as issued: %+v", res)
	}
	if n, _ := ts.ledgerTail(regTok, 0); n != size {
		t.Fatalf("the draft download appended %d entries", n-size)
	}
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", regTok, map[string]any{"decision": "accept"}, 201, nil)

	size, _ = ts.ledgerTail(regTok, 0)
	pdf, _, code := ts.getPDF(path, "")
	if code != 200 {
		t.Fatalf("public download: %d", code)
	}
	after, es := ts.ledgerTail(regTok, size)
	d := issuedEntry(t, es, pdf)
	if d.Document != "operator" || d.Operator != "sakura-mobile" || d.Period != "2025-Q3" || d.TreeSize != size {
		t.Fatalf("recorded %+v, ledger had %d entries", d, size)
	}
	if es[0].Actor != (ledger.Actor{}) {
		t.Fatalf("a public download recorded actor %+v", es[0].Actor)
	}

	again, _, _ := ts.getPDF(path, opTok)
	if n, _ := ts.ledgerTail(regTok, 0); n != after || string(again) != string(pdf) {
		t.Fatalf("second download: %d entries (want %d), same bytes %v", n, after, string(again) == string(pdf))
	}
	if res := ts.verify(pdf); !res.Valid || res.Issued == nil || res.Issued.Seq != es[0].Seq {
		t.Fatalf("the recorded document: %+v, issued at %d", res, es[0].Seq)
	}
	ts.stop()

	// After a restart the cache is empty; the state rebuilt from the
	// journal still knows the document.
	ts = startServer(t, dir)
	defer ts.stop()
	again, _, _ = ts.getPDF(path, "")
	if n, _ := ts.ledgerTail(regTok, 0); n != after || string(again) != string(pdf) {
		t.Fatalf("after restart: %d entries (want %d), same bytes %v", n, after, string(again) == string(pdf))
	}

	sector, _, code := ts.getPDF("/v1/sector/disclosures/2025-Q3.pdf", regTok)
	if code != 200 {
		t.Fatalf("sector report: %d", code)
	}
	// The server records the sector view the report draws, then the
	// report as issued to the regulator who downloaded it.
	_, es = ts.ledgerTail(regTok, after)
	if len(es) == 0 || es[0].Kind != ledger.KindSectorRecorded || es[0].Actor != ledger.SystemActor {
		t.Fatalf("the sector report appended %d entries, the first %+v; want the server's sector.recorded first", len(es), es)
	}
	d = issuedEntry(t, es[1:], sector)
	if d.Document != "sector" || d.Period != "2025-Q3" || es[1].Actor.Role != ledger.RoleRegulator {
		t.Fatalf("sector report recorded %+v by %+v", d, es[1].Actor)
	}
}
