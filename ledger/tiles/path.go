package tiles

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Height is the height of every tile: a full tile holds 1<<Height hashes
// or entries.
const Height = 8

// FullWidth is the number of hashes in a full tile and of entries in a
// full bundle.
const FullWidth = 1 << Height

// EntriesLevel is the level tlog.Tile gives entry bundles (its "data"
// tiles).
const EntriesLevel = -1

// maxGroups bounds the index groups of a path: six groups of three digits
// reach 10^18, below 2^63, so a parsed index never overflows.
const maxGroups = 6

// maxLevel is the highest hash tile level a path may name. A tree of 2^64
// leaves has its top hashes at level 8.
const maxLevel = 8

// ErrBadPath means a path is not a tile, bundle or entry path in canonical
// form.
var ErrBadPath = errors.New("tiles: not a tile path")

// Path returns the c2sp path of t, relative to the log's prefix:
// "tile/<L>/<N>[.p/<W>]", or "tile/entries/<N>[.p/<W>]" when t.L is
// EntriesLevel. t.H must be Height.
func Path(t tlog.Tile) string {
	level := strconv.Itoa(t.L)
	if t.L == EntriesLevel {
		level = "entries"
	}
	p := "tile/" + level + "/" + indexPath(uint64(t.N))
	if t.W != FullWidth {
		p += ".p/" + strconv.Itoa(t.W)
	}
	return p
}

// EntryPath returns the path at which entry seq is served alone:
// "entry/<N>", N grouped as in tile paths.
func EntryPath(seq uint64) string { return "entry/" + indexPath(seq) }

// indexPath writes n in groups of three digits, all but the last prefixed
// with "x".
func indexPath(n uint64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n >= 1000 {
		n /= 1000
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

// ParsePath reads a tile or entry-bundle path (see Path) into a tlog.Tile
// of height Height, with W = FullWidth for a full tile and L = EntriesLevel
// for a bundle. Only the canonical form is accepted: no leading zeros
// beyond the three-digit groups, no empty or extra elements, a width from
// 1 to 255 on a partial tile. It does not check that the tile exists.
func ParsePath(p string) (tlog.Tile, error) {
	bad := func(why string) (tlog.Tile, error) {
		return tlog.Tile{}, fmt.Errorf("%w: %q: %s", ErrBadPath, p, why)
	}
	rest, ok := strings.CutPrefix(p, "tile/")
	if !ok {
		return bad(`does not start with "tile/"`)
	}
	levelText, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return bad("no index")
	}
	t := tlog.Tile{H: Height, L: EntriesLevel, W: FullWidth}
	if levelText != "entries" {
		l, err := strconv.Atoi(levelText)
		if err != nil || l < 0 || l > maxLevel || strconv.Itoa(l) != levelText {
			return bad(fmt.Sprintf("level %q is not a number from 0 to %d", levelText, maxLevel))
		}
		t.L = l
	}
	indexText, widthText, partial := strings.Cut(rest, ".p/")
	if partial {
		w, err := strconv.Atoi(widthText)
		if err != nil || w < 1 || w >= FullWidth || strconv.Itoa(w) != widthText {
			return bad(fmt.Sprintf("partial width %q is not a number from 1 to %d", widthText, FullWidth-1))
		}
		t.W = w
	}
	n, err := parseIndex(indexText)
	if err != nil {
		return bad(err.Error())
	}
	t.N = int64(n)
	return t, nil
}

// ParseEntryPath reads the sequence number of an entry path (see
// EntryPath), in canonical form only.
func ParseEntryPath(p string) (uint64, error) {
	rest, ok := strings.CutPrefix(p, "entry/")
	if !ok {
		return 0, fmt.Errorf("%w: %q: does not start with \"entry/\"", ErrBadPath, p)
	}
	n, err := parseIndex(rest)
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %s", ErrBadPath, p, err)
	}
	return n, nil
}

// parseIndex reads an index written by indexPath, refusing any other
// spelling of the same number.
func parseIndex(s string) (uint64, error) {
	groups := strings.Split(s, "/")
	if len(groups) > maxGroups {
		return 0, fmt.Errorf("index has %d groups, at most %d", len(groups), maxGroups)
	}
	var n uint64
	for i, g := range groups {
		if i < len(groups)-1 {
			var ok bool
			if g, ok = strings.CutPrefix(g, "x"); !ok {
				return 0, fmt.Errorf("index group %d does not start with \"x\"", i+1)
			}
		}
		if len(g) != 3 || g[0] < '0' || g[0] > '9' || g[1] < '0' || g[1] > '9' || g[2] < '0' || g[2] > '9' {
			return 0, fmt.Errorf("index group %d is not three digits", i+1)
		}
		v, _ := strconv.ParseUint(g, 10, 64)
		n = n*1000 + v
	}
	if indexPath(n) != s {
		return 0, errors.New("index is not in canonical form (a leading x000 group?)")
	}
	return n, nil
}
