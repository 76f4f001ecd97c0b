package document

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// Content types a document may have: the allowlist.
const (
	TypePDF      = "application/pdf"
	TypePNG      = "image/png"
	TypeJPEG     = "image/jpeg"
	TypeText     = "text/plain"
	TypeCSV      = "text/csv"
	TypeMarkdown = "text/markdown"
	TypeDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX     = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// extensions is each allowed type's file name extension.
var extensions = map[string]string{
	TypePDF: ".pdf", TypePNG: ".png", TypeJPEG: ".jpg", TypeText: ".txt", TypeCSV: ".csv", TypeMarkdown: ".md",
	TypeDOCX: ".docx", TypeXLSX: ".xlsx", TypePPTX: ".pptx",
}

// ErrType means the content is none of the allowed types.
var ErrType = errors.New("document: the file is not a PDF, PNG, JPEG, plain text, CSV, Markdown or Office Open XML document")

// maxZipEntries bounds an Office file's central directory: a real document
// has dozens of parts; a directory of millions is an attack on the reader.
const maxZipEntries = 5000

// Sniff decides the type of the size bytes readable at r from their content
// alone. name only chooses among the text types (plain, CSV, Markdown) once
// the content is known to be text: all three are served the same safe way.
func Sniff(r io.ReaderAt, size int64, name string) (string, error) {
	head := make([]byte, min(size, 512))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("document: sniff: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG, nil
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return TypeJPEG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffOOXML(r, size)
	}
	if err := isText(r, size); err != nil {
		return "", err
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return TypeCSV, nil
	case ".md", ".markdown":
		return TypeMarkdown, nil
	}
	return TypeText, nil
}

// sniffOOXML recognises an Office Open XML package by its central
// directory: a [Content_Types].xml part and the main part's folder. It reads
// the end-of-directory record first and refuses oversized directories; no
// entry is ever decompressed.
func sniffOOXML(r io.ReaderAt, size int64) (string, error) {
	tail := make([]byte, min(size, 22+65535))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("document: sniff: %w", err)
	}
	eocd := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if eocd < 0 || len(tail)-eocd < 22 {
		return "", ErrType
	}
	entries := binary.LittleEndian.Uint16(tail[eocd+10:])
	if entries == 0 || entries > maxZipEntries { // 0xFFFF marks a ZIP64 directory: refused too
		return "", ErrType
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", ErrType
	}
	var types bool
	kind := ""
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = TypeDOCX
		case strings.HasPrefix(f.Name, "xl/"):
			kind = TypeXLSX
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = TypePPTX
		}
	}
	if !types || kind == "" {
		return "", ErrType
	}
	return kind, nil
}

// isText accepts valid UTF-8 without NUL or other control bytes (tab, line
// breaks and form feed aside) that does not open with markup: HTML, SVG and
// XML are refused, whatever their name.
func isText(r io.ReaderAt, size int64) error {
	if size == 0 {
		return ErrType
	}
	sr := io.NewSectionReader(r, 0, size)
	buf := make([]byte, 32<<10)
	var carry []byte
	first := true
	for {
		n, err := sr.Read(buf[len(carry):])
		chunk := buf[:len(carry)+n]
		if first && n > 0 {
			first = false
			lead := bytes.TrimLeft(bytes.TrimPrefix(chunk, []byte("\xef\xbb\xbf")), " \t\r\n\f")
			if len(lead) > 0 && lead[0] == '<' {
				return ErrType
			}
		}
		end := len(chunk)
		if err == nil { // keep an incomplete rune for the next read
			for i := 0; i < utf8.UTFMax && end > 0 && !utf8.RuneStart(chunk[end-1]); i++ {
				end--
			}
			if end > 0 && !utf8.FullRune(chunk[end-1:]) {
				end--
			}
		}
		if !utf8.Valid(chunk[:end]) {
			return ErrType
		}
		for _, b := range chunk[:end] {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7f {
				return ErrType
			}
		}
		carry = append(buf[:0:0], chunk[end:]...)
		copy(buf, carry)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("document: sniff: %w", err)
		}
	}
}
