package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ictledger/ictledger/fixtures"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/journal"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/ledger/store"
	"github.com/ictledger/ictledger/service"
)

// RegionVersion names what GenerateRegion writes. Change it whenever the
// generated ledger changes, so that benchmarks do not reuse a data
// directory an older generator wrote (CachedRegion).
const RegionVersion = "region-v1"

// regionCountries is the jurisdictions of a generated region, in the
// order they are taken: the APT members whose grids the built-in factor
// sets carry, then Hong Kong on China's grid.
func regionCountries() []string {
	return []string{"TH", "JP", "AU", "ID", "MY", "PH", "VN", "SG", "KR", "IN", "BD", "PK", "LK", "NP",
		"BT", "MV", "AF", "IR", "CN", "MN", "KH", "LA", "MM", "BN", "TL", "PG", "FJ", "SB", "VU", "WS", "TO", "KI",
		"NR", "TV", "MH", "FM", "PW", "NZ", "KP", "HK"}
}

// regionGrid is the grid key a country's electricity is filed under.
func regionGrid(cc string) string {
	if cc == "HK" {
		return "CN"
	}
	return cc
}

// RegionConfig describes a generated regional ledger.
type RegionConfig struct {
	Jurisdictions int // 1..40
	Operators     int // per jurisdiction, 1..999
	Years         int // of quarters, ending with LastYear, 1..30
	LastYear      int // the last year filed; zero means 2025
	Seed          uint64
}

// RegionMaxJurisdictions is the most jurisdictions GenerateRegion knows.
func RegionMaxJurisdictions() int { return len(regionCountries()) }

func (c *RegionConfig) check() error {
	if c.LastYear == 0 {
		c.LastYear = 2025
	}
	switch {
	case c.Jurisdictions < 1 || c.Jurisdictions > len(regionCountries()):
		return fmt.Errorf("loadtest: jurisdictions must be 1..%d, got %d", len(regionCountries()), c.Jurisdictions)
	case c.Operators < 1 || c.Operators > 999:
		return fmt.Errorf("loadtest: operators must be 1..999, got %d", c.Operators)
	case c.Years < 1 || c.Years > 30:
		return fmt.Errorf("loadtest: years must be 1..30, got %d", c.Years)
	case c.LastYear < 2000 || c.LastYear > 2100:
		return fmt.Errorf("loadtest: last year must be 2000..2100, got %d", c.LastYear)
	}
	return nil
}

// RegionSummary says what GenerateRegion wrote.
type RegionSummary struct {
	Config    RegionConfig
	Entries   uint64
	Returns   int            // return versions, restatements included
	Restated  int            // of them, version 2 and later
	Latest    map[string]int // latest versions by status
	Missing   int            // operator-quarters never filed
	Countries []string
	Took      time.Duration
	// Tokens are the bearer secrets issued, also written to
	// DIR/loadtest-tokens.json (mode 0600): "admin", "regulator:*" for
	// every country, and "regulator:CC" for each jurisdiction.
	Tokens map[string]string `json:"-"`
}

// TokensFile is the file in a generated data directory that holds its
// bearer secrets.
const TokensFile = "loadtest-tokens.json"

// GenerateRegion writes a regional ledger into dir, which must not hold
// a journal yet: the built-in factor sets, a jurisdiction per country
// with its own deadline and time zone, an admin token, a regulator token
// for every country and one per jurisdiction, and cfg.Operators
// operators per country, each filing every quarter of cfg.Years years
// (a variation of the example return). About one quarter in ten is
// restated; the latest versions are mostly accepted, some returned with
// findings or still submitted (more of them in the last two quarters),
// and one in a hundred is never filed. Every draw is keyed by operator
// and quarter, so the same cfg gives the same returns.
//
// The entries are appended through the journal in time order with group
// commit, the payloads encoded in parallel beforehand.
func GenerateRegion(ctx context.Context, dir string, cfg RegionConfig) (*RegionSummary, error) {
	start := time.Now()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, journal.FileName)); err == nil {
		return nil, fmt.Errorf("loadtest: %s holds a journal already; generate into a new directory", dir)
	}
	g, err := newRegionGen(cfg)
	if err != nil {
		return nil, err
	}
	events, sum, err := g.plan()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(dir, state.New(), store.Options{})
	if err != nil {
		return nil, err
	}
	if err := appendEvents(ctx, st, events); err != nil {
		st.Close()
		return nil, err
	}
	sum.Entries = st.Journal.Size()
	if err := st.Close(); err != nil {
		return nil, err
	}
	raw, err := json.MarshalIndent(sum.Tokens, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, TokensFile), raw, 0o600); err != nil {
		return nil, fmt.Errorf("loadtest: write tokens: %w", err)
	}
	sum.Took = time.Since(start)
	return sum, nil
}

// event is one entry to append; encode gives its canonical payload.
type event struct {
	at     time.Time
	order  int // ties in time keep the order of planning
	actor  ledger.Actor
	kind   ledger.Kind
	encode func() ([]byte, error)
}

