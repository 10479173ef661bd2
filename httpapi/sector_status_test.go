package httpapi

import (
	"fmt"
	"testing"
	"time"
)

type sectorStatus struct {
	Period             string    `json:"period"`
	Deadline           time.Time `json:"deadline"`
	DeadlineOverridden bool      `json:"deadline_overridden"`
	Filed              int       `json:"filed"`
	Missing            int       `json:"missing"`
	Late               int       `json:"late"`
	Operators          []struct {
		Operator     string     `json:"operator"`
		State        string     `json:"state"`
		Return       string     `json:"return"`
		Versions     int        `json:"versions"`
		FiledAt      *time.Time `json:"filed_at"`
		LastFiledAt  *time.Time `json:"last_filed_at"`
		Late         bool       `json:"late"`
		OpenFindings int        `json:"open_findings"`
		Warnings     int        `json:"warnings"`
	} `json:"operators"`
}

// opState is the part of an operator's status a test compares.
type opState struct {
	state    string
	versions int
	late     bool
	findings int
}

func (ts *testAPI) status(regToken, period string) (sectorStatus, map[string]opState) {
	ts.t.Helper()
	var st sectorStatus
	ts.mustJSON("GET", "/v1/sector/status?period="+period, regToken, nil, 200, &st)
	got := map[string]opState{}
	for _, o := range st.Operators {
		got[o.Operator] = opState{o.State, o.Versions, o.Late, o.OpenFindings}
	}
	return st, got
}

func checkStates(t *testing.T, when string, got, want map[string]opState) {
	t.Helper()
	for op, w := range want {
		if got[op] != w {
			t.Errorf("%s: %s is %+v, want %+v", when, op, got[op], w)
		}
	}
}

