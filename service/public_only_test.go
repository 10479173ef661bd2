package service_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/service/servicetest"
	"github.com/ictledger/ictledger/templates"
)

// leakMarker and restateMarker are filed in returns that are never
// accepted; no public document may carry them.
const (
	leakMarker    = "ZQ2-UNACCEPTED-SUPPLIER-7F3A"
	restateMarker = "ZQ4-UNREVIEWED-RESTATEMENT-91C"
)

// returnWithSupplier is the example return for a period with every
// electricity row naming supplier.
func returnWithSupplier(t *testing.T, operator, period, supplier string) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(servicetest.ExampleReturn(t, operator, period)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	for _, e := range m["electricity"].([]any) {
		e.(map[string]any)["supplier"] = supplier
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfStreams is every stream of a PDF, inflated when it is compressed.
func pdfStreams(pdf []byte) [][]byte {
	var out [][]byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			return out
		}
		body := rest[i+len("stream"):]
		body = bytes.TrimPrefix(body, []byte("\r"))
		body = bytes.TrimPrefix(body, []byte("\n"))
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			return out
		}
		raw := body[:end]
		if r, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			if inflated, err := io.ReadAll(r); err == nil {
				raw = inflated
			}
		}
		out = append(out, raw)
		rest = body[end+len("endstream"):]
	}
}

// pdfPlainText is the PDF's bytes and inflated streams with the NULs of
// UTF-16BE text and the escapes of PDF strings taken out, so that ASCII
// text drawn on a page can be searched for.
func pdfPlainText(pdf []byte) string {
	var b strings.Builder
	b.Write(pdf)
	for _, s := range pdfStreams(pdf) {
		b.WriteByte('\n')
		b.Write(s)
	}
	return strings.NewReplacer("\x00", "", "\\", "").Replace(b.String())
}

// publicBundle is the bundle attached to a disclosure, with its entries'
// canonical bytes decoded.
func publicBundle(t *testing.T, pdf []byte) (*disclosure.Bundle, []string) {
	t.Helper()
	raw, err := templates.ExtractAttachment(pdf, "ictledger-proof.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := disclosure.DecodeBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{string(raw)}
	for _, e := range b.Entries {
		c, err := base64.StdEncoding.DecodeString(e.Canonical)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(c))
	}
	return b, texts
}

