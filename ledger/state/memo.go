package state

import (
	"sync"
	"sync/atomic"

	"github.com/ictledger/ictledger/ledger"
)

// memo keeps the answers of the look-ups every API request makes (the
// caller's token, the return version asked for, its operator's history
// mark) until the state next changes. A memdb look-up opens a
// transaction and walks a radix tree, about 1 - 2 µs and five
// allocations; three of them were a tenth of the server's own work on a
// metrics read. A state that changes a few thousand times a second at
// most is read far more often than that.
//
// Each commit replaces the memo with an empty one, after the memdb
// commit. So a reader that takes the memo after a commit finds nothing
// older than that commit; one that took it before may find answers from
// before, as it could from its own memdb snapshot. An answer looked up
// after a commit but stored in the memo of before is never read by a
// later reader, who takes the new memo.
type memo struct {
	tokens  sync.Map // secret hash -> *Token
	returns sync.Map // id -> *ReturnVersion
	marks   sync.Map // markKey -> HistoryMark
	n       atomic.Int32
}

type markKey struct {
	operator string
	period   ledger.Period
}

// maxMemo bounds the answers one memo keeps. Past it, look-ups go to
// memdb until the next commit starts a new memo. Absent tokens and
// returns are never kept, so made-up secrets or ids cannot fill it.
const maxMemo = 16384

// remember stores v under k in m unless m is full.
//
// TokenBySecretHash, Return and HistoryMark each write out their load,
// look-up and remember rather than share a generic helper taking the
// look-up as a closure: that closure cost three allocations a metrics
// read (BenchmarkMetricsRead, 25 to 28), on the path this memo exists
// to make cheap.
func (mm *memo) remember(m *sync.Map, k, v any) {
	if mm.n.Load() >= maxMemo {
		return
	}
	if _, loaded := m.LoadOrStore(k, v); !loaded {
		mm.n.Add(1)
	}
}

// forget starts a new memo; call it after each memdb commit.
func (s *State) forget() { s.memo.Store(new(memo)) }
