package filing

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/ictledger/ictledger/ledger"
)

// Options bound what a decode accepts. The zero value uses the defaults.
type Options struct {
	// MaxParts is the most parts a multipart body may have (default 8).
	MaxParts int
	// MaxPartBytes is the most bytes one part may have (default 64 MiB).
	// The limit of the whole body is the HTTP layer's (http.MaxBytesReader).
	MaxPartBytes int64
	// MaxProblems is the most problems an error lists (default 1000); the
	// rest are counted in one last entry with an empty path.
	MaxProblems int
	// AdmittedText reads free strings without ledger.CheckText (they must
	// still be valid UTF-8). It is for returns the ledger admitted
	// earlier, under the text rule of their day, which a verifier must
	// still read: a rule made stricter later must not make an authentic
	// document fail.
	AdmittedText bool
	// Workbook reads a multipart "return" part that is a workbook (its
	// bytes start with a zip signature) into a draft; nil refuses such a
	// part. The workbook package provides it, as filing cannot import it.
	// A workbook holds every section, so no other part may come with it.
	Workbook func(io.Reader) (*Draft, error)
}

// The defaults of Options.
const (
	DefaultMaxParts     = 8
	DefaultMaxPartBytes = 64 << 20
	DefaultMaxProblems  = 1000
)

func (o Options) withDefaults() Options {
	if o.MaxParts <= 0 {
		o.MaxParts = DefaultMaxParts
	}
	if o.MaxPartBytes <= 0 {
		o.MaxPartBytes = DefaultMaxPartBytes
	}
	if o.MaxProblems <= 0 {
		o.MaxProblems = DefaultMaxProblems
	}
	return o
}

// DecodeJSON reads a quarterly return from a JSON body. It checks the
// shape only: types, number syntax, enumerations, unknown and duplicate
// keys, required fields. The rules are Validate's; ReadJSON and
// Draft.Check run both and report their problems together.
//
// Errors are *ledger.Error: EBadRequest when the body is not JSON (the
// message gives the byte offset), ETooLarge when the reader reports an
// *http.MaxBytesError, EInvalid with every problem in Fields otherwise.
func DecodeJSON(r io.Reader, opts Options) (*ledger.Return, error) {
	opts = opts.withDefaults()
	ret, probs, err := decodeJSON(r, opts)
	if err != nil {
		return nil, err
	}
	if probs.count() > 0 {
		return nil, invalid(probs, opts)
	}
	return ret, nil
}

// A Draft is a return as read from a body, with the problems found while
// reading it, waiting to be checked. Reading and checking are two steps
// because the Context depends on the return (its period decides the
// latest version, its factor_set the factor set); Check then reports the
// problems of both steps at once. A handler reads:
//
//	d, err := filing.ReadJSON(body, opts) // 400, 413
//	c := ...                              // from d.Return.Period, d.Return.FactorSet
//	warnings, err := d.Check(c)           // 422 (409)
type Draft struct {
	// Return is the return as read. When reading found problems it is
	// partly filled: a value that could not be read is left zero.
	Return *ledger.Return
	probs  problems
	// where maps the JSON path of a validation problem to the path the
	// uploader knows: a CSV file, line and column for rows of a
	// multipart draft (csvLines.translate), a sheet and cell for a draft
	// read from another form (ReadDerived); nil keeps JSON paths.
	where func(string) string
	notes []ledger.Warning // warnings of the derivation, kept on success
	opts  Options
}

// ReadDerived reads a return from JSON derived from another form of
// upload, a workbook, into a Draft. found are the problems met while
// deriving the JSON, already at the uploader's paths; where maps a JSON
// path to such a path (a sheet and cell) for the problems of reading and
// of validation; notes are warnings of the derivation (a formula read by
// its cached value), returned by Check with the warnings of the rules. A
// problem at or under the path of a found problem is left out, as
// Check leaves out validation problems under an unreadable value. The
// error is that of ReadJSON: the JSON is derived by code, so a 400 here
// is the deriver's fault, not the uploader's.
func ReadDerived(r io.Reader, opts Options, found []ledger.FieldError, where func(string) string, notes []ledger.Warning) (*Draft, error) {
	d, err := ReadJSON(r, opts)
	if err != nil {
		return nil, err
	}
	var first problems
	for _, f := range found {
		first.add(f.Path, f.Message)
	}
	for i := range d.probs.list {
		d.probs.list[i].Path = where(d.probs.list[i].Path)
	}
	d.probs = merge(first, d.probs)
	d.where, d.notes = where, notes
	return d, nil
}

