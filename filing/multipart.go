package filing

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/ictledger/ictledger/ledger"
)

// The names of the parts of a multipart return.
const (
	PartReturn  = "return"  // the return as JSON
	PartSites   = "sites"   // optional: sites[] as CSV
	PartDevices = "devices" // optional: devices[] as CSV, long format
)

// DecodeMultipart reads a return from a multipart/form-data body: a
// "return" part with the JSON and optional "sites" and "devices" CSV parts
// that replace those arrays (the JSON part must then not have them). Parts
// may come in any order; other part names, a repeated part, more than
// Options.MaxParts parts or a missing "return" part are EBadRequest, a part
// over Options.MaxPartBytes is ETooLarge. CSV problems name the part, line
// and column (see csvPath).
func DecodeMultipart(mr *multipart.Reader, opts Options) (*ledger.Return, error) {
	opts = opts.withDefaults()
	ret, probs, _, wb, err := decodeMultipart(mr, opts)
	if err != nil {
		return nil, err
	}
	if wb != nil {
		ret, probs = wb.Return, wb.probs
	}
	if probs.count() > 0 {
		return nil, invalid(probs, opts)
	}
	return ret, nil
}

// ReadMultipart is ReadJSON for a multipart body, with the errors of
// DecodeMultipart. When the draft is checked, problems in rows that came
// from a CSV part are reported at their CSV line and column, e.g.
// "sites.csv:line 18:column grid" for sites[16].grid.
func ReadMultipart(mr *multipart.Reader, opts Options) (*Draft, error) {
	opts = opts.withDefaults()
	ret, probs, lines, wb, err := decodeMultipart(mr, opts)
	if err != nil {
		return nil, err
	}
	if wb != nil {
		return wb, nil
	}
	return &Draft{Return: ret, probs: probs, where: lines.translate, opts: opts}, nil
}

// workbookSignature starts every zip file, so every XLSX workbook: a JSON
// part never starts with it.
const workbookSignature = "PK\x03\x04"

// readReturnPart reads the "return" part: JSON, or a workbook when it
// starts with the zip signature and opts.Workbook reads workbooks.
func readReturnPart(body io.Reader, opts Options) (*ledger.Return, problems, *Draft, error) {
	br := bufio.NewReader(body)
	if b, _ := br.Peek(len(workbookSignature)); string(b) == workbookSignature && opts.Workbook != nil {
		d, err := opts.Workbook(br)
		return nil, problems{}, d, err
	}
	ret, jp, err := decodeJSON(br, opts)
	return ret, jp, nil, err
}

func decodeMultipart(mr *multipart.Reader, opts Options) (*ledger.Return, problems, *csvLines, *Draft, error) {
	var (
		wb        *Draft
		ret       *ledger.Return
		probs     problems
		lines     csvLines
		sites     []ledger.Site
		devices   []ledger.DeviceFlow
		seen      = map[string]bool{}
		haveSites bool
		haveDevs  bool
	)
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, problems{}, nil, nil, readError(err, 0, "multipart body")
		}
		if n >= opts.MaxParts {
			part.Close()
			return nil, problems{}, nil, nil, ledger.Errorf(ledger.EBadRequest, "too many parts: at most %d", opts.MaxParts)
		}
		name := part.FormName()
		if seen[name] {
			part.Close()
			return nil, problems{}, nil, nil, ledger.Errorf(ledger.EBadRequest, "part %q appears twice", name)
		}
		seen[name] = true
		body := &limitedPart{r: part, left: opts.MaxPartBytes, part: name, limit: opts.MaxPartBytes}
		switch name {
		case PartReturn:
			var jp problems
			ret, jp, wb, err = readReturnPart(body, opts)
			if err != nil {
				var e *ledger.Error
				if errors.As(err, &e) {
					e.Message = "part \"return\": " + e.Message
				}
				return nil, problems{}, nil, nil, err
			}
			probs.addAll(jp)
		case PartSites:
			var p problems
			sites, lines.sites, p, err = readSitesCSV(body, name+".csv")
			if err != nil {
				return nil, problems{}, nil, nil, err
			}
			probs.addAll(p)
			haveSites = true
		case PartDevices:
			var p problems
			devices, lines.devices, p, err = readDevicesCSV(body, name+".csv")
			if err != nil {
				return nil, problems{}, nil, nil, err
			}
			probs.addAll(p)
			haveDevs = true
		default:
			part.Close()
			return nil, problems{}, nil, nil, ledger.Errorf(ledger.EBadRequest, "unexpected part %q: want %q, %q or %q", name, PartReturn, PartSites, PartDevices)
		}
		part.Close()
	}
	if wb != nil {
		if haveSites || haveDevs {
			return nil, problems{}, nil, nil, ledger.Errorf(ledger.EBadRequest, "a workbook holds every section: send it as the only part, without %q or %q parts", PartSites, PartDevices)
		}
		return nil, problems{}, nil, wb, nil
	}
	if ret == nil {
		return nil, problems{}, nil, nil, ledger.Errorf(ledger.EBadRequest, "missing the %q part (the return as JSON)", PartReturn)
	}
	if haveSites {
		if len(ret.Sites) > 0 {
			probs.add("sites", "must not be in the return part when a sites part is uploaded")
		}
		ret.Sites = sites
		lines.hasSites = true
	}
	if haveDevs {
		if len(ret.Devices) > 0 {
			probs.add("devices", "must not be in the return part when a devices part is uploaded")
		}
		ret.Devices = devices
		lines.hasDevices = true
	}
	return ret, probs, &lines, nil, nil
}

