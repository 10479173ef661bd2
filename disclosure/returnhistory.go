package disclosure

import (
	"encoding/json"
	"errors"

	"github.com/ictledger/ictledger/ledger"
)

// errNotHistory is how historyPayload leaves a payload to the full
// decoding.
var errNotHistory = errors.New("not for the history decoding")

// historyPayload decodes what a document reads of a return that it only
// looks back on: the entry's own fields (id, version, factor set,
// warnings...) and of its return the operator, period, factor set,
// device rows and historic inflow, as calculators.Request Earlier reads
// them (and the service's history decoder gives them). A sector report
// of a quarter looks back on some forty quarters of each operator, and
// decoding their other sections (electricity, fuels, resilience...) was
// about half of decoding the bundle. The values decoded are those
// Entry.DecodePayload gives (the arrays by ledger.DecodeDevices and
// DecodeHistoricInflow, which hold to encoding/json); ok is false for a
// payload it does not take on (not compact, a member it does not know),
// which the caller then decodes whole. It does not check the sections it
// skips: a bundle's entries are the ledger's, proved in its tree, and
// were checked when they were filed.
func historyPayload(payload []byte) (rf *ledger.ReturnFiled, ok bool) {
	rf = new(ledger.ReturnFiled)
	err := ledger.Members(payload, func(key, v []byte) error {
		switch string(key) {
		case "id":
			return json.Unmarshal(v, &rf.ID)
		case "version":
			return json.Unmarshal(v, &rf.Version)
		case "supersedes":
			return json.Unmarshal(v, &rf.Supersedes)
		case "factor_set":
			return json.Unmarshal(v, &rf.FactorSet)
		case "idempotency_key":
			return json.Unmarshal(v, &rf.IdempotencyKey)
		case "warnings":
			return json.Unmarshal(v, &rf.Warnings)
		case "return":
			return historyReturn(v, &rf.Return)
		}
		return errNotHistory
	})
	if err != nil {
		return nil, false
	}
	return rf, true
}

// skippedSections are the members of a return that a look back does not
// read.
var skippedSections = map[string]bool{"restates": true, "reason": true, "activity": true, "electricity": true, "fuels": true,
	"onsite_renewables": true, "renewable_claims": true, "refrigerants": true, "data_centres": true, "resilience": true,
	"sites": true, "boundary": true}

func historyReturn(obj []byte, r *ledger.Return) error {
	return ledger.Members(obj, func(key, v []byte) error {
		var err error
		switch k := string(key); k {
		case "operator":
			err = json.Unmarshal(v, &r.Operator)
		case "period":
			err = json.Unmarshal(v, &r.Period)
		case "factor_set":
			err = json.Unmarshal(v, &r.FactorSet)
		case "devices":
			r.Devices, err = ledger.DecodeDevices(v)
		case "historic_inflow":
			r.HistoricInflow, err = ledger.DecodeHistoricInflow(v)
		default:
			if !skippedSections[k] {
				return errNotHistory
			}
		}
		return err
	})
}
