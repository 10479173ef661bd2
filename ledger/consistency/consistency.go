// Package consistency checks, over HTTP and without trusting the server,
// that a ledger's current tree is an extension of a checkpoint seen
// earlier: the log was only appended to, never forked or rewritten. A
// regulator runs it on a schedule with the checkpoint saved by the
// previous run, and saves the new checkpoint for the next.
//
// The check is: both checkpoints are signed notes verified with the log's
// key (golang.org/x/mod/sumdb/note); they name the same origin; the new
// tree is at least as large; and the server's consistency proof between
// the two sizes verifies with tlog.CheckTree against the two signed roots.
// The roots the proof endpoint reports are never trusted: only the signed
// ones are used.
package consistency

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ictledger/ictledger/ledger/checkpoint"
)

// ErrInconsistent means the server's current tree is not an extension of
// the old checkpoint: the log forked, shrank or was rewritten, or the
// server sent a proof that does not hold. Any other error (network,
// malformed answers, a bad signature) is reported without it.
var ErrInconsistent = errors.New("consistency: the log is not an extension of the old checkpoint")

// maxBody bounds every answer read from the server.
const maxBody = 1 << 20

// Client talks to one ledger server's public ledger endpoints.
type Client struct {
	// Base is the server's URL, e.g. "https://ledger.example.org".
	Base string
	// HTTP is the client used; nil means http.DefaultClient. Set its
	// Timeout or pass a context with a deadline.
	HTTP *http.Client
}

// Result is what Check established.
type Result struct {
	Old checkpoint.Checkpoint // the old checkpoint, verified
	New checkpoint.Checkpoint // the server's current checkpoint, verified
	// NewNote is the signed note of New, to save for the next run.
	NewNote []byte
	// Proof is the consistency proof checked; empty when the sizes are
	// equal (the roots are compared instead) or the old tree is empty.
	Proof tlog.TreeProof
	// KeyFromServer is true when no key was given and the server's own
	// GET /v1/ledger/key was used: the check then only shows the server
	// is consistent with itself under a key it chose.
	KeyFromServer bool
	// Key is the verifier key used.
	Key string
}

// Check verifies that the server's current checkpoint extends oldNote,
// a signed checkpoint note saved earlier. verifierKey is the log's key
// in note.NewVerifier form; pass one obtained independently of the
// server. When it is empty the server's key is fetched and used, and
// Result.KeyFromServer says so.
//
// It returns an error wrapping ErrInconsistent when the proof fails, the
// tree shrank, or the roots differ at equal sizes.
func (c *Client) Check(ctx context.Context, oldNote []byte, verifierKey string) (*Result, error) {
	res := &Result{Key: strings.TrimSpace(verifierKey)}
	if res.Key == "" {
		k, err := c.Key(ctx)
		if err != nil {
			return nil, err
		}
		res.Key, res.KeyFromServer = k, true
	}
	v, err := note.NewVerifier(res.Key)
	if err != nil {
		return nil, fmt.Errorf("consistency: verifier key: %w", err)
	}
	if res.Old, err = checkpoint.Open(oldNote, v); err != nil {
		return nil, fmt.Errorf("consistency: old checkpoint: %w", err)
	}
	if res.NewNote, err = c.get(ctx, "/v1/ledger/checkpoint", nil); err != nil {
		return nil, err
	}
	if res.New, err = checkpoint.Open(res.NewNote, v); err != nil {
		return nil, fmt.Errorf("consistency: the server's checkpoint: %w", err)
	}
	oldCP, newCP := res.Old, res.New
	switch {
	case oldCP.Origin != newCP.Origin:
		return res, fmt.Errorf("%w: the old checkpoint is of log %q but the server's is of log %q", ErrInconsistent, oldCP.Origin, newCP.Origin)
	case newCP.Size < oldCP.Size:
		return res, fmt.Errorf("%w: the server's tree has %d entries, fewer than the %d of the old checkpoint: entries were removed",
			ErrInconsistent, newCP.Size, oldCP.Size)
	case oldCP.Size == 0:
		return res, nil // every tree extends the empty one
	case newCP.Size == oldCP.Size:
		if newCP.Root != oldCP.Root {
			return res, fmt.Errorf("%w: both checkpoints have %d entries but the roots differ (%v then, %v now): history was rewritten",
				ErrInconsistent, oldCP.Size, oldCP.Root, newCP.Root)
		}
		return res, nil
	}
	if res.Proof, err = c.Proof(ctx, oldCP.Size, newCP.Size); err != nil {
		return res, err
	}
	if err := tlog.CheckTree(res.Proof, int64(newCP.Size), newCP.Root, int64(oldCP.Size), oldCP.Root); err != nil {
		return res, fmt.Errorf("%w: the consistency proof from size %d (root %v) to size %d (root %v) does not hold: %v",
			ErrInconsistent, oldCP.Size, oldCP.Root, newCP.Size, newCP.Root, err)
	}
	return res, nil
}

// Key fetches the server's verifier key (GET /v1/ledger/key). Use it
// only to compare with a key obtained another way.
func (c *Client) Key(ctx context.Context) (string, error) {
	b, err := c.get(ctx, "/v1/ledger/key", nil)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Proof fetches the consistency proof between tree sizes from and to
// (GET /v1/ledger/proof/consistency). It checks the answer's form and
// sizes, not the proof: that needs trusted roots.
func (c *Client) Proof(ctx context.Context, from, to uint64) (tlog.TreeProof, error) {
	b, err := c.get(ctx, "/v1/ledger/proof/consistency", url.Values{
		"from": {strconv.FormatUint(from, 10)}, "to": {strconv.FormatUint(to, 10)}})
	if err != nil {
		return nil, err
	}
	var p struct {
		From  uint64   `json:"from"`
		To    uint64   `json:"to"`
		Proof []string `json:"proof"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("consistency: decode the consistency proof: %w", err)
	}
	if p.From != from || p.To != to {
		return nil, fmt.Errorf("consistency: asked for a proof from %d to %d, got one from %d to %d", from, to, p.From, p.To)
	}
	proof := make(tlog.TreeProof, len(p.Proof))
	for i, s := range p.Proof {
		if proof[i], err = tlog.ParseHash(s); err != nil {
			return nil, fmt.Errorf("consistency: proof hash %d: %w", i, err)
		}
	}
	return proof, nil
}

// get fetches path and returns the body of a 200 answer.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	base, err := url.Parse(strings.TrimRight(c.Base, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("consistency: server %q must be an http or https URL", c.Base)
	}
	u := base.JoinPath(path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("consistency: %w", err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("consistency: GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("consistency: GET %s: %w", u, err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("consistency: GET %s: answer larger than %d bytes", u, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("consistency: GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(b[:min(len(b), 300)])))
	}
	return b, nil
}
