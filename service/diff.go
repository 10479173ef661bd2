package service

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/ictledger/ictledger/ledger"
)

// Change is one field that differs between two versions of a return.
// Before or After is null when the field exists on one side only.
type Change struct {
	Path string `json:"path"`
	// Label names the field for people: each list element by what
	// identifies it ("Fuels · diesel, stationary, ran · quantity").
	Label  string          `json:"label"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Diff is the field-level difference between two return versions, and
// the metrics that changed as a result.
type Diff struct {
	From    string   `json:"from"` // the "against" version
	To      string   `json:"to"`
	Changes []Change `json:"changes"`
	// Metrics lists the metrics whose values differ, each version
	// computed under the factor set it was filed with (FactorSets).
	Metrics    []MetricChange `json:"metrics"`
	FactorSets FromTo         `json:"factor_sets"`
}

// FromTo is a pair of values of the "against" version and of the other.
type FromTo struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Diff compares return id with another version of the same operator's
// return (admin, regulator, or that operator). Paths are JSON paths in
// the quarterly return, e.g. "electricity[2].kwh"; arrays compare by
// position, which is how the operator wrote them.
func (s *Service) Diff(a ledger.Actor, id, against string) (*Diff, error) {
	to, err := s.Return(a, id)
	if err != nil {
		return nil, err
	}
	from, err := s.Return(a, against)
	if err != nil {
		return nil, err
	}
	if from.Version.Operator != to.Version.Operator {
		return nil, ledger.Errorf(ledger.EInvalid, "returns %s and %s belong to different operators", id, against)
	}
	before, err := flattenJSON(from.Filed.Return)
	if err != nil {
		return nil, err
	}
	after, err := flattenJSON(to.Filed.Return)
	if err != nil {
		return nil, err
	}
	d := &Diff{From: against, To: id, Changes: diffFlat(before, after)}
	if err := labelChanges(d.Changes, from.Filed.Return, to.Filed.Return); err != nil {
		return nil, err
	}
	if err := s.diffMetrics(d, from.Version, to.Version); err != nil {
		return nil, err
	}
	return d, nil
}

// labelChanges names each changed field after the version that has it,
// the later one first.
func labelChanges(changes []Change, from, to any) error {
	before, err := returnTree(from)
	if err != nil {
		return err
	}
	after, err := returnTree(to)
	if err != nil {
		return err
	}
	for i := range changes {
		changes[i].Label = fieldLabel(changes[i].Path, after, before)
	}
	return nil
}

// diffFlat lists the paths whose values differ, sorted by path.
func diffFlat(before, after map[string]json.RawMessage) []Change {
	null := json.RawMessage("null")
	changes := []Change{}
	for p, b := range before {
		a, ok := after[p]
		if !ok {
			changes = append(changes, Change{Path: p, Before: b, After: null})
		} else if !bytes.Equal(a, b) {
			changes = append(changes, Change{Path: p, Before: b, After: a})
		}
	}
	for p, a := range after {
		if _, ok := before[p]; !ok {
			changes = append(changes, Change{Path: p, Before: null, After: a})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes
}

// flattenJSON maps every leaf of v's canonical JSON to its path.
func flattenJSON(v any) (map[string]json.RawMessage, error) {
	tree, err := returnTree(v)
	if err != nil {
		return nil, err
	}
	return flattenTree(tree)
}

// flattenTree maps every leaf of a decoded JSON tree to its path.
func flattenTree(tree any) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	var walk func(path string, n any) error
	walk = func(path string, n any) error {
		switch t := n.(type) {
		case map[string]any:
			for k, c := range t {
				p := k
				if path != "" {
					p = path + "." + k
				}
				if err := walk(p, c); err != nil {
					return err
				}
			}
		case []any:
			for i, c := range t {
				if err := walk(path+"["+strconv.Itoa(i)+"]", c); err != nil {
					return err
				}
			}
		default:
			b, err := json.Marshal(t)
			if err != nil {
				return err
			}
			out[path] = b
		}
		return nil
	}
	return out, walk("", tree)
}
