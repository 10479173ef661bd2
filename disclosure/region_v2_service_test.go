package disclosure_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service/servicetest"
)

// A record as the service makes it (Service.RegionRecordOf) is what a
// region_v2 document reads: it renders, verifies, and names the
// operators and the administration as the ledger registered them.
func TestRegionV2DrawsTheServicesRecord(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	for _, op := range []struct{ id, name, country string }{
		{"op-a", "星空通信株式会社", "JP"}, {"op-b", "Operator B", "JP"}, {"op-c", "Pacific Islands Telecom", "FJ"},
	} {
		s := env.Operator(op.id, op.name, op.country)
		env.Review(reg, env.File(s, servicetest.ExampleReturn(t, op.id, "2025-Q3")).ID, accept)
	}
	env.Operator("op-d", "Operator D, nothing filed", "FJ")
	rec, err := env.Service.RegionRecordOf(ledger.Span{Year: 2025, Quarter: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, key := disclosure.RecordBundle(t, rec)
	pdf, err := disclosure.Render(b)
	if err != nil {
		t.Fatalf("the service's record does not render: %v", err)
	}
	if res := disclosure.Verify(pdf, key); !res.Valid {
		t.Fatalf("does not verify: %q", res.Problems)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"星空通信株式会社, Operator B", "Pacific Islands Telecom", "4 due, 3 filed, 3 accepted and counted", "region_v2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document does not read %q", want)
		}
	}
}
