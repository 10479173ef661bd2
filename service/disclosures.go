package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/ledger/state"
	"github.com/ictledger/ictledger/templates"
)

// OperatorDisclosure renders an operator's disclosure for a quarter or a
// year from the latest versions of its returns.
//
// When the span is public (publicSpan: every quarter of it has an
// accepted latest version, the rule the public listing follows), the
// document is the public one, the same for everyone, recorded as issued
// on its first download: it is made from accepted returns only, for the
// quarters it compares with as much as for those it covers (bundle basis
// disclosure.BasisAccepted). Otherwise only admins, regulators and the
// operator itself may have it, as a preview that uses every latest version
// and is never issued.
//
// The document derives from a fixed set of entries (the operator's
// registration, the factor sets used, the latest version of each quarter
// up to the span's end that the document may use, and their reviews) and
// is proved in the tree that ends with the newest of them, so the same
// entries always give the same bytes.
func (s *Service) OperatorDisclosure(ctx context.Context, a ledger.Actor, operator string, span ledger.Span) ([]byte, error) {
	op := s.st.Operator(operator)
	if op == nil {
		if a.Role == "" {
			return nil, ledger.Errorf(ledger.ENotFound, "no accepted disclosure of %s for %s", operator, span)
		}
		if err := s.requireOperatorRead(a, operator); err != nil {
			return nil, err
		}
		return nil, ledger.Errorf(ledger.ENotFound, "no operator %s", operator)
	}
	latest := s.st.LatestOf(operator)
	public := publicSpan(latest, span)
	if !public {
		if a.Role == "" {
			return nil, ledger.Errorf(ledger.ENotFound, "no accepted disclosure of %s for %s", operator, span)
		}
		if err := s.requireOperatorRead(a, operator); err != nil {
			return nil, err
		}
	}
	var covered []*state.ReturnVersion
	for _, rv := range latest {
		if rv.Period.Span() == span || span.IsYear() && rv.Period.Year == span.Year {
			covered = append(covered, rv)
		}
	}
	if len(covered) == 0 {
		return nil, ledger.Errorf(ledger.ENotFound, "%s has no return for %s", operator, span)
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocOperator, Template: templates.OperatorTemplateV2,
		Operator: operator, Period: span.String(), GWP: "ar6"}
	seqs := map[uint64]bool{op.Seq: true}
	if public {
		b.Basis = disclosure.BasisAccepted
		s.addAcceptedHistory(seqs, latest, span.Last())
	} else {
		s.addReturnHistory(seqs, operator, span.Last())
		for _, rv := range covered {
			for _, r := range rv.Reviews {
				seqs[r.Seq] = true
			}
		}
	}
	// Only the public document is issued: a draft (a return under
	// review or returned) is a preview for the operator and regulators.
	return s.renderBundle(ctx, a, b, seqs, public)
}

// SectorDisclosure renders the sector report of a quarter or year,
// optionally for one country (regulator, admin), in layout sector_v4: the
// sector view as one sector.recorded entry holds it (sectorRecord),
// proved in the log. A regulator's report holds only its jurisdictions'
// operators, and is of its one jurisdiction by default. Each operator is
// counted late against its own administration's deadline, and the report
// names every administration it covers with its rule and deadline.
//
// The sector report is a regulator's document, not a public one: its
// filing-status table, lateness and open findings are about returns that
// are submitted or returned, so it is made from every version filed.
// Only regulators and admins may download it; it is recorded as issued so
// that a copy they pass on can be checked against the ledger, which does
// not make it public.
//
// It attaches its one record, not the returns: a sector report of fifty
// operators with ten years of history would attach two thousand entries
// (sector_v3), too many to gather, compress and draw on each download.
// Offline the document proves that the log recorded this view; whether
// it is right is checked by computing the view of the record's first At
// entries again (ictledger verify records).
func (s *Service) SectorDisclosure(ctx context.Context, a ledger.Actor, span ledger.Span, country string) ([]byte, error) {
	if err := requireRole(a, ledger.RoleRegulator, ledger.RoleAdmin); err != nil {
		return nil, err
	}
	country, err := s.viewCountry(a, country)
	if err != nil {
		return nil, err
	}
	if first := span.Quarters()[0]; s.now().Before(first.Start()) {
		// Nothing can be filed for it yet; refusing keeps every report
		// (and its disclosure.issued entry) about a period that exists.
		return nil, ledger.Errorf(ledger.ENotFound, "%s has not begun", span)
	}
	seq, err := s.sectorRecord(ctx, s.scopeOf(a, country), span)
	if err != nil {
		return nil, err
	}
	b := &disclosure.Bundle{Format: disclosure.Format, Document: disclosure.DocSector, Template: templates.SectorTemplateV4,
		Country: country, Period: span.String()}
	return s.renderBundle(ctx, a, b, map[uint64]bool{seq: true}, true)
}

