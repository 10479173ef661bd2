package service

import (
	"encoding/json"

	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
)

// historyReturn is a version's return as a later quarter's history: only
// what the calculators read of an earlier return (calculators.Request
// Earlier), its operator, period, device rows and historic inflow. A
// return's other sections are most of its bytes, and every quarter's
// metrics read all the quarters before it (a regional view some forty
// for each operator). It picks the
// members out of the state's canonical copy (ledger.Members), decodes the
// rows without reflection (ledger.DecodeDevices, the same values as
// encoding/json) and falls back to lightReturn for anything else.
func (s *Service) historyReturn(rv *state.ReturnVersion) (*ledger.Return, error) {
	if rv.Raw == nil {
		return s.lightReturn(rv)
	}
	r := new(ledger.Return)
	err := ledger.Members(rv.Raw, func(key, value []byte) error {
		switch string(key) {
		case "operator":
			return json.Unmarshal(value, &r.Operator)
		case "period":
			return json.Unmarshal(value, &r.Period)
		case "devices":
			var err error
			r.Devices, err = ledger.DecodeDevices(value)
			return err
		case "historic_inflow":
			var err error
			r.HistoricInflow, err = ledger.DecodeHistoricInflow(value)
			return err
		}
		return nil
	})
	if err != nil {
		return s.lightReturn(rv)
	}
	return r, nil
}
