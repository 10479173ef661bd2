// Package workbook is the quarterly return as an XLSX workbook: the
// template operators fill (Template), a filed return written in the same
// layout (Write), and the reading of a workbook into a filing draft
// (Read), checked by the same rules as a JSON return.
//
// # Layout
//
// The sheets derive from the return's one description, the json and ret
// tags of the ledger types (see layout.go): a "How to fill" sheet in
// plain words; "About" for the return's own fields; a sheet per section,
// whose first row names each column by its JSON name, with its unit in
// parentheses when the name says one ("kwh (kWh)"), and whose rows below
// are the records; a hidden "Lists" sheet feeding the drop-down lists.
// Objects inside a section are dotted columns ("backup_autonomy.lt_4h").
// Devices are in the long form of the devices CSV part (a row per flow),
// their other fields on "Device details" and their exports on "Device
// exports", keyed by category and stream.
//
// # Reading
//
// A workbook is read from its zip directory up, with archive/zip and a
// small XML scanner of its own (scan.go): every part's size is checked
// against Limits before it is inflated; a macro-enabled workbook and one
// linked to other workbooks are refused; a sheet is streamed a row at a
// time. The cells become the JSON of the return, which
// filing.ReadDerived reads and Draft.Check checks as for any JSON body;
// every problem's path is mapped back to its sheet and cell
// ("Electricity!C7", "'Data centres'!D2") or row ("Electricity!7:7").
//
// A number typed as a number is read from the text the workbook stores,
// never through a float64: spreadsheets store the shortest text that
// reads back to the same double, so it is what was typed when it shows at
// most 15 significant digits. More, or an exponent that dropped digits,
// is a problem that says to type the value as text (the template formats
// every decimal column as text). A formula is read by its cached value,
// with a warning (rule workbook_formula) naming the cell.
package workbook
