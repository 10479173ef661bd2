package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/calculators"
	"github.com/ictledger/ictledger/disclosure"
	"github.com/ictledger/ictledger/filing"
	"github.com/ictledger/ictledger/ledger"
	"github.com/ictledger/ictledger/service"
	"github.com/ictledger/ictledger/workbook"
	"github.com/ictledger/ictledger/xlsxexport"
)

// The OpenAPI description is built from the route table below and from
// the Go types the handlers encode, by reflection over their json tags,
// so the document cannot drift from what the server actually sends.

// apiOp describes one operation for the OpenAPI document.
type apiOp struct {
	method, path, summary string
	roles                 string // who may call it, in words
	query                 []string
	body                  any      // request body type (nil: none)
	bodyType              string   // request content type when not JSON
	csvParts              []string // with body: also multipart, body as the "return" part plus these CSV parts
	workbook              bool     // with body: also an XLSX workbook, as the body or the "return" part
	status                int
	resp                  any    // response body type (nil: none)
	respType              string // response content type when not JSON
	altType               string // with resp: another content type, chosen by the Accept header
}

func (s *Server) apiOps() []apiOp {
	type any_ = map[string]any
	return []apiOp{
		{method: "GET", path: "/healthz", summary: "Liveness and ledger size", roles: "public", status: 200, resp: any_{}},
		{method: "GET", path: "/metrics", summary: "Prometheus metrics", roles: "public", status: 200, respType: "text/plain"},
		{method: "GET", path: "/v1/openapi.json", summary: "This document", roles: "public", status: 200, resp: any_{}},
		{method: "POST", path: "/v1/tokens", summary: "Issue a token; the secret is shown once. A regulator token must name its jurisdictions: ISO 3166-1 codes, or [\"*\"] for every country",
			roles: "admin", body: tokenRequest{}, status: 201, resp: service.IssuedToken{}},
		{method: "GET", path: "/v1/tokens", summary: "Every token without its secret; regulator tokens issued before jurisdictions are unrestricted: true",
			roles: "admin", status: 200, resp: []service.TokenView{}},
		{method: "DELETE", path: "/v1/tokens/{id}", summary: "Revoke a token at once", roles: "admin", status: 204},
		{method: "PUT", path: "/v1/jurisdictions/{cc}", summary: "Record an administration: its name (English, and its own language), filing deadline in days after quarter end (default 45) counted in its time zone (default UTC), and the factor set its operators file under by default",
			roles: "admin", body: jurisdictionRequest{}, status: 200, resp: service.JurisdictionView{}},
		{method: "GET", path: "/v1/jurisdictions", summary: "Administrations' records", roles: "admin; regulator: its own jurisdictions",
			status: 200, resp: []service.JurisdictionView{}},
		{method: "POST", path: "/v1/operators", summary: "Register an operator", roles: "admin", body: ledger.Operator{}, status: 201, resp: ledger.Operator{}},
		{method: "GET", path: "/v1/operators", summary: "List operators", roles: "admin, regulator", status: 200, resp: []ledger.Operator{}},
		{method: "GET", path: "/v1/operators/{id}", summary: "One operator", roles: "admin, regulator, that operator", status: 200, resp: ledger.Operator{}},
		{method: "GET", path: "/v1/factor-sets", summary: "List factor sets", roles: "any token", status: 200, resp: []factorSetSummary{}},
		{method: "POST", path: "/v1/factor-sets", summary: "Publish a new factor-set version", roles: "admin", body: ledger.FactorSet{}, status: 201, resp: ledger.FactorSet{}},
		{method: "GET", path: "/v1/factor-sets/{version}", summary: "One factor set with sources", roles: "any token", status: 200, resp: ledger.FactorSet{}},
		{method: "POST", path: "/v1/operators/{id}/returns", summary: "File or restate a quarterly return (JSON, or multipart with return JSON and sites/devices CSV parts, or an XLSX workbook in the layout of the template, as the body or the only \"return\" part; workbook problems are named by sheet and cell, e.g. Electricity!C7); Idempotency-Key header supported",
			roles: "that operator", body: ledger.Return{}, csvParts: []string{filing.PartSites, filing.PartDevices}, workbook: true, status: 201, resp: service.Filed{}},
		{method: "GET", path: "/v1/templates/quarterly-return.xlsx", summary: "The return as an XLSX workbook to fill: a How to fill sheet, a sheet per section, drop-down lists of every enumeration and of factor_set's grid keys (default the latest set; an unknown set is 400). Same bytes for the same set; ETag is their SHA-256",
			roles: "public", query: []string{"factor_set"}, status: 200, respType: workbook.MediaType},
		{method: "GET", path: "/v1/returns/{rid}.xlsx", summary: "A return as filed, as a workbook in the layout of the template: filed again unchanged with restates and reason on the About sheet, it files an identical return",
			roles: "admin, regulator, its operator", status: 200, respType: workbook.MediaType},
		{method: "GET", path: "/v1/operators/{id}/returns", summary: "List return versions with status", roles: "admin, regulator, that operator",
			query: []string{"period"}, status: 200, resp: []service.VersionSummary{}},
		{method: "GET", path: "/v1/returns/{rid}", summary: "A return as filed, with status, version, supersedes, superseded_by, reviews, entry",
			roles: "admin, regulator, its operator", status: 200, resp: any_{}},
		{method: "GET", path: "/v1/returns/{rid}/diff", summary: "Field-level differences against another version, and the metrics that changed as a result (each version under the factor set it was filed with)", roles: "admin, regulator, its operator",
			query: []string{"against"}, status: 200, resp: service.Diff{}},
		{method: "POST", path: "/v1/returns/{rid}/reviews", summary: "Accept, or return with findings", roles: "regulator",
			body: struct {
				Decision ledger.Decision     `json:"decision"`
				Comment  string              `json:"comment,omitempty"`
				Findings []ledger.FieldError `json:"findings,omitempty"`
			}{}, status: 201, resp: service.ReviewView{}},
		{method: "GET", path: "/v1/returns/{rid}/metrics", summary: "Metrics of a return version with derivations, data_quality flags and its filing warnings; factor_set recomputes under another set, methodology (2025.1 or 2026.1; default the factor set's) under another methodology",
			roles: "admin, regulator, its operator", query: []string{"factor_set", "gwp", "methodology"}, status: 200, resp: calculators.Metrics{},
			altType: xlsxexport.ContentType},
		{method: "GET", path: "/v1/returns/{rid}/metrics.xlsx", summary: "The same metrics as a workbook (also GET /v1/returns/{rid}/metrics with Accept: the XLSX media type): sheet Figures (key, name, value, unit, methodology, note), sheet Derivations (formula, inputs, factors with their sources), sheet Notes; a value is a number cell when exact in 15 significant digits, else text",
			roles: "admin, regulator, its operator", query: []string{"factor_set", "gwp", "methodology"}, status: 200, respType: xlsxexport.ContentType},
		{method: "GET", path: "/v1/operators/{id}/metrics", summary: "An operator's metrics over a quarter or a year (latest versions; coverage says which quarters)",
			roles: "admin, regulator, that operator", query: []string{"period", "gwp"}, status: 200, resp: calculators.Rollup{}},
		{method: "GET", path: "/v1/sector/metrics", summary: "Per-operator headline metrics with ranks, medians, filing warnings counts and intensity outliers; sector totals",
			roles: "admin, regulator", query: []string{"period", "country"}, status: 200, resp: service.SectorMetrics{}},
		{method: "GET", path: "/v1/sector/status", summary: "Each operator's filing state for a quarter: missing, submitted, returned or accepted, late, versions, open findings, warnings",
			roles: "admin, regulator (its jurisdictions)", query: []string{"period", "country"}, status: 200, resp: service.SectorStatus{}},
		{method: "GET", path: "/v1/sector/export.csv", summary: "One RFC 4180 row per operator, one column per headline metric",
			roles: "admin, regulator", query: []string{"period", "country"}, status: 200, respType: "text/csv"},
		{method: "GET", path: "/v1/sector/export.xlsx", summary: "The CSV export's rows and columns as a workbook: header frozen with an autofilter, text never a formula, a value a number cell when exact in 15 significant digits, else text",
			roles: "admin, regulator", query: []string{"period", "country"}, status: 200, respType: xlsxexport.ContentType},
		{method: "GET", path: "/v1/region", summary: "The public regional view of a quarter or year: per country with accepted returns, the operators due, filed and accepted, the sums of their accepted returns and the intensities recomputed from them; the region's totals and the median of the countries' intensities. Nothing submitted, returned or superseded counts",
			roles: "public", query: []string{"period"}, status: 200, resp: calculators.RegionView{}},
		{method: "PUT", path: "/v1/deadlines/{period}", summary: "Override a quarter's filing deadline (recorded as a ledger entry; a later override replaces an earlier one)",
			roles: "admin", body: struct {
				Deadline time.Time `json:"deadline"`
				Reason   string    `json:"reason"`
			}{}, status: 200, resp: struct {
				Period     string    `json:"period"`
				Deadline   time.Time `json:"deadline"`
				Overridden bool      `json:"overridden"`
			}{}},
		{method: "GET", path: "/v1/ledger/checkpoint", summary: "Latest signed checkpoint as a signed note", roles: "public", status: 200, respType: "text/plain"},
		{method: "GET", path: "/v1/ledger/checkpoint.json", summary: "Latest signed checkpoint as JSON", roles: "public", status: 200, resp: service.Checkpoint{}},
		{method: "GET", path: "/v1/ledger/witnesses", summary: "Each configured witness: cosigned size, lag, failures", roles: "regulator, admin", status: 200, resp: []service.WitnessStatus{}},
		{method: "GET", path: "/v1/ledger/entries", summary: "Entries with hashes and canonical bytes", roles: "admin, regulator",
			query: []string{"start", "limit"}, status: 200, resp: struct {
				Start   uint64              `json:"start"`
				Size    uint64              `json:"size"`
				Entries []service.EntryView `json:"entries"`
			}{}},
		{method: "GET", path: "/v1/ledger/proof/inclusion", summary: "Inclusion proof of entry seq in the tree of size", roles: "public",
			query: []string{"seq", "size"}, status: 200, resp: service.InclusionProof{}},
		{method: "GET", path: "/v1/ledger/proof/consistency", summary: "Consistency proof between tree sizes from and to", roles: "public",
			query: []string{"from", "to"}, status: 200, resp: service.ConsistencyProof{}},
		{method: "GET", path: "/v1/ledger/key", summary: "The checkpoint verifier key (note.NewVerifier text)", roles: "public", status: 200, respType: "text/plain"},
		{method: "GET", path: "/log/checkpoint", summary: "The c2sp.org/tlog-tiles checkpoint: the current signed tree head as a signed note", roles: "public", status: 200, respType: "text/plain"},
		{method: "GET", path: "/log/tile/{path}", summary: "A c2sp.org/tlog-tiles hash tile (<L>/<N>[.p/<W>]) or entry bundle (entries/<N>[.p/<W>]; an entry over 65,535 bytes is a 64-byte reference, see docs/open-log.md); full ones are immutable",
			roles: "public for hash tiles; admin, regulator for entry bundles", status: 200, respType: "application/octet-stream"},
		{method: "GET", path: "/log/entry/{path}", summary: "The canonical bytes of one entry (<N> grouped as in tile paths), where a bundle's reference points", roles: "admin, regulator", status: 200, respType: "application/octet-stream"},
		{method: "GET", path: "/v1/operators/{id}/disclosures/{period}.pdf", summary: "Operator disclosure of a quarter (2025-Q3) or year (2025) as PDF; ETag is the SHA-256 of the bytes; the first download appends a disclosure.issued entry",
			roles: "public, made from accepted returns only, when every quarter it covers has an accepted latest version; otherwise admin, regulator, that operator (a preview, not recorded as issued)", status: 200, respType: "application/pdf"},
		{method: "GET", path: "/v1/sector/disclosures/{period}.pdf", summary: "Sector report of a quarter or year as PDF (layout sector_v4), of the regulator's jurisdictions or ?country=CC: drawn from one sector.recorded entry that it attaches with its inclusion proof (the latest record of those jurisdictions and period while its view is unchanged, else a new one appended first); its view checked by recomputing it (ictledger verify records); the first download appends a disclosure.issued entry; 404 when the period has not begun or no operator is due; 503 without Retry-After when the ledger is read-only and a new record is needed", roles: "admin, regulator",
			query: []string{"country"}, status: 200, respType: "application/pdf"},
		{method: "GET", path: "/v1/region/disclosures/{period}.pdf", summary: "The public regional report of a quarter or year as PDF (layout region_v2): what GET /v1/region shows, from accepted returns only, drawn from one region.recorded entry that it attaches with its inclusion proof (the period's latest record while the view is unchanged, else a new one appended first); verifiable offline, its figures checked by recomputing them (ictledger verify records); the first download appends a disclosure.issued entry; 404 when nothing of the period is accepted; 503 with Retry-After when busy, 503 without it when the ledger is read-only and a new record is needed",
			roles: "public", status: 200, respType: "application/pdf"},
		{method: "POST", path: "/v1/verify", summary: "Verify a PDF disclosure: signature, inclusion proofs, bytes re-rendered, supersession, and the entry that recorded it as issued",
			roles: "public", bodyType: "application/pdf", status: 200, resp: disclosure.Result{}},
	}
}

