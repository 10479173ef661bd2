package templates

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
)

// MaxAttachmentSize bounds what ExtractAttachment inflates: 16 MiB.
const MaxAttachmentSize = 16 << 20

// ErrNoAttachment means the PDF has no embedded file of the name asked for.
var ErrNoAttachment = errors.New("pdf has no such attachment")

// ExtractAttachment returns the content of the embedded file called name
// in a PDF written by this package (a /Filespec whose /UF or /F is name,
// pointing at an /EmbeddedFile stream, FlateDecode or unfiltered). When
// the stream records its size or MD5 checksum, they must match.
//
// It is safe on any input, as the verify endpoint hands it uploaded bytes:
// it returns an error for anything it cannot read, never panics, scans at
// most a few times the input's size and inflates at most
// MaxAttachmentSize bytes.
func ExtractAttachment(pdf []byte, name string) ([]byte, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("extract attachment: not a PDF")
	}
	f := indexPDF(pdf)
	for _, num := range f.order {
		v, _, err := f.object(num)
		if err != nil {
			continue
		}
		spec, ok := v.(pdfDict)
		if !ok || spec["Type"] != pdfName("Filespec") || !specNamed(f, spec, name) {
			continue
		}
		ef, _ := f.resolve(spec["EF"]).(pdfDict)
		ref, ok := ef["F"].(pdfRef)
		if !ok {
			return nil, fmt.Errorf("extract attachment %s: file specification %d has no embedded file", name, num)
		}
		content, err := embeddedFile(f, ref.num)
		if err != nil {
			return nil, fmt.Errorf("extract attachment %s: %w", name, err)
		}
		return content, nil
	}
	if f.budget <= 0 {
		return nil, fmt.Errorf("extract attachment %s: gave up on a malformed PDF", name)
	}
	return nil, fmt.Errorf("extract attachment %s: %w", name, ErrNoAttachment)
}

// specNamed reports whether the file specification's unicode name (or, if
// it has none, its plain name) is name.
func specNamed(f *pdfFile, spec pdfDict, name string) bool {
	for _, key := range []string{"UF", "F"} {
		if s, ok := f.resolve(spec[key]).([]byte); ok && len(s) > 0 {
			return textString(s) == name
		}
	}
	return false
}

// embeddedFile reads, inflates and checks the embedded file stream num.
func embeddedFile(f *pdfFile, num int64) ([]byte, error) {
	dict, raw, err := f.stream(num)
	if err != nil {
		return nil, err
	}
	content, err := decode(dict, raw, MaxAttachmentSize)
	if err != nil {
		return nil, fmt.Errorf("embedded file %d: %w", num, err)
	}
	params, _ := f.resolve(dict["Params"]).(pdfDict)
	if size, ok := params["Size"].(int64); ok && size != int64(len(content)) {
		return nil, fmt.Errorf("embedded file %d: %d bytes, its size says %d", num, len(content), size)
	}
	if sum, ok := params["CheckSum"].([]byte); ok {
		if got := md5.Sum(content); !bytes.Equal(sum, got[:]) {
			return nil, fmt.Errorf("embedded file %d: MD5 checksum does not match", num)
		}
	}
	return content, nil
}

// fileSpecF is what gofpdf writes as the /F of an attachment's file
// specification: an empty name, which readers that look at /F only (it
// is the entry PDF 1.7 requires; /UF is optional) show as a nameless file.
const fileSpecF = "/F () /UF "

// descriptionPad is the number of spaces a disclosure_v4 document adds to
// the end of its attachment's description: UTF-16, two bytes each, as
// many bytes as the name nameAttachment writes into /F. AttachmentName
// has an even length, so the count is exact.
const descriptionPad = len(AttachmentName) / 2

// nameAttachment writes AttachmentName into the empty /F entry of the one
// attachment of a PDF written by newDoc with a padded description. Every
// object must keep its offset, as the cross-reference table records
// them, so the bytes added to /F are the padding taken from the end of
// the description.
func nameAttachment(pdf []byte) ([]byte, error) {
	at := bytes.Index(pdf, []byte(fileSpecF))
	if at < 0 || bytes.Count(pdf, []byte(fileSpecF)) != 1 {
		return nil, errors.New("name attachment: the PDF has no single file specification with an empty /F")
	}
	pad := append(bytes.Repeat([]byte{0, ' '}, descriptionPad), ')')
	rel := bytes.Index(pdf[at:], pad)
	if rel < 0 {
		return nil, errors.New("name attachment: the description has no padding to take the name's bytes from")
	}
	end := at + rel
	out := make([]byte, 0, len(pdf))
	out = append(out, pdf[:at]...)
	out = append(out, "/F ("+AttachmentName+")"...)
	out = append(out, pdf[at+len("/F ()"):end]...)
	out = append(out, pdf[end+len(pad)-1:]...)
	if len(out) != len(pdf) {
		return nil, fmt.Errorf("name attachment: %d bytes written for %d", len(out), len(pdf))
	}
	return out, nil
}
