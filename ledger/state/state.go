// Package state holds the queryable state of the ledger in go-memdb. It is
// a pure function of the journal: Apply is called for every entry in
// sequence order, at start (replay) and after each commit, and the tables
// are whatever those entries imply. Nothing here does I/O.
package state

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/ictledger/ictledger/ledger"
)

// State is the in-memory state machine fed by the journal.
type State struct {
	db   *memdb.MemDB
	size atomic.Uint64 // number of entries applied
	// commitMu makes a commit and the size that counts it one step for
	// View, which must see both or neither.
	commitMu sync.Mutex
}

// New returns an empty state.
func New() *State {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		// The schema is a constant of this package; TestSchemaBuilds proves it valid.
		panic(fmt.Sprintf("state: invalid schema: %v", err))
	}
	// Nothing reads the memdb's watch channels (a reader asks again
	// rather than waits), so the state writes to a snapshot of it: a
	// go-memdb that is not the primary does not track the channels of
	// the nodes a transaction replaces nor close them at commit (a
	// restart of the 10 x 50 x 10 regional ledger allocated 7 % less).
	// A snapshot is otherwise a whole database with its own writer lock.
	return &State{db: db.Snapshot()}
}

// Reset empties the state, as New made it. Like LoadSnapshot, it is for
// the store while it opens the ledger, before anything else reads the
// state.
func (s *State) Reset() {
	fresh := New()
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.db = fresh.db
	s.size.Store(0)
}

// Size is the number of entries applied so far, which is also the sequence
// number the next entry will get.
func (s *State) Size() uint64 { return s.size.Load() }

// Apply applies the entry with sequence number seq. Entries must come in
// order without gaps. An error means the entry contradicts the state,
// which for a journal written by this service means corruption or a bug;
// the caller must stop rather than carry on.
func (s *State) Apply(seq uint64, canonical []byte) error {
	return s.ApplyRecord(seq, canonical, ledger.LeafHash(canonical))
}

// ApplyRecord is Apply with the entry's leaf hash already computed (the
// journal's OnCommit hook passes it).
func (s *State) ApplyRecord(seq uint64, canonical []byte, leaf tlog.Hash) error {
	r := s.NewReplay() // a replay of one entry: one transaction, committed at once
	if err := r.Apply(seq, canonical, leaf); err != nil {
		return err
	}
	r.Finish()
	return nil
}

// prepared is an entry decoded ahead of its application: all of it that
// does not need the state.
type prepared struct {
	e       ledger.Entry
	payload any
	err     error // the entry cannot be applied; says which
}

// prepare decodes the entry with sequence number seq. It reads nothing of
// the state, so a replay runs it on another goroutine.
func prepare(seq uint64, canonical []byte) *prepared {
	e, err := ledger.DecodeEntry(canonical)
	if err != nil {
		return &prepared{err: fmt.Errorf("apply entry %d: %w", seq, err)}
	}
	if e.Seq != seq {
		return &prepared{err: fmt.Errorf("apply entry %d: entry says it is %d", seq, e.Seq)}
	}
	payload, err := decodePayload(e)
	if err != nil {
		return &prepared{err: fmt.Errorf("apply entry %d (%s): %w", seq, e.Kind, err)}
	}
	return &prepared{e: e, payload: payload}
}

// Replay applies a journal's records at start, like Apply but many
// entries to a memdb transaction. A transaction per entry copies the path
// from the root of every index it touches and allocates the watch
// channels of every copied node, once per entry; within one transaction
// a node is copied once and then changed in place. Readers see the
// entries a batch at a time (Size included), and the last batch only
// after Finish.
type Replay struct {
	s       *State
	txn     *memdb.Txn
	next    uint64
	pending int
	err     error // the first failure; the replay is over
}

