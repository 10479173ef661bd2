package state

import (
	memdb "github.com/hashicorp/go-memdb"
)

// Table and index names.
const (
	tableOperators     = "operators"
	tableTokens        = "tokens"
	tableFactorSets    = "factor_sets"
	tableReturns       = "returns"
	tableIdempotency   = "idempotency"
	tableDeadlines     = "deadlines"
	tableLatest        = "latest"
	tableDisclosures   = "disclosures"
	tableFigures       = "figures"
	tableCerts         = "certificates"
	tableJurisdictions = "jurisdictions"
	tableRegionRecords = "region_records"
	tableSectorRecords = "sector_records"

	indexID         = "id"
	indexSecretHash = "secret_hash"
	indexPeriod     = "period"
	indexNear       = "near"
)

func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableOperators:     operatorsTable(),
		tableTokens:        tokensTable(),
		tableFactorSets:    factorSetsTable(),
		tableReturns:       returnsTable(),
		tableIdempotency:   idempotencyTable(),
		tableDeadlines:     deadlinesTable(),
		tableLatest:        latestTable(),
		tableDisclosures:   disclosuresTable(),
		tableFigures:       figuresTable(),
		tableCerts:         certificatesTable(),
		tableJurisdictions: jurisdictionsTable(),
		tableRegionRecords: regionRecordsTable(),
		tableSectorRecords: sectorRecordsTable(),
	}}
}

func operatorsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableOperators, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
	}}
}

// tokensTable indexes tokens by id and by the hash of their secret. The
// hash index is unique in practice (secrets are 256 random bits); memdb does
// not enforce it, so the service checks before issuing.
func tokensTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableTokens, Indexes: map[string]*memdb.IndexSchema{
		indexID:         {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
		indexSecretHash: {Name: indexSecretHash, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "SecretHash"}},
	}}
}

func factorSetsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableFactorSets, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Version"}},
	}}
}

// returnsTable holds every return version by id. Every index is paid for
// on each filing, on each review and restatement (both insert the changed
// version again), at run time and in replay; a quarter's versions are
// found from its latest one (the latest table) along their Supersedes
// chain instead of an index by operator and period, which cost a second
// radix-tree insert on each of those.
func returnsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableReturns, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
	}}
}

func idempotencyTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableIdempotency, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
	}}
}

func deadlinesTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableDeadlines, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "PeriodKey"}},
	}}
}

// regionRecordsTable holds, by span, the latest region.recorded entry of
// each span: a regional report reuses it while no entry since has changed
// the view.
func regionRecordsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableRegionRecords, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Period"}},
	}}
}

// sectorRecordsTable holds, by scope and span (SectorRecorded.Key), the
// latest sector.recorded entry of each: a sector report reuses it while
// the view is still what it records.
func sectorRecordsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableSectorRecords, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
	}}
}

// disclosuresTable finds an issued disclosure by the SHA-256 of its bytes.
func disclosuresTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableDisclosures, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "SHA256"}},
	}}
}

// latestTable points at the latest version of each operator's quarter, so
// that finding it does not scan a long chain of restatements.
func latestTable() *memdb.TableSchema {
	// An operator's rows are a prefix scan of the key (operator, NUL,
	// period); a period's rows have an index, for the comparisons of
	// every filing with the period's other operators.
	return &memdb.TableSchema{Name: tableLatest, Indexes: map[string]*memdb.IndexSchema{
		indexID:     {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
		indexPeriod: {Name: indexPeriod, Indexer: &memdb.StringFieldIndex{Field: "PeriodKey"}},
	}}
}

// figuresTable holds figures derived from a latest return version under a
// factor set (Figures), by version and factor set.
func figuresTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableFigures, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.CompoundIndex{Indexes: []memdb.Indexer{
			&memdb.StringFieldIndex{Field: "ReturnID"},
			&memdb.StringFieldIndex{Field: "FactorSet"},
		}}},
	}}
}

// certificatesTable holds the certificates the latest return versions
// claim (methodology 2026.1 G3), one row per certificate naming its first
// claimer: by (registry, id) and by near-miss key (the id's pattern, the
// claim's kWh and vintage). A version's own certificates are listed in
// its row (ReturnVersion.Certificates), not indexed here: an index by
// version cost a third of the table's inserts on every filing and replay.
// One row per certificate, not per claim, keeps a certificate that many old entries share (filed before the rule, or
// under 2025.1) from making wide index nodes that every filing copies.
func certificatesTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableCerts, Indexes: map[string]*memdb.IndexSchema{
		indexID:   {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
		indexNear: {Name: indexNear, Indexer: &memdb.StringFieldIndex{Field: "Near"}},
	}}
}

// jurisdictionsTable holds each administration's latest record, by
// country.
func jurisdictionsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: tableJurisdictions, Indexes: map[string]*memdb.IndexSchema{
		indexID: {Name: indexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Country"}},
	}}
}