// addAcceptedHistory adds what a public disclosure may use of an
// operator's latest versions (state.LatestOf) up to quarter last: each one
// whose latest review is an acceptance, with its reviews (the renderer
// checks the acceptance in the bundle) and the factor set it was filed
// with. Every other quarter is left out, so neither its figures nor its
// text reach a public document, not even in the attached proof.
func (s *Service) addAcceptedHistory(seqs map[uint64]bool, latest []*state.ReturnVersion, last ledger.Period) {
	for _, rv := range latest {
		if last.Before(rv.Period) || !isPublic(rv) {
			continue
		}
		seqs[rv.Seq] = true
		for _, r := range rv.Reviews {
			seqs[r.Seq] = true
		}
		if fs := s.st.FactorSet(rv.FactorSet); fs != nil {
			seqs[fs.Seq] = true
		}
	}
}

// addReturnHistory adds the latest version of each of an operator's
// quarters up to last, and the factor sets they were filed with: the full
// picture, for an operator's previews.
func (s *Service) addReturnHistory(seqs map[uint64]bool, operator string, last ledger.Period) {
	for _, rv := range s.st.LatestOf(operator) {
		if last.Before(rv.Period) {
			continue
		}
		seqs[rv.Seq] = true
		if fs := s.st.FactorSet(rv.FactorSet); fs != nil {
			seqs[fs.Seq] = true
		}
	}
}

// renderBundle fills a bundle with the entries, their proofs in the tree
// ending with the newest of them and that tree's signed checkpoint (or,
// with witnesses, the first cosigned checkpoint at or past it: see
// disclosureCheckpoint), and renders it. Results are cached by the exact set of entries. When issue
// is set, the first time a document is produced a disclosure.issued entry
// records it, with a as its actor.
func (s *Service) renderBundle(ctx context.Context, a ledger.Actor, b *disclosure.Bundle, seqs map[uint64]bool, issue bool) ([]byte, error) {
	list := make([]uint64, 0, len(seqs))
	for q := range seqs {
		list = append(list, q)
	}
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	b.Methodology = s.bundleMethodology(seqs) // a function of seqs: the key covers it
	b.Template = templateFor(b.Document, b.Methodology, b.Template)
	var key strings.Builder
	key.WriteString(b.Document + "|" + b.Template + "|" + b.Operator + "|" + b.Country + "|" + b.Period + "|" + b.Deadline + "|" + b.Basis + "|")
	for _, q := range list {
		key.WriteString(strconv.FormatUint(q, 36) + ".")
	}
	for _, cc := range sortedKeys(b.Coverage) {
		// A region_v1 document's counts are not in its entries.
		n := b.Coverage[cc]
		key.WriteString("|" + cc + strconv.Itoa(n.Due) + "." + strconv.Itoa(n.Filed))
	}
	size := list[len(list)-1] + 1
	if b.CountedAt > size {
		// A region_v1 document's counts depend on entries it does not attach.
		size = b.CountedAt
		key.WriteString("#" + strconv.FormatUint(size, 36))
	}
	cp, cosigned, err := s.disclosureCheckpoint(size)
	if err != nil {
		return nil, err
	}
	size = cp.Size
	if cosigned {
		// A cosigned checkpoint makes another document of the same entries.
		key.WriteString("@" + strconv.FormatUint(cp.Size, 36))
	}
	// A document refused for its size is refused again without reading
	// its entries: the same entries are as large every time.
	refusedKey := "pdf-too-large|" + key.String()
	if v, ok := s.results.get(refusedKey); ok {
		return nil, v.(error)
	}
	refuse := func(err error) (rendered, error) {
		err = tooLarge(err, "could not render the disclosure", len(list))
		s.results.put(refusedKey, err, int64(len(refusedKey)))
		return rendered{}, err
	}
	doc, err := s.pdfs.get(ctx, key.String(), func() (rendered, error) {
		b.Checkpoint = cp.Note
		// The strings of the entries are a lower bound of the bundle's
		// encoding: once they pass what a verifier reads, the document
		// cannot be issued, and reading on would only cost the server
		// (an operator disclosure of tens of thousands of site rows).
		encoded := 0
		for _, q := range list {
			raw, err := s.j.Read(q)
			if err != nil {
				return rendered{}, &ledger.Error{Code: ledger.EInternal, Message: "could not read the ledger", Err: err}
			}
			proof, err := s.j.InclusionProof(q, size)
			if err != nil {
				return rendered{}, &ledger.Error{Code: ledger.EInternal, Message: "could not build an inclusion proof", Err: err}
			}
			e := disclosure.NewBundleEntry(q, raw, proof)
			b.Entries = append(b.Entries, e)
			encoded += len(e.Canonical) + len(e.LeafHash)
			for _, h := range e.Proof {
				encoded += len(h)
			}
			if err := disclosure.CheckBundleSize(encoded, len(b.Entries)); err != nil {
				return refuse(err)
			}
		}
		pdf, err := s.cfg.Render(b)
		if errors.Is(err, disclosure.ErrBundleTooLarge) {
			return refuse(err)
		}
		if err != nil {
			return rendered{}, renderFailure(err, "could not render the disclosure")
		}
		sum := sha256.Sum256(pdf)
		return rendered{pdf: pdf, issued: ledger.DisclosureIssued{Document: b.Document, Operator: b.Operator,
			Country: b.Country, Period: b.Period, Template: b.Template, TreeSize: size, Entries: len(list),
			SHA256: hex.EncodeToString(sum[:]), Bytes: len(pdf)}}, nil
	})
	if err != nil {
		return nil, err
	}
	if issue {
		s.recordIssued(ctx, a, doc.issued)
	}
	return doc.pdf, nil
}

