package httpapi

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
)

// handleCheckpointNote serves GET /v1/ledger/checkpoint (public): the
// signed note as text/plain.
func (s *Server) handleCheckpointNote(w http.ResponseWriter, r *http.Request) {
	cp, err := s.svc.Checkpoint()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(cp.Note))
}

// handleCheckpointJSON serves GET /v1/ledger/checkpoint.json (public).
func (s *Server) handleCheckpointJSON(w http.ResponseWriter, r *http.Request) {
	cp, err := s.svc.Checkpoint()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cp)
}

// handleEntries serves GET /v1/ledger/entries?start=N&limit=M (regulator, admin).
func (s *Server) handleEntries(w http.ResponseWriter, r *http.Request) {
	start, err1 := queryUint(r, "start", 0)
	limit, err2 := queryUint(r, "limit", 100)
	if err := firstErr(err1, err2); err != nil {
		s.writeError(w, r, err)
		return
	}
	es, err := s.svc.Entries(actor(r), start, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"start": start, "size": s.svc.Size(), "entries": es})
}

// handleInclusion serves GET /v1/ledger/proof/inclusion?seq=N&size=S (public).
func (s *Server) handleInclusion(w http.ResponseWriter, r *http.Request) {
	seq, err1 := queryUint(r, "seq", ^uint64(0))
	size, err2 := queryUint(r, "size", s.svc.Size())
	if err := firstErr(err1, err2); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.Inclusion(seq, size)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// handleConsistency serves GET /v1/ledger/proof/consistency?from=A&to=B (public).
func (s *Server) handleConsistency(w http.ResponseWriter, r *http.Request) {
	from, err1 := queryUint(r, "from", ^uint64(0))
	to, err2 := queryUint(r, "to", s.svc.Size())
	if err := firstErr(err1, err2); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.Consistency(from, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

// handleKey serves GET /v1/ledger/key (public): the verifier key text.
func (s *Server) handleKey(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(s.svc.VerifierKey() + "\n"))
}

// queryUint reads an unsigned query parameter; missing means def, and a
// def of all ones means the parameter is required.
func queryUint(r *http.Request, name string, def uint64) (uint64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		if def == ^uint64(0) {
			return 0, &ledger.Error{Code: ledger.EInvalid, Message: "missing query parameter " + name,
				Fields: []ledger.FieldError{{Path: name, Message: "is required"}}}
		}
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, &ledger.Error{Code: ledger.EInvalid, Message: "bad query parameter " + name,
			Fields: []ledger.FieldError{{Path: name, Message: "must be a non-negative integer"}}}
	}
	return n, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// returnsCollector reports the number of current return versions by
// status at scrape time.
type returnsCollector struct {
	svc  *service.Service
	desc *prometheus.Desc
}

func newReturnsCollector(svc *service.Service) *returnsCollector {
	return &returnsCollector{svc: svc, desc: prometheus.NewDesc("ictledger_returns",
		"Return versions by status.", []string{"status"}, nil)}
}

func (c *returnsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *returnsCollector) Collect(ch chan<- prometheus.Metric) {
	counts := c.svc.ReturnCounts()
	for _, st := range []ledger.Status{ledger.StatusSubmitted, ledger.StatusAccepted, ledger.StatusReturned, ledger.StatusSuperseded} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
