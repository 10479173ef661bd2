package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/ictledger/ictledger/ledger"
)

// decodeReturn reads a return entry's payload: the version's facts and
// the few fields of the return itself that the state keeps. Replaying a
// journal is mostly this, so it first walks the canonical JSON with
// ledger.Members, decoding only the small values, and falls back to
// encoding/json (which also names what is wrong) when the payload is not
// what this service writes. With encoding/json alone, replaying 30,000
// example filings (BenchmarkRebuild) spent over 50 % more CPU and allocated
// 51 % more, so both paths stay. TestDecodeReturnPaths and FuzzDecodeReturn
// hold the two paths to the same answers.
func decodeReturn(e ledger.Entry) (returnEntry, returnHead, error) {
	if rf, head, err := decodeReturnFast(e.Payload); err == nil {
		return rf, head, nil
	}
	return decodeReturnSlow(e)
}

func decodeReturnSlow(e ledger.Entry) (returnEntry, returnHead, error) {
	var rf returnEntry
	if err := e.DecodePayload(&rf); err != nil {
		return returnEntry{}, returnHead{}, err
	}
	var head returnHead
	if err := json.Unmarshal(rf.Return, &head); err != nil {
		return returnEntry{}, returnHead{}, fmt.Errorf("return %s: %w", rf.ID, err)
	}
	return rf, head, nil
}

var errUnknownMember = errors.New("unknown member")

func decodeReturnFast(payload []byte) (rf returnEntry, head returnHead, err error) {
	seen := false
	err = ledger.Members(payload, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "id":
			rf.ID, err = jsonString(v)
		case "version":
			rf.Version, err = strconv.Atoi(string(v))
		case "supersedes":
			rf.Supersedes, err = jsonString(v)
		case "factor_set":
			rf.FactorSet, err = jsonString(v)
		case "idempotency_key":
			rf.IdempotencyKey, err = jsonString(v)
		case "warnings":
			err = json.Unmarshal(v, &rf.Warnings) // small: a few findings at most
		case "return":
			seen = true
			rf.Return = v
			head, err = decodeHead(v)
		default:
			err = errUnknownMember // the slow path names it
		}
		return err
	})
	if err == nil && !seen {
		err = errUnknownMember // no return: let the slow path decide
	}
	return rf, head, err
}

func decodeHead(ret []byte) (head returnHead, err error) {
	err = ledger.Members(ret, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "operator":
			head.Operator, err = jsonString(v)
		case "period":
			err = decodePeriod(v, &head.Period)
		case "reason":
			head.Reason, err = jsonString(v)
		case "sites":
			head.Sites = v
		case "renewable_claims":
			err = json.Unmarshal(v, &head.Claims) // small: a few claims
		}
		return err
	})
	return head, err
}

// jsonString decodes a JSON string, without encoding/json when it has no
// escapes. A JSON null is "", as encoding/json leaves a string.
func jsonString(v []byte) (string, error) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), nil
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err
}

// decodePeriod reads a period as encoding/json does (ledger.Period is a
// text unmarshaler), calling UnmarshalText itself when the value is a
// string without escapes.
func decodePeriod(v []byte, p *ledger.Period) error {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return p.UnmarshalText(v[1 : len(v)-1])
	}
	return json.Unmarshal(v, p)
}

// decodeReview reads a review entry's payload, member by member when it
// has no findings (most reviews are acceptances), else with
// Entry.DecodePayload, which also names what is wrong. Decoding every
// review with encoding/json's Decoder took about 3 % of a regional
// replay; TestDecodeReviewPaths holds the two paths to the same answers.
func decodeReview(e ledger.Entry) (ledger.Review, error) {
	var r ledger.Review
	err := ledger.Members(e.Payload, func(k, v []byte) error {
		var err error
		switch string(k) {
		case "return":
			r.Return, err = jsonString(v)
		case "decision":
			var d string
			d, err = jsonString(v)
			r.Decision = ledger.Decision(d)
		case "comment":
			r.Comment, err = jsonString(v)
		default:
			err = errUnknownMember // findings, or what the slow path must name
		}
		return err
	})
	if err == nil {
		return r, nil
	}
	r = ledger.Review{}
	err = e.DecodePayload(&r)
	return r, err
}