// Every public document of a ledger whose 2026-Q2 return is submitted but
// not accepted, whose 2025-Q4 return was restated after its acceptance,
// and whose 2026-Q1 and 2026-Q3 returns are accepted, is made from
// accepted returns only: neither the pages nor the attached proof carry
// the 2026-Q2 return or either version of 2025-Q4, and the summary's
// previous-quarter comparison is not available, with the reason.
func TestPublicDisclosuresCarryAcceptedReturnsOnly(t *testing.T) {
	env := servicetest.New(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	op := env.Operator("op-a", "Operator A", "JP")
	reg := env.Token(ledger.RoleRegulator)
	accept := ledger.Review{Decision: ledger.DecisionAccept}
	// 2025-Q4 was accepted, then restated with a reason not yet reviewed:
	// neither version may reach a public document any more.
	q4 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q4"))
	env.Review(reg, q4.ID, accept)
	var m map[string]any
	if err := json.Unmarshal(servicetest.ExampleReturn(t, "op-a", "2025-Q4"), &m); err != nil {
		t.Fatal(err)
	}
	m["restates"], m["reason"] = q4.ID, restateMarker
	restated, _ := json.Marshal(m)
	q4v2 := env.File(op, restated)
	q1 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2026-Q1"))
	env.Review(reg, q1.ID, accept)
	q2 := env.File(op, returnWithSupplier(t, "op-a", "2026-Q2", leakMarker))
	q3 := env.File(op, servicetest.ExampleReturn(t, "op-a", "2026-Q3"))
	env.Review(reg, q3.ID, accept)

	listed, err := json.Marshal(env.Service.Disclosures())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(listed), leakMarker) || strings.Contains(string(listed), q2.ID) || strings.Contains(string(listed), q4.ID) {
		t.Fatalf("the public listing names the unaccepted return: %s", listed)
	}

	served := 0
	for _, period := range []string{"2025", "2025-Q4", "2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"} {
		span, err := ledger.ParseSpan(period)
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", span)
		var le *ledger.Error
		if errors.As(err, &le) && le.Code == ledger.ENotFound {
			if period == "2026-Q1" || period == "2026-Q3" {
				t.Fatalf("%s: the accepted quarter is not public: %v", period, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", period, err)
		}
		served++
		if text := pdfPlainText(pdf); strings.Contains(text, leakMarker) || strings.Contains(text, restateMarker) {
			t.Errorf("%s: the pages carry an unaccepted return's text", period)
		}
		b, texts := publicBundle(t, pdf)
		if b.Basis != disclosure.BasisAccepted {
			t.Errorf("%s: bundle basis %q, want %q", period, b.Basis, disclosure.BasisAccepted)
		}
		for _, s := range texts {
			for _, leak := range []string{leakMarker, q2.ID, restateMarker, q4.ID, q4v2.ID} {
				if strings.Contains(s, leak) {
					t.Fatalf("%s: the attached proof carries %s, which is not accepted", period, leak)
				}
			}
		}
		if res, err := env.Service.VerifyDisclosure(context.Background(), pdf); err != nil || !res.Valid || res.Issued == nil {
			t.Fatalf("%s: verify: %+v, %v", period, res, err)
		}
		if period == "2026-Q3" {
			text := pdfPlainText(pdf)
			for _, want := range []string{"Comparison with the previous period", "2026-Q2 has no accepted return"} {
				if !strings.Contains(text, want) {
					t.Errorf("2026-Q3: the document does not say %q", want)
				}
			}
		}
	}
	if served != 2 {
		t.Fatalf("%d public documents, want 2 (2026-Q1 and 2026-Q3)", served)
	}

	// The operator's own preview of the unaccepted quarter keeps the full
	// picture and is not issued.
	size := env.Service.Size()
	q2span, _ := ledger.ParseSpan("2026-Q2")
	pdf, err := env.Service.OperatorDisclosure(context.Background(), env.Actor(op), "op-a", q2span)
	if err != nil {
		t.Fatal(err)
	}
	if b, texts := publicBundle(t, pdf); b.Basis != "" || !strings.Contains(strings.Join(texts, "\n"), leakMarker) {
		t.Fatalf("the preview has basis %q and lacks its own return", b.Basis)
	}
	if env.Service.Size() != size {
		t.Fatal("a preview was recorded as issued")
	}
}

// A year is public only when each of its four quarters has an accepted
// latest version, the rule the public listing follows: otherwise the
// public gets a 404, nothing is recorded as issued, and the operator gets
// a preview.
func TestYearWithoutEveryQuarterAcceptedIsNotPublic(t *testing.T) {
	for _, q4 := range []string{"not filed", "submitted", "returned"} {
		t.Run(q4, func(t *testing.T) {
			env := servicetest.New(t, time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC))
			op := env.Operator("op-a", "Operator A", "JP")
			reg := env.Token(ledger.RoleRegulator)
			for _, p := range []string{"2025-Q1", "2025-Q2", "2025-Q3"} {
				f := env.File(op, servicetest.ExampleReturn(t, "op-a", p))
				env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionAccept})
			}
			if q4 != "not filed" {
				f := env.File(op, servicetest.ExampleReturn(t, "op-a", "2025-Q4"))
				if q4 == "returned" {
					env.Review(reg, f.ID, ledger.Review{Decision: ledger.DecisionReturn,
						Findings: []ledger.FieldError{{Path: "fuels[0]", Message: "check"}}})
				}
			}
			for _, d := range env.Service.Disclosures() {
				if d.Period == "2025" {
					t.Fatal("the listing offers the year")
				}
			}
			year, _ := ledger.ParseSpan("2025")
			size := env.Service.Size()
			_, err := env.Service.OperatorDisclosure(context.Background(), service.Public, "op-a", year)
			var le *ledger.Error
			if !errors.As(err, &le) || le.Code != ledger.ENotFound {
				t.Fatalf("public download of the year: %v, want not found", err)
			}
			if _, err := env.Service.OperatorDisclosure(context.Background(), env.Actor(op), "op-a", year); err != nil {
				t.Fatalf("the operator's preview: %v", err)
			}
			if got := env.Service.Size(); got != size {
				t.Fatalf("the ledger grew by %d entries: an incomplete year was recorded as issued", got-size)
			}
		})
	}
}
