package disclosure

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/ictledger/ictledger/ledger"
)

// encodeBundle writes the canonical JSON of b (what ledger.Canonical
// gives) directly, members in sorted key order. A sector report of 50
// operators over ten years attaches about 2,100 entries, 10 MB of base64;
// through encoding/json and the key sort of ledger.Canonical it cost
// about 200 ms of CPU a render, a quarter of the whole, and every render
// encodes its bundle (the attachment), the render pool once more (the
// request to a worker). Written here it is a copy of the strings, which
// are base64 and need no escaping. Any string that does need escaping
// is escaped by encoding/json itself; a map key that does sends the
// whole bundle to ledger.Canonical, whose order for such keys this does
// not reproduce. TestEncodeBundleMatchesCanonical and FuzzEncodeBundle
// hold it to ledger.Canonical.
func encodeBundle(b *Bundle) ([]byte, error) {
	if !plainKeys(b.Deadlines) || !plainKeys(b.Coverage) {
		return ledger.Canonical(b)
	}
	w := jsonWriter{buf: make([]byte, 0, bundleSize(b))}
	w.raw("{")
	// Keys in byte order: basis, checkpoint, counted_at, country,
	// coverage, deadline, deadlines, document, entries, format, gwp,
	// methodology, operator, period, rollup, template.
	w.optString("basis", b.Basis)
	w.member("checkpoint")
	w.str(b.Checkpoint)
	if b.CountedAt != 0 {
		w.member("counted_at")
		w.buf = strconv.AppendUint(w.buf, b.CountedAt, 10)
	}
	w.optString("country", b.Country)
	if len(b.Coverage) > 0 {
		w.member("coverage")
		w.coverage(b.Coverage)
	}
	w.optString("deadline", b.Deadline)
	if len(b.Deadlines) > 0 {
		w.member("deadlines")
		w.deadlines(b.Deadlines)
	}
	w.member("document")
	w.str(b.Document)
	w.member("entries")
	w.entries(b.Entries)
	w.member("format")
	w.str(b.Format)
	w.member("gwp")
	w.str(b.GWP)
	w.optString("methodology", b.Methodology)
	w.optString("operator", b.Operator)
	w.member("period")
	w.str(b.Period)
	if b.Rollup != 0 {
		w.member("rollup")
		w.buf = strconv.AppendInt(w.buf, int64(b.Rollup), 10)
	}
	w.member("template")
	w.str(b.Template)
	w.raw("}")
	if w.err != nil {
		return nil, w.err
	}
	return w.buf, nil
}

// bundleSize is about the length of b's encoding, so that the buffer is
// allocated once: the entries' strings and a little for the rest.
func bundleSize(b *Bundle) int {
	n := 512 + len(b.Checkpoint) + 64*(len(b.Deadlines)+len(b.Coverage))
	for i := range b.Entries {
		e := &b.Entries[i]
		n += 64 + len(e.LeafHash) + len(e.Canonical)
		for _, p := range e.Proof {
			n += len(p) + 3
		}
	}
	return n
}

// jsonWriter appends JSON to buf; the first error of encoding/json on a
// string it could not write stays in err.
type jsonWriter struct {
	buf   []byte
	first bool // the next member is the first of its object
	err   error
}

func (w *jsonWriter) raw(s string) {
	w.buf = append(w.buf, s...)
	w.first = s == "{"
}

// member writes the key of the next member of the object, with the comma
// before it when it is not the first.
func (w *jsonWriter) member(key string) {
	if !w.first {
		w.buf = append(w.buf, ',')
	}
	w.first = false
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, key...)
	w.buf = append(w.buf, '"', ':')
}

// optString writes a string member that encoding/json's omitempty
// leaves out when empty.
func (w *jsonWriter) optString(key, s string) {
	if s != "" {
		w.member(key)
		w.str(s)
	}
}

// str writes s as encoding/json does without HTML escaping.
func (w *jsonWriter) str(s string) {
	if plainJSON(s) {
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '"')
		return
	}
	q, err := ledger.Canonical(s)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.buf = append(w.buf, q...)
}

// plainKeys reports whether every key of m is plainJSON, so that byte
// order is also the order of canonical JSON.
func plainKeys[V any](m map[string]V) bool {
	for k := range m {
		if !plainJSON(k) {
			return false
		}
	}
	return true
}

// plainJSON reports whether s is written in JSON as it is, between
// quotes: printable ASCII without a quote or a backslash.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (w *jsonWriter) entries(es []BundleEntry) {
	if es == nil {
		w.buf = append(w.buf, "null"...)
		return
	}
	w.buf = append(w.buf, '[')
	for i := range es {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		e := &es[i]
		w.raw("{")
		w.member("canonical")
		w.str(e.Canonical)
		w.member("leaf_hash")
		w.str(e.LeafHash)
		w.member("proof")
		w.strings(e.Proof)
		w.member("seq")
		w.buf = strconv.AppendUint(w.buf, e.Seq, 10)
		w.raw("}")
	}
	w.buf = append(w.buf, ']')
}

func (w *jsonWriter) strings(ss []string) {
	if ss == nil {
		w.buf = append(w.buf, "null"...)
		return
	}
	w.buf = append(w.buf, '[')
	for i, s := range ss {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.str(s)
	}
	w.buf = append(w.buf, ']')
}

