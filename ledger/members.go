package ledger

import (
	"bytes"
	"errors"
)

// errNotCompact is what Members and Elements report for input they do
// not take on: anything but a compact JSON object whose keys have no
// escapes, or a compact JSON array.
var errNotCompact = errors.New("not compact JSON (an object with plain keys, or an array)")

// Members calls fn with the key and the raw value of each member of the
// compact JSON object obj, in order, without decoding the values. It is
// the fast path for reading a few fields out of a large journal entry (a
// return with its site rows runs to megabytes, and encoding/json scans
// such a payload four times to hand out four fields). It does not
// validate what it skips: it is meant for canonical JSON this service
// wrote and the journal's checksums and hash chain vouch for, and callers
// fall back to encoding/json on any error. Whitespace between tokens and
// escaped keys make it fail with errNotCompact.
//
// FuzzMembers holds it to encoding/json on valid JSON.
func Members(obj []byte, fn func(key, value []byte) error) error {
	if len(obj) < 2 || obj[0] != '{' || obj[len(obj)-1] != '}' {
		return errNotCompact
	}
	i := 1
	if obj[i] == '}' {
		if i+1 != len(obj) {
			return errNotCompact
		}
		return nil
	}
	for {
		if obj[i] != '"' {
			return errNotCompact
		}
		end, err := skipString(obj, i)
		if err != nil {
			return err
		}
		key := obj[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return errNotCompact
		}
		if end >= len(obj) || obj[end] != ':' {
			return errNotCompact
		}
		i = end + 1
		if i >= len(obj) {
			return errNotCompact
		}
		end, err = skipValue(obj, i)
		if err != nil {
			return err
		}
		if err := fn(key, obj[i:end]); err != nil {
			return err
		}
		if end >= len(obj) {
			return errNotCompact
		}
		switch obj[end] {
		case ',':
			i = end + 1
			if i >= len(obj) {
				return errNotCompact
			}
		case '}':
			if end+1 != len(obj) {
				return errNotCompact
			}
			return nil
		default:
			return errNotCompact
		}
	}
}

// Elements calls fn with the raw value of each element of the compact
// JSON array arr, in order, without decoding them: the array twin of
// Members, with the same scope (canonical JSON this service wrote; no
// validation of what it skips; callers fall back to encoding/json on any
// error). Whitespace between tokens makes it fail with errNotCompact.
//
// FuzzElements holds it to encoding/json on valid JSON.
func Elements(arr []byte, fn func(value []byte) error) error {
	if len(arr) < 2 || arr[0] != '[' || arr[len(arr)-1] != ']' {
		return errNotCompact
	}
	i := 1
	if arr[i] == ']' {
		if i+1 != len(arr) {
			return errNotCompact
		}
		return nil
	}
	for {
		end, err := skipValue(arr, i)
		if err != nil {
			return err
		}
		if err := fn(arr[i:end]); err != nil {
			return err
		}
		if end >= len(arr) {
			return errNotCompact
		}
		switch arr[end] {
		case ',':
			i = end + 1
			if i >= len(arr) {
				return errNotCompact
			}
		case ']':
			if end+1 != len(arr) {
				return errNotCompact
			}
			return nil
		default:
			return errNotCompact
		}
	}
}

// skipString returns the index just past the string that starts at b[i]
// (a quote).
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errNotCompact
		}
		j += k
		// The quote is escaped when an odd number of backslashes
		// precede it.
		n := 0
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		j++
		if n%2 == 0 {
			return j, nil
		}
	}
}

// skipValue returns the index just past the value that starts at b[i].
func skipValue(b []byte, i int) (int, error) {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errNotCompact
	default:
		// A number, true, false or null: up to the next delimiter.
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
			switch b[j] {
			case ' ', '\t', '\n', '\r', '"', '{', '[', ':':
				return 0, errNotCompact
			}
			j++
		}
		if j == i {
			return 0, errNotCompact
		}
		return j, nil
	}
}