// limitedPart reads at most limit bytes of a part and then fails with
// *partTooLarge if the part has more.
type limitedPart struct {
	r     io.Reader
	left  int64
	part  string
	limit int64
}

func (l *limitedPart) Read(b []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &partTooLarge{part: l.part, limit: l.limit}
		}
		return 0, err
	}
	if int64(len(b)) > l.left {
		b = b[:l.left]
	}
	n, err := l.r.Read(b)
	l.left -= int64(n)
	return n, err
}

// csvLines maps rows that came from CSV parts back to their lines.
type csvLines struct {
	hasSites   bool
	sites      []int // line of sites[i]
	hasDevices bool
	devices    []deviceLines
}

// translate rewrites a validation path into a CSV path when it names a row
// that came from a CSV part: "sites[16].grid" becomes
// "sites.csv:line 18:column grid", "devices[0].collected.kg" becomes
// "devices.csv:line 3:column kg" (the line of the collected flow). Other
// paths are returned as they are.
func (l *csvLines) translate(path string) string {
	switch {
	case l.hasSites && strings.HasPrefix(path, "sites["):
		i, rest, ok := splitIndex(path[len("sites["):])
		if !ok || i >= len(l.sites) {
			return path
		}
		return csvPath(PartSites+".csv", l.sites[i], strings.TrimPrefix(rest, "."))
	case l.hasDevices && strings.HasPrefix(path, "devices["):
		i, rest, ok := splitIndex(path[len("devices["):])
		if !ok || i >= len(l.devices) {
			return path
		}
		return l.devices[i].translate(strings.TrimPrefix(rest, "."))
	}
	return path
}

func (d deviceLines) translate(rest string) string {
	file := PartDevices + ".csv"
	name, field, _ := strings.Cut(rest, ".")
	plan := plans().devicesCSV
	if name == "" {
		return csvPath(file, d.first, "")
	}
	for _, k := range plan.keys {
		if k.Name == name {
			return csvPath(file, d.first, name)
		}
	}
	if f, ok := plan.byJSON(name); ok {
		if line, ok := d.flows[f.name]; ok {
			if f.kgOnly {
				field = plan.mass
			}
			return csvPath(file, line, field)
		}
	}
	return fmt.Sprintf("%s:line %d (%s)", file, d.first, rest)
}

// splitIndex reads "12].rest" into 12 and ".rest".
func splitIndex(s string) (int, string, bool) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return 0, "", false
	}
	i, err := strconv.Atoi(s[:end])
	if err != nil || i < 0 {
		return 0, "", false
	}
	return i, s[end+1:], true
}
