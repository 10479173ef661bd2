package state

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ictledger/ictledger/ledger"
)

// returnPayload builds a return entry's payload as the service writes it.
func returnPayload(t testing.TB, id, operator, period, reason, supersedes, idem string, sites bool, warnings []ledger.Warning) []byte {
	ret := map[string]any{"operator": operator, "period": period, "electricity": []any{map[string]any{"kwh": "1", "domain": "ran"}}}
	if reason != "" {
		ret["reason"] = reason
	}
	if sites {
		ret["sites"] = []any{map[string]any{"id": "s\"1}", "kwh": "2"}}
	}
	p := map[string]any{"id": id, "version": 3, "factor_set": "apt-2025.1", "warnings": warnings, "return": ret}
	if supersedes != "" {
		p["supersedes"] = supersedes
	}
	if idem != "" {
		p["idempotency_key"] = idem
	}
	b, err := ledger.Canonical(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkSamePaths(t testing.TB, payload []byte) {
	e := ledger.Entry{Seq: 7, Kind: ledger.KindReturnFiled, Payload: payload}
	fastRF, fastHead, fastErr := decodeReturnFast(payload)
	slowRF, slowHead, slowErr := decodeReturnSlow(e)
	if slowErr != nil {
		return // the fast path may fail too, or not: only the slow path judges
	}
	if fastErr != nil {
		t.Fatalf("fast path refused a payload the slow path reads: %v\n%s", fastErr, payload)
	}
	if !bytes.Equal(fastRF.Return, slowRF.Return) || !bytes.Equal(fastHead.Sites, slowHead.Sites) {
		t.Fatalf("raw parts differ:\n%s\n%s", fastRF.Return, slowRF.Return)
	}
	fastRF.Return, slowRF.Return, fastHead.Sites, slowHead.Sites = nil, nil, nil, nil
	if !reflect.DeepEqual(fastRF, slowRF) || !reflect.DeepEqual(fastHead, slowHead) {
		t.Fatalf("fast %+v %+v\nslow %+v %+v", fastRF, fastHead, slowRF, slowHead)
	}
}

func TestDecodeReturnPaths(t *testing.T) {
	w := []ledger.Warning{{Rule: "jump", Path: "e1.energy_total_mwh", Message: "up 60 % on \"2025-Q2\""}}
	for _, p := range [][]byte{
		returnPayload(t, "op-2025-Q3-v1", "op", "2025-Q3", "", "", "", false, []ledger.Warning{}),
		returnPayload(t, "op-2025-Q3-v2", "op", "2025-Q3", "typo in \"fuels\" \\ fixed", "op-2025-Q3-v1", "key-1", true, w),
		returnPayload(t, "ไทย-2025-Q1-v1", "ไทย", "2025-Q1", "ข้อมูล\n", "", "", false, nil),
	} {
		checkSamePaths(t, p)
	}
	// What the fast path leaves to the slow one, and the slow one's verdict.
	for p, valid := range map[string]bool{
		`{"id":"x","return":{"operator":"o","period":"2025-Q3"},"surprise":1,"version":1}`: false, // unknown member
		`{"id":"x","version":1}`:              false, // no return
		`{"id": "x","return":{},"version":1}`: true,  // whitespace
	} {
		if _, _, err := decodeReturnFast([]byte(p)); err == nil {
			t.Errorf("fast path took %s", p)
		}
		if _, _, err := decodeReturn(ledger.Entry{Payload: []byte(p)}); (err == nil) != valid {
			t.Errorf("decodeReturn(%s): %v", p, err)
		}
	}
}

func FuzzDecodeReturn(f *testing.F) {
	f.Add("op-2025-Q3-v2", "op", "2025-Q3", "a \"reason\"", "op-2025-Q3-v1", "k", true, "rule", "msg")
	f.Add("x", "ไทย", "2024-Q1", "", "", "", false, "", "")
	f.Fuzz(func(t *testing.T, id, operator, period, reason, supersedes, idem string, sites bool, rule, msg string) {
		var w []ledger.Warning
		if rule != "" {
			w = []ledger.Warning{{Rule: rule, Message: msg}}
		}
		checkSamePaths(t, returnPayload(t, id, operator, period, reason, supersedes, idem, sites, w))
	})
}

// TestDecodeReviewPaths: decodeReview answers as Entry.DecodePayload
// does, for the payloads it reads itself and for those it hands over.
func TestDecodeReviewPaths(t *testing.T) {
	for _, payload := range []string{
		`{"decision":"accept","return":"op-2025-Q3-v1"}`,
		`{"comment":"สวัสดี \"quoted\" \\ done\n","decision":"return","return":"ไทย-2025-Q3-v2"}`,
		`{"comment":"see findings","decision":"return","findings":[{"message":"too high","path":"fuels[0].quantity"}],"return":"op-2025-Q3-v1"}`,
		`{"comment":null,"decision":"accept","return":"op-2025-Q3-v1"}`,
		`{"decision":"accept","return":"op-2025-Q3-v1","extra":1}`,
		`{"decision":"accept","Return":"op-2025-Q3-v1"}`,
		`{"decision":5,"return":"op-2025-Q3-v1"}`,
	} {
		e := ledger.Entry{Seq: 9, Kind: ledger.KindReviewRecorded, Payload: []byte(payload)}
		got, gotErr := decodeReview(e)
		var want ledger.Review
		wantErr := e.DecodePayload(&want)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeReview(%s) = %+v, %v; DecodePayload: %+v, %v", payload, got, gotErr, want, wantErr)
		}
	}
}
