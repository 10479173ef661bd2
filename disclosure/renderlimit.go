package disclosure

import "fmt"

// Errors of a renderer that ended a render for going over one of its
// limits. Each also matches ErrRenderUnavailable: the render was stopped,
// which says nothing about whether the bundle is sound, so verification
// reports it as a document it could not check.
var (
	// ErrRenderTimeout: the render took longer than the renderer allows.
	// Under load an honest document can hit it, so it is worth trying
	// again later.
	ErrRenderTimeout = fmt.Errorf("the render went over its time limit: %w", ErrRenderUnavailable)
	// ErrRenderMemory: the render needed more memory than the renderer
	// allows. The same bundle needs the same memory again, so trying
	// again does not help.
	ErrRenderMemory = fmt.Errorf("the render went over its memory limit: %w", ErrRenderUnavailable)
)
