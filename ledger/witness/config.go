package witness

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// Witness is one configured witness.
type Witness struct {
	// Name is the operator's label for the witness, in logs, metrics
	// and the admin page. It is not the key's name.
	Name string
	// URL is the witness's base URL; add-checkpoint is posted to
	// URL + "/add-checkpoint".
	URL string
	// Key is the witness's public key in vkey form
	// ("name+hash+base64"), Ed25519 (type 0x01 or the cosignature/v1
	// type 0x04).
	Key string
	// Verifier checks the witness's cosignature/v1 signatures.
	Verifier note.Verifier
}

// namePattern keeps witness names short and plain: they are metric label
// values and appear on web pages.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// Parse reads one witness as "NAME,URL,KEY": a name of lowercase letters,
// digits, '.', '_' and '-', an http or https URL, and the witness's public
// key.
func Parse(s string) (Witness, error) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) != 3 {
		return Witness{}, fmt.Errorf("witness %q: want NAME,URL,KEY", s)
	}
	name, rawURL, key := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
	if !namePattern.MatchString(name) {
		return Witness{}, fmt.Errorf("witness %q: name %q must be 1 to 63 of a-z, 0-9, '.', '_', '-'", s, name)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Witness{}, fmt.Errorf("witness %s: url %q is not an http or https URL", name, rawURL)
	}
	v, err := NewVerifier(key)
	if err != nil {
		return Witness{}, fmt.Errorf("witness %s: key: %w", name, err)
	}
	return Witness{Name: name, URL: strings.TrimSuffix(rawURL, "/"), Key: key, Verifier: v}, nil
}

// ParseFile reads a witness file: one witness a line as Parse takes it;
// blank lines and lines starting with '#' are skipped.
func ParseFile(b []byte) ([]Witness, error) {
	var out []Witness
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w, err := Parse(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, w)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckUnique refuses two witnesses with one name or one key.
func CheckUnique(ws []Witness) error {
	names, keys := map[string]bool{}, map[string]bool{}
	for _, w := range ws {
		id := fmt.Sprintf("%s/%08x", w.Verifier.Name(), w.Verifier.KeyHash())
		if names[w.Name] {
			return fmt.Errorf("witness %s is configured twice", w.Name)
		}
		if keys[id] {
			return fmt.Errorf("witness %s: its key is configured for another witness too", w.Name)
		}
		names[w.Name], keys[id] = true, true
	}
	return nil
}

// NewVerifier returns the cosignature/v1 verifier of a witness key. A
// plain Ed25519 vkey (type 0x01) is taken as the same key used for
// cosignatures, as witnesses publish it either way.
func NewVerifier(key string) (note.Verifier, error) {
	v, err := fnote.NewVerifierForCosignatureV1(strings.TrimSpace(key))
	if err != nil {
		return nil, fmt.Errorf("not a witness public key (name+hash+base64): %w", err)
	}
	return v, nil
}