// TestSectorStatusLifecycle walks operators through every state of
// GET /v1/sector/status under the service clock: missing before and past
// the deadline, filed on time and late, returned with findings and then
// restated, accepted; then two deadline overrides, the later replacing
// the earlier. (That overrides survive a restart is the state's replay
// test: they are ledger entries.)
func TestSectorStatusLifecycle(t *testing.T) {
	ts := newAPI(t, filingTime)
	clock := ts.env.Clock
	reg := ts.regulator()
	toks := map[string]string{}
	for _, op := range []string{"on-time", "late", "missing", "restated", "accepted"} {
		toks[op] = ts.addOperator(op, "Operator "+op)
	}
	const q = "2025-Q3"
	filed := map[string]filedReturn{}
	for _, op := range []string{"on-time", "restated", "accepted"} {
		filed[op] = ts.file(toks[op], returnFor(t, op, q, nil))
	}

	st, got := ts.status(reg, q)
	if want := time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC); !st.Deadline.Equal(want) || st.DeadlineOverridden {
		t.Fatalf("default deadline %v (overridden %v), want %v: 45 days after the quarter", st.Deadline, st.DeadlineOverridden, want)
	}
	checkStates(t, "before the deadline", got, map[string]opState{
		"on-time": {"submitted", 1, false, 0}, "late": {"missing", 0, false, 0}, "missing": {"missing", 0, false, 0},
		"restated": {"submitted", 1, false, 0}, "accepted": {"submitted", 1, false, 0},
	})

	ts.mustJSON("POST", "/v1/returns/"+filed["restated"].ID+"/reviews", reg, map[string]any{"decision": "return", "comment": "check fuels",
		"findings": []map[string]string{{"path": "fuels[0].quantity", "message": "litres look double counted"}, {"path": "refrigerants", "message": "r22 top-up missing"}}}, 201, nil)
	ts.mustJSON("POST", "/v1/returns/"+filed["accepted"].ID+"/reviews", reg, map[string]any{"decision": "accept"}, 201, nil)
	_, got = ts.status(reg, q)
	checkStates(t, "after the reviews", got, map[string]opState{
		"restated": {"returned", 1, false, 2}, "accepted": {"accepted", 1, false, 0},
	})

	// Past the deadline: the restatement stays on time (lateness is the
	// first filing's), the first filing now is late, the missing one too.
	clock.Set(time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
	ts.file(toks["restated"], returnFor(t, "restated", q, func(r map[string]any) {
		r["restates"], r["reason"] = filed["restated"].ID, "fuel litres corrected after the regulator's findings"
		r["fuels"].([]any)[0].(map[string]any)["quantity"] = "92500"
	}))
	ts.file(toks["late"], returnFor(t, "late", q, nil))
	st, got = ts.status(reg, q)
	checkStates(t, "after the deadline", got, map[string]opState{
		"on-time": {"submitted", 1, false, 0}, "late": {"submitted", 1, true, 0}, "missing": {"missing", 0, true, 0},
		"restated": {"submitted", 2, false, 0}, "accepted": {"accepted", 1, false, 0},
	})
	if st.Filed != 4 || st.Missing != 1 || st.Late != 2 {
		t.Fatalf("counts filed %d missing %d late %d, want 4 1 2", st.Filed, st.Missing, st.Late)
	}
	for _, o := range st.Operators {
		if o.Operator == "restated" && (o.FiledAt == nil || o.LastFiledAt == nil || !o.FiledAt.Before(*o.LastFiledAt)) {
			t.Fatalf("restated: filed_at %v last_filed_at %v", o.FiledAt, o.LastFiledAt)
		}
	}

	// An override that moves the deadline past today: nobody is late.
	size := func() uint64 {
		var cp struct{ Size uint64 }
		ts.mustJSON("GET", "/v1/ledger/checkpoint.json", "", nil, 200, &cp)
		return cp.Size
	}
	before := size()
	setDeadline := func(d time.Time) {
		ts.mustJSON("PUT", "/v1/deadlines/"+q, ts.admin, map[string]any{"deadline": d, "reason": "portal outage " + d.Format(time.DateOnly)}, 200, nil)
	}
	setDeadline(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC))
	st, got = ts.status(reg, q)
	checkStates(t, "deadline moved to 1 December", got, map[string]opState{
		"late": {"submitted", 1, false, 0}, "missing": {"missing", 0, false, 0},
	})
	if !st.DeadlineOverridden || st.Late != 0 || size() != before+1 {
		t.Fatalf("override: overridden %v late %d, ledger %d -> %d entries", st.DeadlineOverridden, st.Late, before, size())
	}
	var entries struct {
		Entries []struct{ Kind string }
	}
	ts.mustJSON("GET", fmt.Sprintf("/v1/ledger/entries?start=%d&limit=1", before), reg, nil, 200, &entries)
	if len(entries.Entries) != 1 || entries.Entries[0].Kind != "deadline.set" {
		t.Fatalf("the override's entry: %+v", entries.Entries)
	}

	// A later override replaces the earlier one.
	setDeadline(time.Date(2025, 11, 18, 0, 0, 0, 0, time.UTC))
	st, got = ts.status(reg, q)
	checkStates(t, "deadline moved to 18 November", got, map[string]opState{
		"on-time": {"submitted", 1, false, 0}, "late": {"submitted", 1, true, 0}, "missing": {"missing", 0, true, 0},
	})
	if want := time.Date(2025, 11, 18, 0, 0, 0, 0, time.UTC); !st.Deadline.Equal(want) || st.Late != 2 {
		t.Fatalf("deadline %v late %d, want %v and 2", st.Deadline, st.Late, want)
	}

	// Sector metrics carry the same counts.
	var sm struct{ Filed, Missing, Late int }
	ts.mustJSON("GET", "/v1/sector/metrics?period="+q, reg, nil, 200, &sm)
	if sm.Filed != 4 || sm.Missing != 1 || sm.Late != 2 {
		t.Fatalf("sector metrics counts %+v", sm)
	}
}
