// Package filing reads a quarterly return (docs/spec/quarterly-return.md) from a
// JSON body or a multipart body with CSV parts, and checks every rule that
// one return and its context can decide. Every problem is reported at
// once, each with its path.
//
// # Use
//
// A handler reads the body into a Draft (ReadJSON, or ReadMultipart for
// multipart/form-data), builds the Context from the draft's return (its
// period and factor_set) and the store, and calls Draft.Check, which
// reports the problems of reading and of validation together and returns
// the warnings. DecodeJSON and DecodeMultipart read without validating;
// Validate checks a return built any other way.
//
// # Paths
//
// JSON problems name the JSON path: "electricity[2].kwh",
// "devices[0].collected.kg", "resilience.backup_autonomy.lt_4h". A key
// that is not a plain name is quoted: `activity["a.b"]`. CSV problems name
// the part, line and column: "sites.csv:line 17:column grid_kwh" (a cell),
// "sites.csv:line 17" (a row), "sites.csv:line 1:column foo" (the
// header). Lines count from 1, the header being line 1.
//
// # Workbooks
//
// A return may also come as an XLSX workbook. The workbook package reads
// it into JSON and hands it to ReadDerived with the problems it met and a
// function that maps a JSON path back to a sheet and cell; Check then
// reports every problem at the uploader's path ("Electricity!C7"). In a
// multipart body a "return" part that starts with a zip signature is a
// workbook when Options.Workbook is set, and must then come alone.
//
// # 400, 413 and 422
//
// A body that cannot be read as JSON (syntax error, trailing data, empty
// body) or CSV (bad quoting), and a malformed multipart body (missing
// "return" part, unknown or repeated part, too many parts) is EBadRequest
// (400); the message gives the byte offset, or the CSV line and column.
// A body or part over its size limit is ETooLarge (413): the HTTP layer
// wraps the body in http.MaxBytesReader and the *http.MaxBytesError it
// yields is recognized wherever it surfaces. Everything else is EInvalid
// (422) with Fields listing every problem: wrong types, unknown fields,
// duplicate keys, bad numbers, unknown enumeration values, missing fields
// and broken rules. Filing for a period that already has a return without
// "restates" is EConflict (409), with the same Fields.
//
// # Values
//
//   - Quantities are JSON strings or numbers in the JSON number grammar
//     without exponent: "-"? digits ("." digits)?, no leading "+", no
//     leading zeros, at most 18 digits before the point and 9 after. They
//     are parsed exactly with decimal.NewFromString. Validate checks signs:
//     quantities are >= 0 except stock_change.
//   - Counts and years are JSON integer numbers; strings such as "12" are
//     not accepted (a count is never a decimal, so there is no need to
//     quote one).
//   - null is accepted for optional fields and means absent.
//   - Times are RFC 3339 and keep the UTC offset they are written in (an
//     offset of zero is stored as UTC): methodology 2026.1 R3 takes an
//     outage's quarter end in the offset of its started.
//   - Free strings (ids, grids, names, the reason) follow ledger.CheckText
//     for the kind of their field, in JSON and CSV alike: invalid UTF-8
//     (which encoding/json would turn into U+FFFD), control characters,
//     bidi overrides and over-long values are problems at their path.
//   - Enumerations are exact and lower-case; an unknown value lists the
//     allowed ones.
//   - In a flow object {"units": n, "kg": "..."} kg is required and units
//     may be left out (zero), for equipment weighed rather than counted.
//   - In a site row absent quantities are zero, absent flags false and an
//     absent hazard_level is "none".
//
// # CSV parts
//
// A "sites" part has a header of sites[] field names in any order
// (site_id, domain and grid required); empty cells are zero, false or
// "none". Flags are "true" or "false". A "devices" part has the header
// category,stream,flow,units,kg in any order; flow is one of the flows
// (redeployed among them, return v1.1) or recycled_content /
// reused_content (units empty); units may be empty (zero), kg is
// required. Device fields other than flows (lifetime_years, recycler,
// exported_kg, basel_notification, recycler_efficiency_pct, exports,
// recycler_authorisation_id) need the JSON form. When a
// CSV part is uploaded the JSON part must not carry the same array. CSV is
// UTF-8 (a byte order mark is skipped), comma-separated, RFC 4180 quoting.
// A record (the header too) of more than the part's columns plus 16
// fields, or of more than 16 KiB, stops the reading of the part with one
// problem at its line.
//
// # Unit rules
//
// diesel, petrol and lpg may be given in l, kg, gj or kwh; natural_gas in
// m3, kg, gj or kwh; biodiesel_blend only in l (its bio_share is a share
// of volume).
//
// # Warnings
//
// Validate raises these warnings (ledger.Warning.Rule):
//
//   - mass_balance_gap: a device row whose treated mass plus stock change
//     differs from collected by more than 1% of collected.
//   - data_centre_energy_exceeds_domain: the data centres' total_kwh add up
//     to more than the energy of domain data_centre (electricity, on-site
//     renewables, site rows, and fuel energy by the factor set).
//   - renewable_share_uncertified: claims above 90% of purchased
//     electricity with no certificate on any claim.
package filing
