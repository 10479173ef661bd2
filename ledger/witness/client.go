package witness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// maxAnswer bounds what is read of a witness's answer: a few signature
// lines, or a size.
const maxAnswer = 64 << 10

// ConflictError is a witness's 409 answer: the size of the latest
// checkpoint of our log it has cosigned is not the old size we sent.
type ConflictError struct {
	Witness string
	Size    uint64 // the size the witness knows
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("witness %s: it has cosigned our log at size %d, not the old size sent", e.Witness, e.Size)
}

// StatusError is any other answer than 200 or 409.
type StatusError struct {
	Witness string
	Code    int
}

func (e *StatusError) Error() string {
	what := map[int]string{
		http.StatusNotFound:            "it does not know this log (404)",
		http.StatusForbidden:           "it does not accept the log's signature (403)",
		http.StatusUnprocessableEntity: "it refused the checkpoint: the consistency proof fails or the root differs from the one it cosigned at that size (422)",
		http.StatusBadRequest:          "it found the request malformed (400)",
		http.StatusTooManyRequests:     "it asks us to slow down (429)",
	}[e.Code]
	if what == "" {
		what = "it answered " + strconv.Itoa(e.Code)
	}
	return "witness " + e.Witness + ": " + what
}

// AddCheckpoint posts cp, the log's signed checkpoint, to w's
// add-checkpoint endpoint with a consistency proof from oldSize, the size
// w last cosigned, and returns w's verified cosignature lines. A 409 is
// a *ConflictError naming the size w knows; any other refusal a
// *StatusError. The caller bounds the time with ctx.
func AddCheckpoint(ctx context.Context, c *http.Client, w Witness, oldSize uint64, proof tlog.TreeProof, cp []byte) ([]byte, error) {
	var body bytes.Buffer
	fmt.Fprintf(&body, "old %d\n", oldSize)
	for _, h := range proof {
		body.WriteString(h.String() + "\n")
	}
	body.WriteString("\n")
	body.Write(cp)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL+"/add-checkpoint", &body)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", w.Name, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", w.Name, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("witness %s: read the answer: %w", w.Name, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return Cosignatures(cp, w, answer)
	case http.StatusConflict:
		size, err := strconv.ParseUint(strings.TrimSpace(string(answer)), 10, 64)
		if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/x.tlog.size") {
			return nil, fmt.Errorf("witness %s: a 409 answer without a text/x.tlog.size body: %q", w.Name, answer)
		}
		return nil, &ConflictError{Witness: w.Name, Size: size}
	default:
		return nil, &StatusError{Witness: w.Name, Code: resp.StatusCode}
	}
}