// handleOpenAPI serves GET /v1/openapi.json (public).
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	s.openAPIOnce.Do(func() { s.openAPIDoc = s.buildOpenAPI() })
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(s.openAPIDoc)
}

func (s *Server) buildOpenAPI() []byte {
	g := &schemaGen{defs: map[string]any{}, v11: v11Index()}
	paths := map[string]map[string]any{}
	for _, op := range s.apiOps() {
		o := map[string]any{
			"summary":     op.summary,
			"description": "Who may call it: " + op.roles + ".",
			"responses":   map[string]any{},
		}
		if op.roles != "public" {
			o["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		var params []any
		for _, seg := range strings.Split(op.path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.bodyType != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				op.bodyType:           map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}},
			}}
		} else if op.body != nil {
			content := map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(op.body))}}
			if op.csvParts != nil {
				props := map[string]any{filing.PartReturn: g.schema(reflect.TypeOf(op.body))}
				encoding := map[string]any{filing.PartReturn: map[string]any{"contentType": "application/json"}}
				for _, p := range op.csvParts {
					props[p] = map[string]any{"type": "string", "format": "binary", "description": "CSV (UTF-8, RFC 4180), replacing the return's " + p + " array" + v11Columns(p)}
					encoding[p] = map[string]any{"contentType": "text/csv"}
				}
				content["multipart/form-data"] = map[string]any{"schema": map[string]any{"type": "object", "required": []string{filing.PartReturn},
					"properties": props}, "encoding": encoding}
			}
			if op.workbook {
				content[workbook.MediaType] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary",
					"description": "An XLSX workbook in the layout of GET /v1/templates/quarterly-return.xlsx; as a multipart body, the \"return\" part alone"}}
			}
			o["requestBody"] = map[string]any{"required": true, "content": content}
		}
		resp := map[string]any{"description": http.StatusText(op.status)}
		switch {
		case op.respType != "":
			resp["content"] = map[string]any{op.respType: map[string]any{"schema": map[string]any{"type": "string"}}}
		case op.resp != nil:
			content := map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(op.resp))}}
			if op.altType != "" {
				content[op.altType] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
			}
			resp["content"] = content
		}
		responses := o["responses"].(map[string]any)
		responses[strconv.Itoa(op.status)] = resp
		responses["default"] = map[string]any{"description": "An RFC 9457 problem (400, 401, 403, 404, 409, 413, 422, 503)",
			"content": map[string]any{"application/problem+json": map[string]any{"schema": g.schema(reflect.TypeOf(problem{}))}}}
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		paths[op.path][strings.ToLower(op.method)] = o
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "ictledger API", "version": "v1",
			"description": "Quarterly sustainability returns of ICT operators (energy, emissions, e-waste, climate resilience) in a tamper-evident ledger."},
		"paths":      paths,
		"components": map[string]any{"schemas": g.defs, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // only maps, slices and strings: cannot fail
	}
	return b
}

