package monitor

import (
	"fmt"
	"strconv"
)

// AlarmKind names what the log did wrong.
type AlarmKind string

// The alarms.
const (
	// BadCheckpoint: the checkpoint does not verify with the key, or names
	// another log.
	BadCheckpoint AlarmKind = "bad_checkpoint"
	// Fork: the new tree does not extend the previous checkpoint (history
	// was rewritten, or the monitor was shown another branch).
	Fork AlarmKind = "fork"
	// SplitView: two checkpoints of the same size with different roots.
	SplitView AlarmKind = "split_view"
	// Rollback: the log's checkpoint is smaller than one seen before.
	Rollback AlarmKind = "rollback"
	// BadTiles: the tiles do not hash to the log's own signed root.
	BadTiles AlarmKind = "bad_tiles"
	// BadEntry: an entry is malformed or does not hash to its leaf.
	BadEntry AlarmKind = "bad_entry"
)

// Alarm is evidence that the log misbehaved. Old and New are the signed
// checkpoints involved, as received, so that the evidence can be shown to
// anyone holding the key.
type Alarm struct {
	Kind    AlarmKind
	Message string
	Seq     uint64 // the entry, for BadEntry
	Old     []byte // the previous checkpoint, when one was involved
	New     []byte // the checkpoint just received
}

// Error implements error.
func (a *Alarm) Error() string { return "monitor: " + string(a.Kind) + ": " + a.Message }

// evidenceName is the file an alarm's evidence is kept in: one per kind
// and checkpoint, so a run repeated on the same misbehaviour overwrites
// its own file instead of adding one.
func (a *Alarm) evidenceName(newSize string) string {
	name := "alarm-" + string(a.Kind) + "-" + newSize
	if a.Kind == BadEntry {
		name += "-entry-" + strconv.FormatUint(a.Seq, 10)
	}
	return name + ".txt"
}

// evidence is the text kept for an alarm.
func (a *Alarm) evidence() []byte {
	s := fmt.Sprintf("%s\n\n", a.Error())
	if a.Old != nil {
		s += "previous checkpoint:\n" + string(a.Old) + "\n"
	}
	if a.New != nil {
		s += "checkpoint received:\n" + string(a.New) + "\n"
	}
	return []byte(s)
}
