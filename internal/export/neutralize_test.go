package export_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attesthq/attest/internal/export"
)

func TestNeutralize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                               "",
		"plain text":                     "plain text",
		"-3":                             "-3",
		"+1.5e3":                         "+1.5e3",
		"-0.25":                          "-0.25",
		"-.5":                            "-.5",
		"42":                             "42",
		"=1+1":                           "'=1+1",
		`=HYPERLINK("http://evil.test")`: `'=HYPERLINK("http://evil.test")`,
		"-1+cmd|' /C calc'!A0":           "'-1+cmd|' /C calc'!A0",
		"+":                              "'+",
		"-":                              "'-",
		"-1e":                            "'-1e",
		"-1e+-3":                         "'-1e+-3",
		"--3":                            "'--3",
		"-Inf":                           "'-Inf",
		"@SUM(A1)":                       "'@SUM(A1)",
		"\tx":                            "'\tx",
		"\rx":                            "'\rx",
		"＝1+1":                           "'＝1+1",
		"＋cmd":                           "'＋cmd",
		"－1":                             "'－1",
		"＠x":                             "'＠x",
		"a=b":                            "a=b",
		"'already":                       "'already",
		"-1.":                            "-1.",
		"-.":                             "'-.",
		"+1E5":                           "+1E5",
		"-1e5e3":                         "'-1e5e3",
		"-1.2.3":                         "'-1.2.3",
		"-1 ":                            "'-1 ",
		"\t1":                            "'\t1",
		"\xef\xbc":                       "\xef\xbc",
		"\xef\xbc\x9e":                   "\xef\xbc\x9e",
	} {
		require.Equal(t, want, export.Neutralize(in), "Neutralize(%q)", in)
	}
}
