package ledger

import (
	"fmt"
	"strconv"
	"time"
)

// Period is one calendar quarter, written "2025-Q3". Quarters are the unit
// of filing; years are made of four of them.
type Period struct {
	Year    int
	Quarter int // 1..4
}

// ParsePeriod reads a quarter written "YYYY-Qn".
func ParsePeriod(s string) (Period, error) {
	if len(s) != 7 || s[4] != '-' || s[5] != 'Q' {
		return Period{}, fmt.Errorf("period %q: want YYYY-Qn, e.g. 2025-Q3", s)
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1990 || y > 9999 {
		return Period{}, fmt.Errorf("period %q: year must be four digits from 1990", s)
	}
	q := int(s[6] - '0')
	if q < 1 || q > 4 {
		return Period{}, fmt.Errorf("period %q: quarter must be Q1 to Q4", s)
	}
	return Period{Year: y, Quarter: q}, nil
}

// String writes the period as "YYYY-Qn".
func (p Period) String() string { return fmt.Sprintf("%04d-Q%d", p.Year, p.Quarter) }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.Year == 0 }

// Start is the first instant of the quarter (UTC).
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(3*(p.Quarter-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first instant after the quarter (UTC), so a quarter is [Start, End).
func (p Period) End() time.Time { return p.Next().Start() }

// Days is the number of calendar days in the quarter.
func (p Period) Days() int { return int(p.End().Sub(p.Start()).Hours() / 24) }

// Hours is the number of hours in the quarter (UTC, no daylight saving).
func (p Period) Hours() int { return p.Days() * 24 }

// LastEndedQuarter is the latest quarter that ended before t.
func LastEndedQuarter(t time.Time) Period {
	t = t.UTC()
	return Period{Year: t.Year(), Quarter: (int(t.Month())-1)/3 + 1}.Prev()
}

// Next is the following quarter.
func (p Period) Next() Period { return p.Add(1) }

// Prev is the preceding quarter.
func (p Period) Prev() Period { return p.Add(-1) }

// Add moves n quarters forward (or backward when n < 0).
func (p Period) Add(n int) Period {
	i := p.index() + n
	return Period{Year: i / 4, Quarter: i%4 + 1}
}

// Sub is the number of quarters from q to p (p.Sub(p.Prev()) == 1).
func (p Period) Sub(q Period) int { return p.index() - q.index() }

// Before reports whether p comes before q.
func (p Period) Before(q Period) bool { return p.index() < q.index() }

func (p Period) index() int { return p.Year*4 + p.Quarter - 1 }

// MarshalText writes the period as "YYYY-Qn".
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a period written "YYYY-Qn".
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// Span is what a metrics or disclosure request covers: one quarter, or a
// calendar year (its four quarters).
type Span struct {
	Year    int
	Quarter int // 0 for the whole year
}

// ParseSpan reads "2025-Q3" (a quarter) or "2025" (a year).
func ParseSpan(s string) (Span, error) {
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1990 {
			return Span{}, fmt.Errorf("period %q: want a year (2025) or a quarter (2025-Q3)", s)
		}
		return Span{Year: y}, nil
	}
	p, err := ParsePeriod(s)
	if err != nil {
		return Span{}, fmt.Errorf("period %q: want a year (2025) or a quarter (2025-Q3)", s)
	}
	return p.Span(), nil
}

// Span is the span of this one quarter.
func (p Period) Span() Span { return Span{Year: p.Year, Quarter: p.Quarter} }

// IsYear reports whether the span is a whole calendar year.
func (s Span) IsYear() bool { return s.Quarter == 0 }

// Quarters lists the quarters the span covers, in order.
func (s Span) Quarters() []Period {
	if !s.IsYear() {
		return []Period{{s.Year, s.Quarter}}
	}
	return []Period{{s.Year, 1}, {s.Year, 2}, {s.Year, 3}, {s.Year, 4}}
}

// Last is the final quarter of the span.
func (s Span) Last() Period {
	q := s.Quarters()
	return q[len(q)-1]
}

// String writes "2025" or "2025-Q3".
func (s Span) String() string {
	if s.IsYear() {
		return fmt.Sprintf("%04d", s.Year)
	}
	return Period{s.Year, s.Quarter}.String()
}