func (w *jsonWriter) deadlines(m map[string]string) {
	w.raw("{")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.member(k)
		w.str(m[k])
	}
	w.raw("}")
}

func (w *jsonWriter) coverage(m map[string]RegionCounts) {
	w.raw("{")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.member(k)
		c := m[k]
		w.raw("{")
		w.member("due")
		w.buf = strconv.AppendInt(w.buf, int64(c.Due), 10)
		w.member("filed")
		w.buf = strconv.AppendInt(w.buf, int64(c.Filed), 10)
		w.raw("}")
	}
	w.raw("}")
}

// decodeCanonicalBundle reads raw when it is exactly the canonical
// encoding of a bundle, as every bundle this service attaches or sends
// to a render worker is; false sends it to encoding/json. It takes each
// object apart with ledger.Members and each array with ledger.Elements,
// and then encodes what it read: only when that gives raw again is the
// bundle returned, so it is the bundle encoding/json would give, and
// anything else (an unknown member, whitespace, a number written
// otherwise, data after the object) is left to encoding/json, which also
// words the error. Every bundle is decoded once in the render worker and
// once more in every verification;
// BenchmarkDecodeBundle (2,106 entries, 39 MB) took 348 ms and 176 MB
// through encoding/json alone, 205-260 ms and 81 MB with this.
func decodeCanonicalBundle(raw []byte) (*Bundle, bool) {
	var b Bundle
	err := ledger.Members(raw, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "basis":
			b.Basis, err = jsonString(v)
		case "checkpoint":
			b.Checkpoint, err = jsonString(v)
		case "counted_at":
			b.CountedAt, err = strconv.ParseUint(string(v), 10, 64)
		case "country":
			b.Country, err = jsonString(v)
		case "coverage":
			b.Coverage, err = decodeCoverage(v)
		case "deadline":
			b.Deadline, err = jsonString(v)
		case "deadlines":
			b.Deadlines, err = decodeDeadlines(v)
		case "document":
			b.Document, err = jsonString(v)
		case "entries":
			b.Entries, err = decodeEntries(v)
		case "format":
			b.Format, err = jsonString(v)
		case "gwp":
			b.GWP, err = jsonString(v)
		case "methodology":
			b.Methodology, err = jsonString(v)
		case "operator":
			b.Operator, err = jsonString(v)
		case "period":
			b.Period, err = jsonString(v)
		case "rollup":
			b.Rollup, err = strconv.Atoi(string(v))
		case "template":
			b.Template, err = jsonString(v)
		default:
			err = errNotCanonical
		}
		return err
	})
	if err != nil {
		return nil, false
	}
	again, err := encodeBundle(&b)
	if err != nil || !bytes.Equal(again, raw) {
		return nil, false
	}
	return &b, true
}

// errNotCanonical stops the fast reading of a bundle that is not in the
// form this service writes.
var errNotCanonical = errors.New("not a canonical bundle")

// jsonString decodes a JSON string, without encoding/json when it has no
// escapes.
func jsonString(v []byte) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errNotCanonical
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), nil
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err
}

func decodeEntries(v []byte) ([]BundleEntry, error) {
	if string(v) == "null" {
		return nil, nil
	}
	out := make([]BundleEntry, 0, bytes.Count(v, []byte(`"seq":`)))
	err := ledger.Elements(v, func(el []byte) error {
		var e BundleEntry
		err := ledger.Members(el, func(k, v []byte) error {
			var err error
			switch string(k) {
			case "canonical":
				e.Canonical, err = jsonString(v)
			case "leaf_hash":
				e.LeafHash, err = jsonString(v)
			case "proof":
				e.Proof, err = decodeStrings(v)
			case "seq":
				e.Seq, err = strconv.ParseUint(string(v), 10, 64)
			default:
				err = errNotCanonical
			}
			return err
		})
		out = append(out, e)
		return err
	})
	return out, err
}

func decodeStrings(v []byte) ([]string, error) {
	if string(v) == "null" {
		return nil, nil
	}
	out := make([]string, 0, bytes.Count(v, []byte(`","`))+1)
	err := ledger.Elements(v, func(el []byte) error {
		s, err := jsonString(el)
		out = append(out, s)
		return err
	})
	return out, err
}

func decodeDeadlines(v []byte) (map[string]string, error) {
	out := map[string]string{}
	err := ledger.Members(v, func(k, v []byte) error {
		s, err := jsonString(v)
		out[string(k)] = s
		return err
	})
	return out, err
}

func decodeCoverage(v []byte) (map[string]RegionCounts, error) {
	out := map[string]RegionCounts{}
	err := ledger.Members(v, func(k, v []byte) error {
		var c RegionCounts
		err := ledger.Members(v, func(k, v []byte) error {
			var err error
			switch string(k) {
			case "due":
				c.Due, err = strconv.Atoi(string(v))
			case "filed":
				c.Filed, err = strconv.Atoi(string(v))
			default:
				err = errNotCanonical
			}
			return err
		})
		out[string(k)] = c
		return err
	})
	return out, err
}
