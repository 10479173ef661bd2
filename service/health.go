package service

import "errors"

// ErrReadOnly means the service refuses writes: a journal write or fsync
// failed and the journal stopped accepting appends (fail-stop). Reads keep
// working. Only a restart clears it: the journal then recovers from what
// the disk really holds.
var ErrReadOnly = errors.New("service: read-only after a storage failure")

// ReadOnly returns nil while the service accepts writes, and otherwise an
// error matching ErrReadOnly that wraps the cause: the journal's failure,
// or a committed entry the state could not apply (it names the file or
// the entry, so it belongs in logs, not in public answers).
func (s *Service) ReadOnly() error {
	if perr := s.applyErr.Load(); perr != nil {
		return errors.Join(ErrReadOnly, *perr)
	}
	f, ok := s.j.(interface{ Err() error })
	if !ok {
		return nil
	}
	if err := f.Err(); err != nil {
		return errors.Join(ErrReadOnly, err)
	}
	return nil
}
