// Package templates renders the PDF documents of docs/spec/disclosure.md: the
// operator disclosure (a quarter or a year) and the regulator's sector
// report. It is the only package that knows gofpdf.
//
// The caller fills a display-ready view model (OperatorDisclosure,
// SectorReport) with exact numbers and plain labels; the templates do all
// rounding and formatting, and round for display only, half-even, with a
// fixed number of places per unit (see Unit.Places).
//
// Documents are reproducible to the byte: the same view model, attachment
// and template version always give the same bytes. Nothing here reads the
// clock: the document dates are the view model's LedgerTime, object
// catalogues are sorted, and no map is iterated while drawing. Each
// document carries its verification data (entries, inclusion proofs,
// checkpoint) as an embedded JSON file named AttachmentName, which
// ExtractAttachment reads back.
//
// Operator names may be in any script the embedded fonts cover: DejaVu
// for Latin, Greek and Cyrillic, Noto Sans Thai for Thai and, from
// disclosure_v2 and sector_v2 on, Droid Sans Fallback for Chinese,
// Japanese and Korean, each added to a document only when it has text in
// that script. Every string is drawn in runs, each in a font that has its
// glyphs (scripts.go); a character that no font has (Khmer, Myanmar,
// Devanagari, …; CJK too in the v1 versions) prints as U+FFFD. gofpdf
// does no shaping: Thai marks that would collide are lifted, which is
// legible but not the placement a shaping engine would give.
//
// Layouts are versioned. What a released version draws never changes
// (disclosure/testdata pins the bytes of each), because a document is
// verified by rendering it again; a changed document is a new version
// with a new template version constant. disclosure_v2 and sector_v2 are
// the v1 layouts with CJK fonts, and documents issued under v1 still
// render as they were. sector_v3 redraws the sector report's metrics as
// ranked bar tables (sector_v3.go); new sector reports use it.
package templates