// replayBatch is how many entries a replay transaction takes: enough to
// share most copied nodes. When the state still tracked watch channels,
// a commit past about 8,000 of them walked both trees, which cost more
// than larger batches saved (measured with 4,096 entries a batch); with
// none tracked, 1,024 entries a batch was no faster than 256 (10 x 50 x
// 10 regional ledger, 2026-12-07).
const replayBatch = 256

// NewReplay starts a replay after the entries already applied.
func (s *State) NewReplay() *Replay { return &Replay{s: s, next: s.Size()} }

// Apply applies the entry with sequence number seq and leaf hash leaf.
// On an error the state holds some prefix of the entries before seq;
// discard it, as the journal's Open does on damage.
func (r *Replay) Apply(seq uint64, canonical []byte, leaf tlog.Hash) error {
	return r.ApplyPrepared(seq, canonical, leaf, nil)
}

// Prepare decodes an entry ahead of ApplyPrepared (the journal's Prepare
// hook). It touches nothing of the replay or the state, so it may run on
// another goroutine while earlier entries are applied.
func (r *Replay) Prepare(seq uint64, canonical []byte, _ tlog.Hash) any {
	return prepare(seq, canonical)
}

// ApplyPrepared is Apply of an entry that Prepare decoded already (the
// journal's Replay hook); with p nil it decodes the entry itself. The
// errors are Apply's, in the same order: an entry out of sequence, then
// one that does not decode, then one that contradicts the state.
func (r *Replay) ApplyPrepared(seq uint64, canonical []byte, leaf tlog.Hash, p any) error {
	if r.err != nil {
		return r.err
	}
	var err error
	if seq != r.next {
		err = fmt.Errorf("apply entry %d: expected entry %d next", seq, r.next)
	} else {
		pe, ok := p.(*prepared)
		if !ok {
			pe = prepare(seq, canonical)
		}
		err = pe.err
		if err == nil {
			if r.txn == nil {
				r.txn = r.s.db.Txn(true)
			}
			if err = applyTxn(r.txn, pe.e, pe.payload, leaf); err != nil {
				err = fmt.Errorf("apply entry %d (%s): %w", seq, pe.e.Kind, err)
			}
		}
	}
	if err != nil {
		// The batch is dropped and the replay over: the caller discards
		// the state.
		if r.txn != nil {
			r.txn.Abort()
		}
		r.txn, r.pending, r.err = nil, 0, err
		return err
	}
	r.next++
	if r.pending++; r.pending >= replayBatch {
		r.Finish()
	}
	return nil
}

// Finish commits the entries applied since the last commit. Call it when
// the journal has opened; it is harmless to call again.
func (r *Replay) Finish() {
	if r.txn != nil {
		r.s.commitMu.Lock()
		r.txn.Commit()
		r.s.size.Store(r.next)
		r.s.commitMu.Unlock()
		r.txn, r.pending = nil, 0
	}
}

// decodePayload decodes what an entry of e's kind carries, without the
// state: the part of applying an entry that a replay does ahead, on
// another goroutine (see Replay.Prepare).
func decodePayload(e ledger.Entry) (any, error) {
	switch e.Kind {
	case ledger.KindOperatorRegistered:
		return decodeAs[ledger.Operator](e)
	case ledger.KindTokenIssued:
		return decodeAs[ledger.TokenIssued](e)
	case ledger.KindTokenRevoked:
		return decodeAs[ledger.TokenRevoked](e)
	case ledger.KindFactorSetPublished:
		return decodeAs[ledger.FactorSet](e)
	case ledger.KindReturnFiled, ledger.KindReturnRestated:
		rf, head, err := decodeReturn(e)
		return decodedReturn{rf, head}, err
	case ledger.KindReviewRecorded:
		return decodeReview(e)
	case ledger.KindDeadlineSet:
		return decodeAs[ledger.DeadlineSet](e)
	case ledger.KindJurisdictionSet:
		return decodeAs[ledger.Jurisdiction](e)
	case ledger.KindDisclosureIssued:
		return decodeAs[ledger.DisclosureIssued](e)
	case ledger.KindRegionRecorded:
		r, err := decodeAs[ledger.RegionRecorded](e)
		if err == nil {
			err = r.Check()
		}
		return r, err
	case ledger.KindSectorRecorded:
		r, err := decodeAs[ledger.SectorRecorded](e)
		if err == nil {
			err = r.Check()
		}
		return r, err
	default:
		return nil, fmt.Errorf("unknown entry kind %q", e.Kind)
	}
}

