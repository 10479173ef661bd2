package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/tiles"
)

// errFetch marks errors of getting an answer at all, as opposed to an
// answer that proves misbehaviour.
var errFetch = errors.New("fetch failed")

// fetcher reads the log's resources within the run's bounds.
type fetcher struct {
	cfg   Config
	ctx   context.Context
	total int64 // bytes read in this run
}

// get reads url, at most limit bytes, counting them against the run. The
// run's limit is checked between bundles (see checkEntries), so a run
// reads at most one bundle and its large entries past it.
func (f *fetcher) get(url string, limit int64) ([]byte, error) {
	limit = min(limit, f.cfg.MaxFetchBytes)
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFetch, err)
	}
	if f.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+f.cfg.Token)
	}
	resp, err := f.cfg.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFetch, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	f.total += int64(len(b))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: GET %s: %w", errFetch, url, err)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: GET %s: status %s: %.200s", errFetch, url, resp.Status, b)
	case int64(len(b)) > limit:
		return nil, fmt.Errorf("%w: GET %s: answer over %d bytes", errFetch, url, limit)
	}
	return b, nil
}

// tileReader is the tlog.TileReader of a log's c2sp tiles. tlog checks
// every tile it reads against the tree's signed root; tiles it has
// checked are kept for the rest of the run.
type tileReader struct {
	f      *fetcher
	prefix string
	seen   map[tlog.Tile][]byte
}

// Height implements tlog.TileReader.
func (r *tileReader) Height() int { return tiles.Height }

// ReadTiles implements tlog.TileReader.
func (r *tileReader) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, t := range ts {
		if b, ok := r.seen[t]; ok {
			out[i] = b
			continue
		}
		b, err := r.f.get(r.prefix+"/"+tiles.Path(t), int64(t.W)*tlog.HashSize)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// SaveTiles implements tlog.TileReader: the tiles are checked by now.
func (r *tileReader) SaveTiles(ts []tlog.Tile, data [][]byte) {
	if r.seen == nil {
		r.seen = map[tlog.Tile][]byte{}
	}
	for i, t := range ts {
		r.seen[t] = data[i]
	}
}
