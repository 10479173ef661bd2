// Package renderproc renders disclosures in worker processes.
//
// Rendering a disclosure is the heaviest thing the server does: about
// 50 ms of CPU and 34 MB of short-lived allocations inside gofpdf for an
// operator disclosure, twice that with a CJK font. Done in the server's
// own process, every render competes on equal terms with the metrics
// reads and filings that should answer in milliseconds, and its garbage
// sets the pace of the garbage collector for the whole ledger state. So
// the server hands each render to a worker: a child process running the
// same binary (`ictledger render-worker`), started at a lower scheduling
// priority, with its own heap. A render that hangs is ended by killing
// its worker, which a goroutine could not be; a worker that crashes takes
// nothing with it and is started again for the next render. Errors of
// the pool itself (no worker, a crash, a timeout) match
// disclosure.ErrRenderUnavailable, so that verification reports them as
// a failure to check rather than as a document that does not verify.
//
// A render is a pure function of its bundle (disclosure.Render), so the
// worker gives the bytes the server would have made itself: the request
// is the bundle's canonical JSON, the same bytes a disclosure carries
// attached and that verification renders again.
//
// Requests go to the worker's stdin and replies come back on its file
// descriptor 3, a pipe of their own, so that nothing a library prints on
// stdout can break the protocol (its stdout and stderr are kept, the
// first and last few kB, for the report of a crash). Both directions are
// a sequence of frames, each a 4-byte big-endian length and that many
// bytes. A request is one frame (the bundle); a reply is one frame whose
// first byte says what the rest is: 0 the PDF, 1 the text of the error
// rendering it gave (a panic included). The worker exits when its stdin
// ends, and, should it be in the middle of a render then, when it sees
// its parent gone: the workers of a server that dies, even by SIGKILL,
// end with it.
package renderproc
