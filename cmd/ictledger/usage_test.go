package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// flagLine is a flag as the flag package lists it for -h: "  -name type".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)

// usageBlock is the part of text that starts with the line holding
// start and runs to the next "ictledger " command line.
func usageBlock(text, start string) string {
	i := strings.Index(text, start)
	if i < 0 {
		return ""
	}
	rest := text[i+len(start):]
	if j := strings.Index(rest, "\n  ictledger "); j >= 0 {
		rest = rest[:j]
	}
	return start + rest
}

// TestUsageNamesEveryFlag asks each command for its flags (-h) and checks
// that the usage text names every one of them, so that a flag added to a
// command cannot be left out of what "ictledger help" says. serve's flags
// must also be in the README's Configuration section.
func TestUsageNamesEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		start string // the usage line of the command
		doc   string // another text that must list the flags, or ""
	}{
		{[]string{"serve"}, "ictledger serve ", usageBlock(string(readme), "ictledger serve [")},
		{[]string{"verify"}, "ictledger verify DATA_DIR", ""},
		{[]string{"verify", "disclosure"}, "ictledger verify disclosure ", ""},
		{[]string{"verify", "consistency"}, "ictledger verify consistency ", ""},
		{[]string{"verify", "records"}, "ictledger verify records ", ""},
		{[]string{"backup"}, "ictledger backup ", ""},
		{[]string{"monitor"}, "ictledger monitor ", ""},
		{[]string{"loadtest", "generate"}, "ictledger loadtest generate ", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			run(context.Background(), append(tc.args, "-h"), &stdout, &stderr)
			if !strings.Contains(stderr.String(), "Usage of "+strings.Join(tc.args, " ")) {
				t.Fatalf("-h printed no flags: %q", stderr.String())
			}
			flags := flagLine.FindAllStringSubmatch(stderr.String(), -1)
			if len(flags) == 0 && tc.args[0] != "backup" {
				t.Fatalf("-h listed no flags: %q", stderr.String())
			}
			block := usageBlock(usage, tc.start)
			if block == "" {
				t.Fatalf("the usage has no line %q", tc.start)
			}
			for _, f := range flags {
				if !strings.Contains(block, "--"+f[1]+" ") && !strings.Contains(block, "--"+f[1]+"]") {
					t.Errorf("the usage of %q does not name --%s:\n%s", tc.start, f[1], block)
				}
				if tc.args[0] == "serve" && !strings.Contains(tc.doc, "--"+f[1]) {
					t.Errorf("the README's Configuration does not name serve --%s", f[1])
				}
			}
		})
	}
}