// recordIssued appends the disclosure.issued entry of a document unless
// the ledger has it. A document that cannot be recorded is still served:
// it proves itself against entries already in the log, and a ledger that
// went read-only after a storage failure keeps serving reads. The next
// request for it tries again.
func (s *Service) recordIssued(ctx context.Context, a ledger.Actor, d ledger.DisclosureIssued) {
	if s.st.Disclosure(d.SHA256) != nil {
		return
	}
	if err := s.ReadOnly(); err != nil {
		// Said once, not on every download: the read-only state itself
		// is in the log, /healthz and /metrics already.
		if !s.warnedUnrecorded.Swap(true) {
			s.log.WarnContext(ctx, "disclosures are served without their disclosure.issued entries while the ledger is read-only", "err", err)
		}
		return
	}
	payload, err := ledger.Canonical(d)
	if err == nil {
		// The record does not depend on the client staying for the
		// answer: the document was produced either way.
		err = s.commit(context.WithoutCancel(ctx), change{actor: a, kind: ledger.KindDisclosureIssued, payload: payload,
			keys: []string{"disclosure:" + d.SHA256},
			check: func() error {
				if s.st.Disclosure(d.SHA256) != nil {
					return ledger.Errorf(ledger.EConflict, "the disclosure is recorded already")
				}
				return nil
			}})
	}
	var le *ledger.Error
	if err == nil || errors.As(err, &le) && le.Code == ledger.EConflict {
		return // recorded, by this request or a concurrent one
	}
	s.log.WarnContext(ctx, "disclosure served without its disclosure.issued entry", "sha256", d.SHA256,
		"document", d.Document, "operator", d.Operator, "period", d.Period, "err", err)
}