// schemaGen turns Go types into JSON Schema by their json tags. v11
// marks the fields of return v1.1 (see v11Index).
type schemaGen struct {
	defs map[string]any
	v11  map[reflect.Type]map[string]ledger.V11Field
}

var (
	decimalType = reflect.TypeOf(decimal.Decimal{})
	timeType    = reflect.TypeOf(time.Time{})
	periodType  = reflect.TypeOf(ledger.Period{})
	rawType     = reflect.TypeOf(json.RawMessage{})
	valueType   = reflect.TypeOf(calculators.Value{})
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case decimalType:
		return map[string]any{"type": "string", "pattern": `^-?[0-9]{1,18}(\.[0-9]{1,9})?$`, "description": "exact decimal; a JSON number without exponent is also accepted on input"}
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case periodType:
		return map[string]any{"type": "string", "pattern": `^[0-9]{4}-Q[1-4]$`}
	case rawType:
		return map[string]any{}
	case valueType:
		return map[string]any{"type": "string", "nullable": true, "description": "decimal rounded half-even to 6 places; null when unavailable"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name := t.Name()
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = map[string]any{} // placeholder against recursion
			g.defs[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	desc := describedFields(t)
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := g.schema(f.Type)
			if v, ok := g.v11[t][name]; ok {
				s = describeV11(s, v)
			}
			if d, ok := desc[name]; ok {
				s = describe(s, d)
				if d.Required {
					required = append(required, name)
				}
			} else if desc == nil && !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
				required = append(required, name)
			}
			props[name] = s
		}
	}
	walk(t)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		out["required"] = required
	}
	return out
}

// describedFields returns the fields of t by name when t is a type of
// the quarterly return, whose ret tags describe it (ledger.Describe),
// and nil otherwise.
func describedFields(t reflect.Type) map[string]ledger.Field {
	tagged := false
	for i := 0; i < t.NumField(); i++ {
		_, ok := t.Field(i).Tag.Lookup("ret")
		tagged = tagged || ok
	}
	if !tagged {
		return nil
	}
	fields, err := ledger.Describe(t)
	if err != nil {
		return nil // TestDescribeReturn reports it
	}
	out := make(map[string]ledger.Field, len(fields))
	for _, f := range fields {
		out[f.Name] = f
	}
	return out
}

// describe adds to the schema s of a field of the return what its
// description says: the values of an enumeration, its default, the
// length of a free string.
func describe(s map[string]any, d ledger.Field) map[string]any {
	target := s
	if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" {
		target = items // a list of strings: the rule is its items'
	}
	switch {
	case d.Enum != nil:
		target["enum"] = d.Enum
	case d.Text != 0:
		target["maxLength"] = d.Text.MaxRunes()
	}
	if d.Default != "" {
		target["default"] = d.Default
	}
	return s
}
