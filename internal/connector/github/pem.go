package github

import (
	"regexp"
	"strings"
)

// flatPEM is a PEM block whose line breaks were lost: a browser's
// single-line field (the connect form's secret input) strips them when the
// .pem file is pasted.
var flatPEM = regexp.MustCompile(`^-----BEGIN ([A-Z ]+)-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END ([A-Z ]+)-----$`)

// RepairPEM puts back the line breaks of a pasted key that lost them (64
// base64 characters a line, as PEM writes them); any other text is
// returned as it is, for ParsePrivateKey to judge.
func RepairPEM(key string) string {
	flat := strings.TrimSpace(key)
	m := flatPEM.FindStringSubmatch(flat)
	if m == nil || m[1] != m[3] || strings.Contains(flat, "\n") {
		return key
	}
	body := strings.Join(strings.Fields(m[2]), "")
	var b strings.Builder
	b.WriteString("-----BEGIN " + m[1] + "-----\n")
	for len(body) > 64 {
		b.WriteString(body[:64] + "\n")
		body = body[64:]
	}
	b.WriteString(body + "\n-----END " + m[1] + "-----\n")
	return b.String()
}
