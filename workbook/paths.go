package workbook

import (
	"strconv"
	"strings"
)

// where maps the JSON path of a problem to the sheet and cell it came
// from: "electricity[4].kwh" is "Electricity!C7", "devices[0].collected.kg"
// the kg cell of the collected row of that device on the Devices sheet,
// "electricity[4]" the row "Electricity!7:7". A value that came from no
// cell (a required column left out) is named by its row and the column's
// name: "Electricity!7:7 (kwh)"; a section with no sheet by the sheet's
// title.
func (dv *deriver) where(p string) string {
	pattern, idx := splitIndexes(p)
	var best *sheet
	for _, sh := range dv.l.sheets {
		s := sh.section
		if s == "" {
			continue
		}
		if pattern == s || strings.HasPrefix(pattern, s+".") || strings.HasSuffix(s, "[]") && pattern == strings.TrimSuffix(s, "[]") {
			if best == nil || len(s) > len(best.section) {
				best = sh
			}
		}
	}
	if best == nil {
		about := dv.l.sheets[0]
		return dv.cell(about, dv.oneRow(about), pattern)
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(pattern, best.section), ".")
	if len(idx) < strings.Count(best.section, "[]") {
		return sheetRef(best.title)
	}
	switch {
	case best.form == formOne:
		return dv.cell(best, dv.oneRow(best), rest)
	case best.keys == 0:
		pl := dv.placed[best]
		i := idx[len(idx)-1]
		if pl == nil || i >= len(pl.rows) {
			return sheetRef(best.title)
		}
		return dv.cell(best, int(pl.rows[i]), rest)
	}
	return dv.keyedCell(best, idx, rest)
}

// keyedCell locates a path in an element of a long-form array.
func (dv *deriver) keyedCell(best *sheet, idx []int, rest string) string {
	long := best
	if best.parent != nil {
		long = best.parent
	}
	es := dv.entries[long]
	if es == nil || idx[0] >= len(es.list) {
		return sheetRef(best.title)
	}
	e := es.list[idx[0]]
	if best.child != nil {
		rows := e.child[best]
		if len(idx) < 2 || idx[1] >= len(rows) {
			return sheetRef(best.title)
		}
		return dv.cell(best, rows[idx[1]], rest)
	}
	name, sub, _ := strings.Cut(rest, ".")
	if name == "" {
		return dv.cell(e.keySh, e.keyRow, "")
	}
	if i, _ := long.column(name); i >= 0 && i < long.keys {
		return dv.cell(e.keySh, e.keyRow, name)
	}
	for _, f := range long.flows {
		if f.json != name {
			continue
		}
		row, ok := e.flows[f.name]
		if !ok {
			return dv.cell(e.keySh, e.keyRow, "") + " (" + rest + ")"
		}
		if f.kgOnly {
			sub = "kg"
		}
		return dv.cell(long, row, sub)
	}
	details := long.details
	if details == nil || e.details == 0 {
		return dv.cell(e.keySh, e.keyRow, "") + " (" + rest + ")"
	}
	return dv.cell(details, e.details, rest)
}

// oneRow is the data row of a one-row sheet, 0 when it has none.
func (dv *deriver) oneRow(sh *sheet) int {
	if pl := dv.placed[sh]; pl != nil && len(pl.rows) > 0 {
		return int(pl.rows[0])
	}
	return 0
}

// cell names the cell of column name (a JSON path within the row,
// cut back to a column) on a row: "Electricity!C7", or the row and the
// name when the header has no such column.
func (dv *deriver) cell(sh *sheet, row int, name string) string {
	ref := sheetRef(sh.title)
	if row == 0 {
		if name == "" {
			return ref
		}
		return ref + " (" + name + ")"
	}
	rowRef := ref + "!" + strconv.Itoa(row) + ":" + strconv.Itoa(row)
	if name == "" {
		return rowRef
	}
	col := name
	if i := strings.IndexByte(col, '['); i >= 0 {
		col = col[:i]
	}
	pl := dv.placed[sh]
	for pl != nil {
		if c := pl.cols[col]; c != 0 {
			return ref + "!" + cellName(c, row)
		}
		i := strings.LastIndexByte(col, '.')
		if i < 0 {
			break
		}
		col = col[:i]
	}
	return rowRef + " (" + name + ")"
}

// splitIndexes turns "devices[2].exports[1].kg" into
// "devices[].exports[].kg" and [2 1].
func splitIndexes(p string) (string, []int) {
	var b strings.Builder
	var idx []int
	for i := 0; i < len(p); i++ {
		if p[i] != '[' {
			b.WriteByte(p[i])
			continue
		}
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			b.WriteString(p[i:])
			break
		}
		n, err := strconv.Atoi(p[i+1 : i+j])
		if err != nil {
			b.WriteString(p[i : i+j+1])
		} else {
			b.WriteString("[]")
			idx = append(idx, n)
		}
		i += j
	}
	return b.String(), idx
}