// ReadJSON reads a return from a JSON body into a Draft. The error is a
// *ledger.Error: EBadRequest when the body is not JSON (the message gives
// the byte offset), ETooLarge when the reader reports an
// *http.MaxBytesError. Problems with values wait for Check.
func ReadJSON(r io.Reader, opts Options) (*Draft, error) {
	ret, probs, err := decodeJSON(r, opts)
	if err != nil {
		return nil, err
	}
	return &Draft{Return: ret, probs: probs, opts: opts.withDefaults()}, nil
}

// Check validates the draft in context and reports every problem of
// reading and of validation at once, as a *ledger.Error with code EInvalid
// and Fields. A validation problem at or under a path that could not be
// read is left out: it would only repeat the first. The code is EConflict
// when the period already has a return and the draft does not say which
// version it restates (the Fields still list every problem). On success
// Check returns the warnings; warnings keep JSON paths, as they are kept
// with the return.
func (d *Draft) Check(c Context) ([]ledger.Warning, error) {
	valid, warnings := validate(d.Return, c)
	if d.where != nil {
		for i := range valid.list {
			valid.list[i].Path = d.where(valid.list[i].Path)
		}
	}
	probs := merge(d.probs, valid)
	if probs.count() == 0 {
		if len(d.notes) > 0 {
			warnings = append(append([]ledger.Warning(nil), d.notes...), warnings...)
		}
		return warnings, nil
	}
	e := invalid(probs, d.opts)
	if c.Latest != "" && d.Return.Restates == "" {
		e.Code = ledger.EConflict
		e.Message = fmt.Sprintf("%s already has a return (latest version %s): file a restatement with \"restates\" and \"reason\"", d.Return.Period, c.Latest)
	}
	return nil, e
}

func invalid(probs problems, opts Options) *ledger.Error {
	n := probs.count()
	msg := "the return breaks 1 rule"
	if n != 1 {
		msg = fmt.Sprintf("the return breaks %d rules", n)
	}
	return &ledger.Error{Code: ledger.EInvalid, Message: msg, Fields: probs.fields(opts.MaxProblems)}
}

// decodeJSON reads one return and nothing after it. Problems with values
// are returned in probs; a syntax or read error stops the decode. The body
// is read whole: the HTTP layer bounds it, and a JSON return is parsed in
// one pass over the bytes.
func decodeJSON(rd io.Reader, opts Options) (ret *ledger.Return, probs problems, err error) {
	buf, err := io.ReadAll(rd)
	if err != nil {
		return nil, problems{}, readError(err, int64(len(buf)), "JSON")
	}
	lex := newLexer(buf)
	d := &jsonReader{lex: lex, admittedText: opts.AdmittedText}
	defer func() {
		if v := recover(); v != nil {
			a, ok := v.(abort)
			if !ok {
				panic(v)
			}
			ret, probs, err = nil, problems{}, readError(a.err, lex.offset(), "JSON")
		}
	}()
	ret = new(ledger.Return)
	plans().ret.read(d, reflect.ValueOf(ret).Elem(), false)
	if _, err := lex.next(); err != io.EOF {
		return nil, problems{}, readError(err, lex.offset(), "JSON")
	}
	return ret, d.probs, nil
}

// partTooLarge is the error of a part over Options.MaxPartBytes.
type partTooLarge struct {
	part  string
	limit int64
}

func (e *partTooLarge) Error() string {
	return fmt.Sprintf("part %q is larger than the limit of %d bytes", e.part, e.limit)
}

// ReadError maps an error met while reading a body as the readers of
// this package do: a size limit (*http.MaxBytesError, a part over
// Options.MaxPartBytes) is ETooLarge, anything else EBadRequest naming
// what was read.
func ReadError(err error, what string) *ledger.Error { return readError(err, 0, what) }

// readError maps an error met while reading a body: a size limit is
// ETooLarge, anything else EBadRequest naming the byte offset.
func readError(err error, offset int64, what string) *ledger.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &ledger.Error{Code: ledger.ETooLarge, Message: fmt.Sprintf("the body is larger than the limit of %d bytes", mbe.Limit), Err: err}
	}
	var ptl *partTooLarge
	if errors.As(err, &ptl) {
		return &ledger.Error{Code: ledger.ETooLarge, Message: ptl.Error(), Err: err}
	}
	var se *syntaxError
	if errors.As(err, &se) {
		return &ledger.Error{Code: ledger.EBadRequest, Message: fmt.Sprintf("not valid %s: %s", what, se.Error()), Err: err}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &ledger.Error{Code: ledger.EBadRequest, Message: fmt.Sprintf("not valid %s: unexpected end at byte %d", what, offset), Err: err}
	}
	return &ledger.Error{Code: ledger.EBadRequest, Message: fmt.Sprintf("reading the %s at byte %d: %v", what, offset, err), Err: err}
}