// decodeAs decodes e's payload into a new T.
func decodeAs[T any](e ledger.Entry) (*T, error) {
	v := new(T)
	if err := e.DecodePayload(v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodedReturn is a return entry's payload as the state reads it.
type decodedReturn struct {
	rf   returnEntry
	head returnHead
}

// applyTxn applies entry e, its payload decoded by decodePayload.
func applyTxn(txn *memdb.Txn, e ledger.Entry, payload any, leaf [32]byte) error {
	switch v := payload.(type) {
	case *ledger.Operator:
		return insertNew(txn, tableOperators, v.ID, &Operator{Operator: *v, Seq: e.Seq, RegisteredAt: e.Time})
	case *ledger.TokenIssued:
		return insertNew(txn, tableTokens, v.ID, &Token{ID: v.ID, SecretHash: v.SecretHash, Role: v.Role,
			Operator: v.Operator, Label: v.Label, Jurisdictions: v.Jurisdictions, IssuedSeq: e.Seq, IssuedAt: e.Time})
	case *ledger.TokenRevoked:
		return revokeTokenTxn(txn, v.ID, e)
	case *ledger.FactorSet:
		return insertNew(txn, tableFactorSets, v.Version, &FactorSet{Version: v.Version, Seq: e.Seq, PublishedAt: e.Time, Set: v})
	case decodedReturn:
		return fileReturnTxn(txn, v.rf, v.head, e, leaf)
	case ledger.Review:
		return recordReviewTxn(txn, v, e, leaf)
	case *ledger.DeadlineSet:
		return txn.Insert(tableDeadlines, &Deadline{PeriodKey: v.Period.String(), Deadline: v.Deadline, Reason: v.Reason, Seq: e.Seq})
	case *ledger.Jurisdiction:
		// A later record replaces the earlier one, as a deadline does.
		return txn.Insert(tableJurisdictions, &Jurisdiction{Jurisdiction: *v, Seq: e.Seq, SetAt: e.Time, Location: v.Location()})
	case *ledger.DisclosureIssued:
		// The service records a document once; a second record of the
		// same bytes (two servers' journals cannot merge, so only a bug)
		// keeps the first.
		if existing, err := txn.First(tableDisclosures, indexID, v.SHA256); err != nil || existing != nil {
			return err
		}
		return txn.Insert(tableDisclosures, &Disclosure{DisclosureIssued: *v, Seq: e.Seq, Time: e.Time})
	case *ledger.RegionRecorded:
		if v.At > e.Seq {
			return fmt.Errorf("a region record of %s is of %d entries, past its own place", v.Period, v.At)
		}
		// The latest record of a span replaces the one before.
		return txn.Insert(tableRegionRecords, &RegionRecord{Period: v.Period, At: v.At, Root: v.Root, Seq: e.Seq, Time: e.Time})
	case *ledger.SectorRecorded:
		if v.At > e.Seq || v.AsOf.After(e.Time) {
			return fmt.Errorf("a sector record of %s is of %d entries as of %s, past its own place (entry %d at %s)",
				v.Key(), v.At, v.AsOf.Format(time.RFC3339Nano), e.Seq, e.Time.Format(time.RFC3339Nano))
		}
		return txn.Insert(tableSectorRecords, &SectorRecord{Key: v.Key(), Period: v.Period, At: v.At, Root: v.Root, AsOf: v.AsOf, Build: v.Build, Seq: e.Seq, Time: e.Time})
	default:
		return fmt.Errorf("apply entry %d: payload of type %T", e.Seq, payload) // decodePayload returns none other
	}
}

// insertNew inserts obj under a unique id that must not exist yet.
func insertNew(txn *memdb.Txn, table, id string, obj any) error {
	existing, err := txn.First(table, indexID, id)
	if err != nil {
		return err
	}
	if existing != nil {
		return fmt.Errorf("%s %q exists already", table, id)
	}
	return txn.Insert(table, obj)
}

func revokeTokenTxn(txn *memdb.Txn, id string, e ledger.Entry) error {
	raw, err := txn.First(tableTokens, indexID, id)
	if err != nil {
		return err
	}
	if raw == nil {
		return fmt.Errorf("token %q does not exist", id)
	}
	t := *raw.(*Token)
	t.Revoked, t.RevokedAt = true, e.Time
	return txn.Insert(tableTokens, &t)
}

// returnEntry is a return entry decoded for the state: the version's
// facts, with the return itself left as JSON. Decoding a return into Go
// values (every quantity a decimal) is most of the cost of replaying a
// journal, and the state needs only a few of its fields.
//
// It is ledger.ReturnFiled with its Return shadowed by the raw JSON, so a
// field added there is read here too (decodeReturnFast sends an entry
// with a member it does not know to the slow path, which decodes this).
type returnEntry struct {
	ledger.ReturnFiled
	Return json.RawMessage `json:"return"`
}

// returnHead is what the state reads from inside a return.
type returnHead struct {
	Operator string          `json:"operator"`
	Period   ledger.Period   `json:"period"`
	Reason   string          `json:"reason"`
	Sites    json.RawMessage `json:"sites"`
	Claims   []claimHead     `json:"renewable_claims"` // for the certificates table
}

func fileReturnTxn(txn *memdb.Txn, rf returnEntry, head returnHead, e ledger.Entry, leaf [32]byte) error {
	hasSites := len(head.Sites) > 0 && string(head.Sites) != "null"
	rv := &ReturnVersion{
		ID: rf.ID, Operator: head.Operator, Period: head.Period, PeriodKey: head.Period.String(),
		Version: rf.Version, Supersedes: rf.Supersedes, Reason: head.Reason, FactorSet: rf.FactorSet,
		IdempotencyKey: rf.IdempotencyKey, Warnings: rf.Warnings, Seq: e.Seq, LeafHash: leaf,
		FiledAt: e.Time, Actor: e.Actor,
	}
	if len(rv.Warnings) == 0 {
		// Warnings written [] (the service's filings) and left out are
		// one thing, nil: a snapshot (gob) brings an empty list back as
		// nil, and the service answers [] for either.
		rv.Warnings = nil
	}
	if !hasSites {
		rv.Raw = append([]byte(nil), rf.Return...)
	}
	released, err := supersedeTxn(txn, rv)
	if err != nil {
		return err
	}
	held, err := claimCertificatesTxn(txn, released, rv, head.Claims)
	if err != nil {
		return err
	}
	rv.Certificates = held
	if err := insertNew(txn, tableReturns, rv.ID, rv); err != nil {
		return err
	}
	if err := txn.Insert(tableLatest, &latestVersion{Key: latestKey(rv.Operator, rv.Period), PeriodKey: rv.PeriodKey,
		ReturnID: rv.ID, FactorSet: rv.FactorSet, Seq: rv.Seq}); err != nil {
		return err
	}
	if rf.IdempotencyKey != "" {
		return txn.Insert(tableIdempotency, &Idempotency{Key: IdempotencyKey(rv.Operator, rf.IdempotencyKey), ReturnID: rv.ID})
	}
	return nil
}

// supersedeTxn marks the version rv supersedes as superseded and drops
// its figures, returning the certificates it held (to be released). A
// first version (nothing superseded) must be the first of its quarter. A
// quarter's versions are thus one chain of Supersedes (see chainTo).
func supersedeTxn(txn *memdb.Txn, rv *ReturnVersion) (released []string, err error) {
	if rv.Supersedes == "" {
		l, err := txn.First(tableLatest, indexID, latestKey(rv.Operator, rv.Period))
		if err != nil {
			return nil, err
		}
		if l != nil {
			return nil, fmt.Errorf("return %s is a first version of %s %s, which has %s", rv.ID, rv.Operator, rv.PeriodKey, l.(*latestVersion).ReturnID)
		}
		return nil, nil
	}
	raw, err := txn.First(tableReturns, indexID, rv.Supersedes)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, fmt.Errorf("return %s supersedes unknown return %s", rv.ID, rv.Supersedes)
	}
	old := *raw.(*ReturnVersion)
	if old.SupersededBy != "" {
		return nil, fmt.Errorf("return %s supersedes %s, already superseded by %s", rv.ID, old.ID, old.SupersededBy)
	}
	if old.Operator != rv.Operator || old.Period != rv.Period {
		return nil, fmt.Errorf("return %s of %s %s supersedes %s, a return of %s %s", rv.ID, rv.Operator, rv.PeriodKey, old.ID, old.Operator, old.PeriodKey)
	}
	old.SupersededBy = rv.ID
	old.Raw = nil // only latest versions are kept; the journal has the rest
	released, old.Certificates = old.Certificates, nil
	if err := txn.Insert(tableReturns, &old); err != nil {
		return nil, err
	}
	// The version and "" end the prefix at the version id, so that
	// x-v1 does not also drop the figures of x-v10.
	if _, err := txn.DeleteAll(tableFigures, indexID+"_prefix", old.ID, ""); err != nil {
		return nil, err
	}
	return released, nil
}

func recordReviewTxn(txn *memdb.Txn, r ledger.Review, e ledger.Entry, leaf [32]byte) error {
	raw, err := txn.First(tableReturns, indexID, r.Return)
	if err != nil {
		return err
	}
	if raw == nil {
		return fmt.Errorf("review of unknown return %s", r.Return)
	}
	rv := *raw.(*ReturnVersion)
	rv.Reviews = append(append([]Review{}, rv.Reviews...), Review{Review: r, Seq: e.Seq, LeafHash: leaf, Time: e.Time, Actor: e.Actor})
	return txn.Insert(tableReturns, &rv)
}

// Operator returns a registered operator, or nil.
func (s *State) Operator(id string) *Operator {
	return first[*Operator](s, tableOperators, indexID, id)
}

// Operators lists all registered operators by id.
func (s *State) Operators() []*Operator {
	return all[*Operator](s, tableOperators, indexID)
}

// Token returns a token by id, or nil.
func (s *State) Token(id string) *Token { return first[*Token](s, tableTokens, indexID, id) }

// TokenBySecretHash returns the token whose secret hashes to h, or nil.
func (s *State) TokenBySecretHash(h string) *Token {
	return first[*Token](s, tableTokens, indexSecretHash, h)
}

// Tokens lists all tokens by id.
func (s *State) Tokens() []*Token { return all[*Token](s, tableTokens, indexID) }

// Disclosure returns the issued disclosure whose bytes have this SHA-256
// (hex), or nil.
func (s *State) Disclosure(sha256Hex string) *Disclosure {
	return first[*Disclosure](s, tableDisclosures, indexID, sha256Hex)
}

// SectorRecord returns the latest sector.recorded entry of a scope and
// span (ledger.SectorRecordKey), or nil.
func (s *State) SectorRecord(key string) *SectorRecord {
	return first[*SectorRecord](s, tableSectorRecords, indexID, key)
}

// RegionRecord returns the latest region.recorded entry of a span
// ("2025-Q3", "2025"), or nil.
func (s *State) RegionRecord(period string) *RegionRecord {
	return first[*RegionRecord](s, tableRegionRecords, indexID, period)
}

// FactorSet returns a published factor set by version, or nil.
func (s *State) FactorSet(version string) *FactorSet {
	return first[*FactorSet](s, tableFactorSets, indexID, version)
}

// FactorSets lists the published factor sets in publication order.
func (s *State) FactorSets() []*FactorSet {
	fs := all[*FactorSet](s, tableFactorSets, indexID)
	sort.Slice(fs, func(i, j int) bool { return fs[i].Seq < fs[j].Seq })
	return fs
}

// LatestFactorSet is the most recently published factor set, or nil.
func (s *State) LatestFactorSet() *FactorSet {
	fs := s.FactorSets()
	if len(fs) == 0 {
		return nil
	}
	return fs[len(fs)-1]
}

// Return returns a return version by id, or nil.
func (s *State) Return(id string) *ReturnVersion {
	return first[*ReturnVersion](s, tableReturns, indexID, id)
}

// Versions lists every version of an operator's return for a period,
// oldest first: the chain of restatements back from the latest.
func (s *State) Versions(operator string, p ledger.Period) []*ReturnVersion {
	txn := s.db.Txn(false)
	l := firstIn[*latestVersion](txn, tableLatest, indexID, latestKey(operator, p))
	if l == nil {
		return nil
	}
	return chainTo(txn, l.ReturnID, nil)
}

// chainTo appends to out the versions of a quarter up to the version id,
// oldest first, following Supersedes back from id. Every version of a
// quarter is on that chain: fileReturnTxn refuses a first version of a
// quarter that has one and a restatement of another quarter's version or
// of a superseded one.
func chainTo(txn *memdb.Txn, id string, out []*ReturnVersion) []*ReturnVersion {
	start := len(out)
	for id != "" {
		rv := firstIn[*ReturnVersion](txn, tableReturns, indexID, id)
		if rv == nil {
			break // fileReturnTxn refuses a version that supersedes none
		}
		out = append(out, rv)
		id = rv.Supersedes
	}
	slices.Reverse(out[start:])
	return out
}

// AnyFiled reports whether some operator has filed a return for quarter p.
func (s *State) AnyFiled(p ledger.Period) bool {
	return first[*latestVersion](s, tableLatest, indexPeriod, p.String()) != nil
}

// Latest is the latest version of an operator's return for a period, or nil.
func (s *State) Latest(operator string, p ledger.Period) *ReturnVersion {
	txn := s.db.Txn(false)
	l := firstIn[*latestVersion](txn, tableLatest, indexID, latestKey(operator, p))
	if l == nil {
		return nil
	}
	return firstIn[*ReturnVersion](txn, tableReturns, indexID, l.ReturnID)
}

// ReturnsOf lists every version of every return of an operator, by period
// then version.
func (s *State) ReturnsOf(operator string) []*ReturnVersion {
	txn := s.db.Txn(false)
	var out []*ReturnVersion
	for _, l := range collect[*latestVersion](s.latestRows(txn, operator)) {
		out = chainTo(txn, l.ReturnID, out)
	}
	return out
}

// LatestOf lists the latest version of each of an operator's quarters,
// oldest quarter first: the order of their keys (latestKey).
func (s *State) LatestOf(operator string) []*ReturnVersion {
	txn := s.db.Txn(false)
	var out []*ReturnVersion
	for _, l := range collect[*latestVersion](s.latestRows(txn, operator)) {
		out = append(out, firstIn[*ReturnVersion](txn, tableReturns, indexID, l.ReturnID))
	}
	return out
}

// latestRows iterates an operator's rows of the latest table in key
// order, which is period order.
func (s *State) latestRows(txn *memdb.Txn, operator string) memdb.ResultIterator {
	it, err := txn.Get(tableLatest, indexID+"_prefix", operator+"\x00")
	if err != nil {
		panic(err)
	}
	return it
}

// HistoryMark names the latest versions of an operator's quarters before
// a period without listing them: how many quarters there are and the
// highest ledger position among their latest versions. For the same
// operator and period, two marks are equal exactly when the versions
// are: the latest table is written only when a return is filed, entries
// are applied one at a time in ledger order, and versions are never
// removed, so any change (a restatement, a first filing for one more
// quarter) brings a version newer than every one before it and MaxSeq
// grows. Keys that use a mark also name the operator and period.
type HistoryMark struct {
	Quarters int
	MaxSeq   uint64
}

// HistoryMark is the mark of the operator's latest versions of quarters
// before p (see LatestOf) without reading the versions themselves.
func (s *State) HistoryMark(operator string, p ledger.Period) HistoryMark {
	end := latestKey(operator, p)
	var m HistoryMark
	it := s.latestRows(s.db.Txn(false), operator)
	for raw := it.Next(); raw != nil; raw = it.Next() {
		l := raw.(*latestVersion)
		if l.Key >= end { // keys sort by period
			break
		}
		m.Quarters++
		m.MaxSeq = max(m.MaxSeq, l.Seq)
	}
	return m
}

// MarkOf is the HistoryMark of versions already read.
func MarkOf(rvs []*ReturnVersion) HistoryMark {
	m := HistoryMark{Quarters: len(rvs)}
	for _, rv := range rvs {
		m.MaxSeq = max(m.MaxSeq, rv.Seq)
	}
	return m
}

// FirstPeriod is the earliest quarter the operator has filed for.
func (s *State) FirstPeriod(operator string) (ledger.Period, bool) {
	txn := s.db.Txn(false)
	raw := s.latestRows(txn, operator).Next() // the first key is the first quarter
	if raw == nil {
		return ledger.Period{}, false
	}
	return firstIn[*ReturnVersion](txn, tableReturns, indexID, raw.(*latestVersion).ReturnID).Period, true
}

// IdempotentReturn returns the return an operator's Idempotency-Key made, or nil.
func (s *State) IdempotentReturn(operator, key string) *ReturnVersion {
	idem := first[*Idempotency](s, tableIdempotency, indexID, IdempotencyKey(operator, key))
	if idem == nil {
		return nil
	}
	return s.Return(idem.ReturnID)
}

// Deadline returns the admin's deadline override of a period, or nil.
func (s *State) Deadline(p ledger.Period) *Deadline {
	return first[*Deadline](s, tableDeadlines, indexID, p.String())
}

// Jurisdiction returns the administration's record of a country, or nil.
func (s *State) Jurisdiction(country string) *Jurisdiction {
	return first[*Jurisdiction](s, tableJurisdictions, indexID, country)
}

// Jurisdictions lists the administrations' records by country.
func (s *State) Jurisdictions() []*Jurisdiction {
	return all[*Jurisdiction](s, tableJurisdictions, indexID)
}

func sortReturns(rs []*ReturnVersion) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Period != rs[j].Period {
			return rs[i].Period.Before(rs[j].Period)
		}
		return rs[i].Version < rs[j].Version
	})
}

func first[T any](s *State, table, index string, args ...any) T {
	return firstIn[T](s.db.Txn(false), table, index, args...)
}

// firstIn is first within a read transaction the caller holds, so that
// several look-ups see one state (and share one transaction).
func firstIn[T any](txn *memdb.Txn, table, index string, args ...any) T {
	var zero T
	raw, err := txn.First(table, index, args...)
	if err != nil {
		panic(err) // tables and indexes are constants; see TestSchemaBuilds
	}
	if raw == nil {
		return zero
	}
	return raw.(T)
}

func all[T any](s *State, table, index string) []T {
	it, err := s.db.Txn(false).Get(table, index)
	if err != nil {
		panic(err)
	}
	return collect[T](it)
}

func collect[T any](it memdb.ResultIterator) []T {
	var out []T
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(T))
	}
	return out
}
