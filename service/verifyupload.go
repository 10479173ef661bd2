package service

import "time"

// The bounds of an upload to verify, the same for every adapter that
// takes one (the API's POST /v1/verify and the verify page). With the
// verification tickets (AdmitVerify) they bound what verifications may
// hold: at most VerifyQueue uploads of MaxVerifyBytes each in memory,
// none of them holding its ticket for longer than VerifyUploadTimeout
// while it arrives.
const (
	// MaxVerifyBytes is the largest PDF a verification takes. A
	// disclosure is a few hundred kB.
	MaxVerifyBytes = 32 << 20
	// VerifyUploadTimeout is how long the upload of a PDF to verify may
	// take once it has its ticket, so that a client trickling its body
	// cannot keep a ticket for the server's five-minute read timeout:
	// 32 MiB in 30 s is about 9 Mbit/s.
	VerifyUploadTimeout = 30 * time.Second
)
