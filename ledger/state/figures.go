package state

import (
	"github.com/ictledger/ictledger/ledger"
)

// PutFigures keeps f, unless its version is unknown or no longer the
// latest of its quarter: figures computed from a version that a filing
// superseded meanwhile are not kept, because that filing's transaction
// already dropped the version's figures and nothing would drop these.
// It reports whether f was kept. It is the only write to the state that
// does not come from the journal, and touches nothing the journal writes.
func (s *State) PutFigures(f *Figures) bool {
	txn := s.db.Txn(true)
	defer txn.Abort()
	rv := firstIn[*ReturnVersion](txn, tableReturns, indexID, f.ReturnID)
	if rv == nil || rv.SupersededBy != "" {
		return false
	}
	if err := txn.Insert(tableFigures, f); err != nil {
		panic(err) // the table and its indexes exist; see TestSchemaBuilds
	}
	txn.Commit()
	return true
}

// FiguresOf returns the figures of a return version under a factor set,
// or nil when they were not computed yet.
func (s *State) FiguresOf(returnID, factorSet string) *Figures {
	return first[*Figures](s, tableFigures, indexID, returnID, factorSet)
}

// PeriodFigures returns, for the latest version of each operator's return
// for period p, its figures under the factor set it was filed with, by
// operator, and the versions whose figures are not computed yet.
func (s *State) PeriodFigures(p ledger.Period) (have map[string]*Figures, missing []*ReturnVersion) {
	txn := s.db.Txn(false)
	it, err := txn.Get(tableLatest, indexPeriod, p.String())
	if err != nil {
		panic(err)
	}
	have = map[string]*Figures{}
	for raw := it.Next(); raw != nil; raw = it.Next() {
		l := raw.(*latestVersion)
		if f := firstIn[*Figures](txn, tableFigures, indexID, l.ReturnID, l.FactorSet); f != nil {
			have[operatorOf(l)] = f
		} else {
			missing = append(missing, firstIn[*ReturnVersion](txn, tableReturns, indexID, l.ReturnID))
		}
	}
	return have, missing
}

// operatorOf is the operator part of a latest row's key.
func operatorOf(l *latestVersion) string {
	return l.Key[:len(l.Key)-len(l.PeriodKey)-1]
}
