package workbook

import (
	"encoding/xml"
	"fmt"
	"io"
)

// scanSheetStd reads a worksheet's cells with encoding/xml: the reference
// the scanner of scanSheet is held to.
func scanSheetStd(r io.Reader, name string, strs []string, fn func(row int, cells []cell) error) error {
	st := &sheetState{name: name, strings: strs}
	d := xml.NewDecoder(r)
	d.Strict = true
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlError(fmt.Sprintf("sheet %q", name), err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				if err := st.startRow(attr(t, "r")); err != nil {
					return err
				}
			case "c":
				if err := st.startCell(attr(t, "r"), attr(t, "t")); err != nil {
					return err
				}
			case "v", "t", "f":
				st.startValue(t.Name.Local)
			}
		case xml.CharData:
			if err := st.addText(t); err != nil {
				return err
			}
		case xml.EndElement:
			if err := st.end(t.Name.Local, fn); err != nil {
				return err
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}