// appendEvents appends the events in order. Group commit needs many
// Appends in flight, but the records must keep the planned order, so each
// build takes the event of the sequence number it is given: the writer
// calls build serially in sequence order whichever Append it serves.
func appendEvents(ctx context.Context, st *store.Store, events []event) error {
	const chunk, writers = 8192, 64
	for lo := 0; lo < len(events); lo += chunk {
		part := events[lo:min(lo+chunk, len(events))]
		payloads, err := encodeAll(part)
		if err != nil {
			return err
		}
		base := st.Journal.Size()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				for i := w; i < len(part); i += writers {
					_, err := st.Journal.Append(ctx, func(seq uint64) ([]byte, error) {
						e := part[seq-base]
						return ledger.EncodeEntryRaw(seq, e.at, e.actor, e.kind, payloads[seq-base])
					})
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return fmt.Errorf("loadtest: append: %w", err)
		}
	}
	return nil
}

// encodeAll encodes the events' payloads on every core.
func encodeAll(events []event) ([][]byte, error) {
	out := make([][]byte, len(events))
	errs := make([]error, len(events))
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for w := range n {
		wg.Go(func() {
			for i := w; i < len(events); i += n {
				out[i], errs[i] = events[i].encode()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// regionGen plans a region's entries.
type regionGen struct {
	cfg       RegionConfig
	template  ledger.Return
	tmplStart time.Time // the template's quarter start, to move its outages
	first     ledger.Period
	last      ledger.Period
	events    []event
}

func newRegionGen(cfg RegionConfig) (*regionGen, error) {
	var tmpl ledger.Return
	if err := json.Unmarshal(fixtures.ExampleReturn(), &tmpl); err != nil {
		return nil, fmt.Errorf("loadtest: the example return: %w", err)
	}
	return &regionGen{cfg: cfg, template: tmpl, tmplStart: tmpl.Period.Start(),
		first: ledger.Period{Year: cfg.LastYear - cfg.Years + 1, Quarter: 1},
		last:  ledger.Period{Year: cfg.LastYear, Quarter: 4}}, nil
}

// rand is the generator of a named stream for one operator and quarter.
func (g *regionGen) rand(key, op string, p ledger.Period) *mrand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key + "|" + op))
	return mrand.New(mrand.NewPCG(g.cfg.Seed^h.Sum64(), uint64(p.Year*4+p.Quarter)))
}

func (g *regionGen) add(at time.Time, actor ledger.Actor, kind ledger.Kind, encode func() ([]byte, error)) {
	g.events = append(g.events, event{at: at, order: len(g.events), actor: actor, kind: kind, encode: encode})
}

func canonicalOf(v any) func() ([]byte, error) {
	return func() ([]byte, error) { return ledger.Canonical(v) }
}

// plan lays out every entry of the region and sorts them by time.
func (g *regionGen) plan() ([]event, *RegionSummary, error) {
	countries := regionCountries()[:g.cfg.Jurisdictions]
	sum := &RegionSummary{Config: g.cfg, Latest: map[string]int{}, Countries: countries, Tokens: map[string]string{}}
	t0 := g.first.Start().AddDate(0, -1, 0)
	for _, raw := range fixtures.BootstrapFactorSets() {
		fs, err := ledger.ParseFactorSet(raw)
		if err != nil {
			return nil, nil, err
		}
		g.add(t0, ledger.SystemActor, ledger.KindFactorSetPublished, canonicalOf(fs))
	}
	if err := g.token(t0, sum, "admin", ledger.RoleAdmin, nil); err != nil {
		return nil, nil, err
	}
	if err := g.token(t0, sum, "regulator:*", ledger.RoleRegulator, []string{ledger.AllJurisdictions}); err != nil {
		return nil, nil, err
	}
	for ci, cc := range countries {
		j := ledger.Jurisdiction{Country: cc, Name: "Administration of " + cc, DeadlineDays: 30 + 15*(ci%3),
			TimeZone: regionZone(ci), FactorSet: "apt-2025.1"}
		g.add(t0, ledger.SystemActor, ledger.KindJurisdictionSet, canonicalOf(j))
		if err := g.token(t0, sum, "regulator:"+cc, ledger.RoleRegulator, []string{cc}); err != nil {
			return nil, nil, err
		}
		for o := range g.cfg.Operators {
			op := ledger.Operator{ID: fmt.Sprintf("%s-op-%03d", strings.ToLower(cc), o+1),
				Name: fmt.Sprintf("Operator %d of %s", o+1, cc), Country: cc, Kinds: []string{"mobile"}, ReportingFrom: g.first}
			g.add(t0, ledger.SystemActor, ledger.KindOperatorRegistered, canonicalOf(op))
			for p := g.first; !g.last.Before(p); p = p.Next() {
				g.quarter(op, p, sum)
			}
		}
	}
	events := g.events
	sort.Slice(events, func(a, b int) bool {
		if !events[a].at.Equal(events[b].at) {
			return events[a].at.Before(events[b].at)
		}
		return events[a].order < events[b].order
	})
	return events, sum, nil
}

// regionZone is the time zone the i-th jurisdiction counts deadlines in.
func regionZone(i int) string {
	zones := []string{"Asia/Bangkok", "Asia/Tokyo", "Australia/Sydney", "Pacific/Fiji", "UTC"}
	return zones[i%len(zones)]
}

// token plans a token entry and keeps its secret.
func (g *regionGen) token(at time.Time, sum *RegionSummary, name string, role ledger.Role, jurisdictions []string) error {
	var b [32]byte
	var id [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	if _, err := rand.Read(id[:]); err != nil {
		return err
	}
	secret := "ictl_" + base64.RawURLEncoding.EncodeToString(b[:])
	sum.Tokens[name] = secret
	t := ledger.TokenIssued{ID: "tok-" + hex.EncodeToString(id[:]), SecretHash: service.HashSecret(secret), Role: role,
		Label: "loadtest " + name, Jurisdictions: jurisdictions}
	g.add(at, ledger.SystemActor, ledger.KindTokenIssued, canonicalOf(t))
	return nil
}

// quarter plans one operator's filings and reviews of quarter p.
func (g *regionGen) quarter(op ledger.Operator, p ledger.Period, sum *RegionSummary) {
	r := g.rand("outcome", op.ID, p)
	roll := r.IntN(1000)
	if roll < 10 {
		sum.Missing++
		return
	}
	opActor := ledger.Actor{TokenID: "tok-" + op.ID, Role: ledger.RoleOperator, Operator: op.ID}
	regActor := ledger.Actor{TokenID: "tok-regulator-" + op.Country, Role: ledger.RoleRegulator}
	days := 5 + r.IntN(35)
	if r.IntN(100) < 5 {
		days = 50 + r.IntN(20) // late
	}
	at := p.End().AddDate(0, 0, days).Add(time.Duration(r.IntN(9*60)) * time.Minute)
	recent := !p.Before(g.last.Add(-1))
	var steps []ledger.Decision // after v1: accept, return; "" is a restatement
	switch {
	case recent && roll < 400:
	case recent && roll < 500:
		steps = []ledger.Decision{ledger.DecisionReturn}
	case recent:
		steps = []ledger.Decision{ledger.DecisionAccept}
	case roll < 30:
	case roll < 50:
		steps = []ledger.Decision{ledger.DecisionReturn}
	case roll < 120:
		steps = []ledger.Decision{ledger.DecisionReturn, "", ledger.DecisionAccept}
	case roll < 160:
		steps = []ledger.Decision{ledger.DecisionAccept, "", ledger.DecisionAccept}
	case roll < 170:
		steps = []ledger.Decision{ledger.DecisionAccept, "", ""}
	default:
		steps = []ledger.Decision{ledger.DecisionAccept}
	}
	version, prev := 1, ""
	id := ledger.ReturnID(op.ID, p, 1)
	g.file(op, p, 1, "", at, opActor)
	status := ledger.StatusSubmitted
	for _, d := range steps {
		at = at.AddDate(0, 0, 3+r.IntN(20)).Add(time.Duration(r.IntN(600)) * time.Minute)
		switch d {
		case "":
			version, prev = version+1, id
			id = ledger.ReturnID(op.ID, p, version)
			g.file(op, p, version, prev, at, opActor)
			sum.Restated++
			status = ledger.StatusSubmitted
		case ledger.DecisionAccept:
			g.add(at, regActor, ledger.KindReviewRecorded, canonicalOf(ledger.Review{Return: id, Decision: d, Comment: "Accepted."}))
			status = ledger.StatusAccepted
		case ledger.DecisionReturn:
			g.add(at, regActor, ledger.KindReviewRecorded, canonicalOf(ledger.Review{Return: id, Decision: d,
				Comment:  "Please check the electricity figures.",
				Findings: []ledger.FieldError{{Path: "electricity[0].kwh", Message: "does not match the meter export"}}}))
			status = ledger.StatusReturned
		}
	}
	sum.Returns += version
	sum.Latest[string(status)]++
}

// file plans a return version of op for p.
func (g *regionGen) file(op ledger.Operator, p ledger.Period, version int, supersedes string, at time.Time, actor ledger.Actor) {
	kind := ledger.KindReturnFiled
	if version > 1 {
		kind = ledger.KindReturnRestated
	}
	g.add(at, actor, kind, func() ([]byte, error) {
		ret := g.returnOf(op, p, version)
		if supersedes != "" {
			ret.Restates, ret.Reason = supersedes, fmt.Sprintf("corrected meter readings (version %d)", version)
		}
		return ledger.Canonical(ledger.ReturnFiled{ID: ledger.ReturnID(op.ID, p, version), Version: version,
			Supersedes: supersedes, FactorSet: "apt-2025.1", Warnings: []ledger.Warning{}, Return: ret})
	})
}
