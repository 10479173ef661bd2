package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
)

// The three verdicts of VerifyDisclosure: a document as issued is
// authentic and current; after the operator restates a return it
// presents, the same bytes are authentic but superseded (valid, as the
// API promised), naming the new version, when it was filed and, once a
// regulator accepts it, why, with the current document; a forged copy is
// not authentic, saying what failed in plain words.
func TestVerifyDisclosureVerdicts(t *testing.T) {
	env := servicetest.New(t, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Token(ledger.RoleRegulator)
	first := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q3"))
	env.Review(reg, first.ID, ledger.Review{Decision: ledger.DecisionAccept})
	span, _ := ledger.ParseSpan("2025-Q3")
	pdf, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(b []byte) *disclosure.Result {
		t.Helper()
		res, err := env.Service.VerifyDisclosure(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	if res := verify(pdf); res.Verdict != disclosure.VerdictCurrent || !res.Valid || res.SupersededBy != nil || len(res.Problems) != 0 ||
		!strings.Contains(res.Summary, "still the latest") {
		t.Fatalf("as issued: %+v", res)
	}
	forged := bytes.Clone(pdf)
	forged[len(forged)/2] ^= 1
	if res := verify(forged); res.Verdict != disclosure.VerdictNotAuthentic || res.Valid || len(res.Problems) == 0 ||
		!strings.Contains(res.Summary, "not authentic") {
		t.Fatalf("forged: %+v", res)
	}

	env.Clock.Set(time.Date(2025, 11, 20, 9, 30, 0, 123456789, time.UTC))
	restated := env.File(op, servicetest.ReturnWith(t, "op-a", "2025-Q3", func(m map[string]any) {
		m["restates"], m["reason"] = first.ID, "a meter was read twice"
	}))
	res := verify(pdf)
	if res.Verdict != disclosure.VerdictSuperseded || !res.Valid || len(res.Problems) != 0 || len(res.SupersededBy) != 1 {
		t.Fatalf("after a restatement: %+v", res)
	}
	want := disclosure.Supersession{Return: first.ID, By: restated.ID, Filed: "2025-11-20T09:30:00Z", Current: restated.ID}
	if got := res.SupersededBy[0]; got != want || res.CurrentDocument != "" {
		// Not accepted yet: its reason and its document are not public.
		t.Fatalf("restated, under review: %+v, current document %q; want %+v and none", got, res.CurrentDocument, want)
	}
	env.Review(reg, restated.ID, ledger.Review{Decision: ledger.DecisionAccept})
	res = verify(pdf)
	want.Reason, want.Accepted = "a meter was read twice", true
	if got := res.SupersededBy[0]; res.Verdict != disclosure.VerdictSuperseded || got != want ||
		res.CurrentDocument != "/v1/operators/op-a/disclosures/2025-Q3.pdf" {
		t.Fatalf("restated, accepted: %+v, current document %q; want %+v", got, res.CurrentDocument, want)
	}
	// The current document verifies as current.
	now, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
	if err != nil {
		t.Fatal(err)
	}
	if res := verify(now); res.Verdict != disclosure.VerdictCurrent {
		t.Fatalf("the current document: %+v", res)
	}
	if res := verify(forged); res.Verdict != disclosure.VerdictNotAuthentic {
		t.Fatalf("forged, after the restatement: %+v", res)
	}
}
