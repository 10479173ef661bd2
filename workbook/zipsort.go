package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"

	"github.com/xuri/excelize/v2"
)

// sortedZip is the zip writer the workbooks are saved with: it writes the
// parts in the order of their names, so that the same workbook is the
// same bytes. excelize writes the sheets of its stream writer in the
// order of a map. Each part is compressed as it comes and kept
// compressed until Close, so the memory held is the size of the file.
// excelize writes one part at a time, so one compressor serves them all
// (a compressor holds about a megabyte).
type sortedZip struct {
	w     io.Writer
	parts []*sortedPart
	fw    *flate.Writer
}

// sortedPart is one compressed part.
type sortedPart struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
}

func (p *sortedPart) Write(b []byte) (int, error) {
	p.crc.Write(b)
	p.size += uint64(len(b))
	return p.fw.Write(b)
}

func newSortedZip(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w} }

// Create ends the part before and begins a part.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.endPart(); err != nil {
		return nil, err
	}
	p := &sortedPart{name: name, crc: crc32.NewIEEE()}
	if z.fw == nil {
		fw, err := flate.NewWriter(&p.buf, flate.DefaultCompression)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	} else {
		z.fw.Reset(&p.buf)
	}
	p.fw = z.fw
	z.parts = append(z.parts, p)
	return p, nil
}

// endPart flushes the compressed end of the last part begun.
func (z *sortedZip) endPart() error {
	if len(z.parts) == 0 {
		return nil
	}
	return z.parts[len(z.parts)-1].fw.Close()
}

// AddFS is not used by excelize when saving.
func (z *sortedZip) AddFS(fs.FS) error { return fs.ErrInvalid }

// Close writes the parts, sorted by name, and the zip directory.
func (z *sortedZip) Close() error {
	if err := z.endPart(); err != nil {
		return err
	}
	sort.Slice(z.parts, func(i, j int) bool { return z.parts[i].name < z.parts[j].name })
	zw := zip.NewWriter(z.w)
	for _, p := range z.parts {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc.Sum32(),
			CompressedSize64: uint64(p.buf.Len()), UncompressedSize64: p.size})
		if err != nil {
			return err
		}
		if _, err := w.Write(p.buf.Bytes()); err != nil {
			return err
		}
		p.buf = bytes.Buffer{}
	}
	return zw.Close()
}
