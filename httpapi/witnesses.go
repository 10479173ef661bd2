package httpapi

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ictledger/ictledger/service"
)

// witnessCollector exports each configured witness's progress. The label
// values are the witness names of the server's configuration, so the set
// of series is bounded by it.
type witnessCollector struct {
	svc                 *service.Service
	lag, size, failures *prometheus.Desc
}

func newWitnessCollector(svc *service.Service) *witnessCollector {
	return &witnessCollector{svc: svc,
		lag: prometheus.NewDesc("ictledger_witness_lag_entries",
			"Entries in the ledger that the witness has not cosigned yet.", []string{"witness"}, nil),
		size: prometheus.NewDesc("ictledger_witness_cosigned_size",
			"Size of the latest checkpoint the witness cosigned.", []string{"witness"}, nil),
		failures: prometheus.NewDesc("ictledger_witness_failures_total",
			"Requests to the witness that failed (down, timed out, or refused) since the start.", []string{"witness"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *witnessCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lag
	ch <- c.size
	ch <- c.failures
}

// Collect implements prometheus.Collector.
func (c *witnessCollector) Collect(ch chan<- prometheus.Metric) {
	for _, w := range c.svc.WitnessMetrics() {
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, float64(w.Lag), w.Name)
		ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(w.Size), w.Name)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(w.Failures), w.Name)
	}
}

// handleWitnesses serves GET /v1/ledger/witnesses (regulator, admin): each
// configured witness, how far it has cosigned and its last error; an
// empty list when the log is not witnessed.
func (s *Server) handleWitnesses(w http.ResponseWriter, r *http.Request) {
	ws, err := s.svc.Witnesses(actor(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if ws == nil {
		ws = []service.WitnessStatus{}
	}
	s.writeJSON(w, r, http.StatusOK, ws)
}
