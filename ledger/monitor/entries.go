package monitor

import (
	"bytes"
	"fmt"
	"regexp"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/tiles"
)

// checkBundle checks the entries of bundle n from the state's Next to the
// end of the bundle in a tree of size entries, and returns how many it
// checked.
func (m *run) checkBundle(n, size uint64) (uint64, error) {
	start := n * tiles.FullWidth
	width := min(size-start, tiles.FullWidth)
	tile := tlog.Tile{H: tiles.Height, L: tiles.EntriesLevel, N: int64(n), W: int(width)}
	from := m.st.Next
	// The leaf hashes come from level 0 tiles that TileHashReader checks
	// against the signed root, so the bundle is checked against the
	// checkpoint, not against anything else the server says.
	indexes := make([]int64, 0, start+width-from)
	for seq := from; seq < start+width; seq++ {
		indexes = append(indexes, tlog.StoredHashIndex(0, int64(seq)))
	}
	leaves, err := m.thr.ReadHashes(indexes)
	if err != nil {
		return 0, m.tileError(err, m.st.Note)
	}
	path := tiles.Path(tile)
	b, err := m.f.get(m.cfg.Log+"/"+path, m.cfg.MaxFetchBytes)
	if err != nil {
		return 0, fmt.Errorf("monitor: fetch %s: %w", path, err)
	}
	items, err := tiles.ParseBundle(b, tile)
	if err != nil {
		return 0, m.badEntry(from, "%v", err)
	}
	for _, it := range items[from-start:] {
		data, err := m.entryBytes(it)
		if err != nil {
			return 0, err
		}
		if tlog.RecordHash(data) != leaves[it.Seq-from] {
			return 0, m.badEntry(it.Seq, "entry %d in %s does not hash to its leaf in the signed tree", it.Seq, path)
		}
		if err := m.wellFormed(it.Seq, data); err != nil {
			return 0, err
		}
	}
	m.cfg.Logger.Info("checked entries", "from", from, "to", start+width, "bundle", path)
	return start + width - from, nil
}

// entryBytes returns an item's bytes, fetching a large entry that the
// bundle carries by reference.
func (m *run) entryBytes(it tiles.Item) ([]byte, error) {
	if it.Ref == nil {
		return it.Data, nil
	}
	if int64(it.Ref.Length) > m.cfg.MaxFetchBytes {
		return nil, fmt.Errorf("monitor: entry %d is %d bytes, over the %d bytes one fetch may read; raise the limit to check it",
			it.Seq, it.Ref.Length, m.cfg.MaxFetchBytes)
	}
	path := tiles.EntryPath(it.Seq)
	// Read up to the fetch limit, not the reference's length, so that an
	// entry of another length is an alarm below rather than a failed fetch.
	data, err := m.f.get(m.cfg.Log+"/"+path, m.cfg.MaxFetchBytes)
	if err != nil {
		return nil, fmt.Errorf("monitor: fetch %s: %w", path, err)
	}
	if err := it.Ref.Check(data); err != nil {
		return nil, m.badEntry(it.Seq, "%s: %v", path, err)
	}
	return data, nil
}

// kindForm is the form of every entry kind: "subject.event".
var kindForm = regexp.MustCompile(`^[a-z][a-z_]*\.[a-z][a-z_]*$`)

// wellFormed checks what every entry of the ledger must be: canonical JSON
// that decodes as an entry numbered seq, by a known role, of a kind of the
// form "subject.event", with a JSON object as payload and a time no
// earlier than the entry before it. Kinds are not checked against a list,
// so that a newer server's kinds do not raise false alarms.
func (m *run) wellFormed(seq uint64, data []byte) error {
	e, err := ledger.DecodeEntry(data)
	if err != nil {
		return m.badEntry(seq, "entry %d does not decode: %v", seq, err)
	}
	switch {
	case e.Seq != seq:
		return m.badEntry(seq, "entry %d carries sequence number %d", seq, e.Seq)
	case !kindForm.MatchString(string(e.Kind)):
		return m.badEntry(seq, "entry %d has kind %q", seq, e.Kind)
	case !knownActor(e):
		return m.badEntry(seq, "entry %d has actor %+v", seq, e.Actor)
	case len(e.Payload) == 0 || e.Payload[0] != '{':
		return m.badEntry(seq, "entry %d has a payload that is not a JSON object", seq)
	case e.Time.Before(m.st.LastTime):
		return m.badEntry(seq, "entry %d is dated %s, before the entry before it (%s)", seq, e.Time.Format(time.RFC3339Nano), m.st.LastTime.Format(time.RFC3339Nano))
	}
	canon, err := ledger.CanonicalizeJSON(e.Payload)
	if err != nil || !bytes.Equal(canon, e.Payload) {
		return m.badEntry(seq, "entry %d has a payload that is not canonical JSON", seq)
	}
	again, err := ledger.EncodeEntryRaw(e.Seq, e.Time, e.Actor, e.Kind, e.Payload)
	if err != nil || !bytes.Equal(again, data) {
		return m.badEntry(seq, "entry %d is not in canonical form", seq)
	}
	m.st.LastTime = e.Time
	return nil
}

// badEntry is the alarm for entry seq.
func (m *run) badEntry(seq uint64, format string, args ...any) error {
	return &Alarm{Kind: BadEntry, Seq: seq, Message: fmt.Sprintf(format, args...), New: m.st.Note}
}

// knownActor says whether the entry's actor is a known role with a token,
// or the public (the empty actor) recording a disclosure it downloaded:
// the first download of a public disclosure appends its
// disclosure.issued entry on behalf of whoever asked.
func knownActor(e ledger.Entry) bool {
	if e.Actor == (ledger.Actor{}) {
		return e.Kind == ledger.KindDisclosureIssued
	}
	return e.Actor.Role.Valid() && e.Actor.TokenID != ""
}