// VerifyDisclosure checks a PDF (public): everything disclosure.Verify
// checks with this ledger's key, plus what only the ledger knows: that the
// checkpoint's tree is this log's tree at that size, and whether a return
// it derives from was superseded since.
//
// The cheap checks come first (signature, inclusion proofs, the filing
// rules on every entry); a document that fails them is answered without
// rendering. Only one that passes them is rendered again, which waits for
// a render slot like a download does (this is a public endpoint); it
// gives up, with ctx's error, when ctx ends first.
func (s *Service) VerifyDisclosure(ctx context.Context, pdf []byte) (*disclosure.Result, error) {
	res := disclosure.Inspect(pdf, s.VerifierKey())
	if res.ReadyToRender() {
		if err := s.confirmDisclosure(ctx, res); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(pdf)
	if d := s.st.Disclosure(hex.EncodeToString(sum[:])); d != nil {
		res.Issued = &disclosure.ResultIssued{Seq: d.Seq, Time: d.Time.UTC().Format(time.RFC3339Nano)}
	}
	s.checkRegionCounts(res)
	if cp := res.Checkpoint; cp != nil {
		if cp.Size > s.j.Size() {
			res.AddProblem("the checkpoint claims more entries than this ledger holds: the document comes from another log")
		} else if root, err := s.j.TreeHash(cp.Size); err == nil && root.String() != cp.Root {
			res.AddProblem("this ledger's tree of that size has another root: the document comes from another log, or the log was rewritten")
		}
	}
	if err := s.regionFiguresSince(res); err != nil {
		return nil, err
	}
	if err := s.sectorFiguresSince(res); err != nil {
		return nil, err
	}
	sup := s.supersessions(res)
	res.Decide(sup)
	if res.Verdict == disclosure.VerdictSuperseded {
		res.CurrentDocument = currentDocument(res, sup)
	}
	return res, nil
}

// supersessions lists the returns a document presents that were restated
// after it was issued, in the order of their operator and quarter. Only
// the newest version of each quarter in the document is what it
// presents; a sector report also carries earlier ones for lateness.
func (s *Service) supersessions(res *disclosure.Result) []disclosure.Supersession {
	newest := map[string]*state.ReturnVersion{}
	for _, e := range res.Entries {
		rv := s.st.Return(e.ReturnID)
		if e.ReturnID == "" || rv == nil {
			continue
		}
		k := rv.Operator + "|" + rv.PeriodKey
		if cur := newest[k]; cur == nil || rv.Version > cur.Version {
			newest[k] = rv
		}
	}
	keys := make([]string, 0, len(newest))
	for k := range newest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []disclosure.Supersession
	for _, k := range keys {
		if sp, ok := s.supersession(newest[k]); ok {
			out = append(out, sp)
		}
	}
	return out
}

// supersession says by which version, when and why rv was restated, and
// which version is current today; false when rv is current.
func (s *Service) supersession(rv *state.ReturnVersion) (disclosure.Supersession, bool) {
	by := s.st.Return(rv.SupersededBy)
	if by == nil {
		return disclosure.Supersession{}, false
	}
	sp := disclosure.Supersession{Return: rv.ID, By: by.ID, Filed: by.FiledAt.UTC().Format(time.RFC3339)}
	if wasAccepted(by) {
		sp.Reason = by.Reason
	}
	cur := by
	// Each version names the next; a quarter has few, and the chain ends
	// at the current one.
	for cur.SupersededBy != "" {
		next := s.st.Return(cur.SupersededBy)
		if next == nil {
			break
		}
		cur = next
	}
	sp.Current, sp.Accepted = cur.ID, cur.Status() == ledger.StatusAccepted
	return sp, true
}

// wasAccepted reports whether a regulator accepted rv at some time: its
// reason is then part of a published return.
func wasAccepted(rv *state.ReturnVersion) bool {
	for _, r := range rv.Reviews {
		if r.Decision == ledger.DecisionAccept {
			return true
		}
	}
	return false
}

// currentDocument is the path of the document a superseded one would be
// today: an operator's disclosure once every current version it presents
// is accepted (before that it is not public), a sector report always (a
// regulator's document, for a regulator).
func currentDocument(res *disclosure.Result, sup []disclosure.Supersession) string {
	switch res.Document {
	case disclosure.DocOperator:
		for _, sp := range sup {
			if !sp.Accepted {
				return ""
			}
		}
		return "/v1/operators/" + url.PathEscape(res.Operator) + "/disclosures/" + url.PathEscape(res.Period) + ".pdf"
	case disclosure.DocRegion:
		if res.FiguresChanged != nil && !res.FiguresChanged.NoneAccepted {
			return "/v1/region/disclosures/" + url.PathEscape(res.Period) + ".pdf"
		}
	case disclosure.DocSector:
		p := "/v1/sector/disclosures/" + url.PathEscape(res.Period) + ".pdf"
		if b := res.Bundle(); b != nil && b.Country != "" {
			p += "?country=" + url.QueryEscape(b.Country)
		}
		return p
	}
	return ""
}

// confirmDisclosure renders an inspected document again in a render slot
// and compares the bytes (disclosure.Result.Confirm).
func (s *Service) confirmDisclosure(ctx context.Context, res *disclosure.Result) error {
	release, err := s.pdfs.slot(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := res.Confirm(s.cfg.Render); err != nil {
		return renderFailure(err, "the document could not be rendered again to check it")
	}
	return nil
}
