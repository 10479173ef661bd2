package service

import (
	"testing"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// TestRegionIsComputedOnceAndOneAtATime: the public regional view is kept
// for the state it was computed from, and a request that finds another
// computation under way is told the service is busy instead of waiting.
func TestRegionIsComputedOnceAndOneAtATime(t *testing.T) {
	s := New(Config{State: state.New()})
	span := ledger.Span{Year: 2025}
	a, err := s.Region(span)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Region(span)
	if err != nil || a != b {
		t.Fatalf("a second request for the same state computed the view again (%p, %p, %v)", a, b, err)
	}
	s.regionGate <- struct{}{} // a computation under way
	defer func() { <-s.regionGate }()
	if _, err := s.Region(ledger.Span{Year: 2024}); ledger.ErrorCode(err) != ledger.EBusy {
		t.Fatalf("a request during another computation: %v, want busy", err)
	}
	if c, err := s.Region(span); err != nil || c != a {
		t.Fatalf("a kept view is served even while another is computed: %v", err)
	}
}
