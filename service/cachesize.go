package service

import (
	"reflect"
	"unsafe"
)

// Overheads the walk below adds for what reflect does not show: a map's
// buckets and control bytes beyond its keys and values, and the allocator
// rounding a block up to its size class.
const (
	mapEntryOverhead = 16
	blockOverhead    = 8
)

// heldBytes is an estimate of the memory a computed value holds: the
// blocks reachable from v (pointers, slices' arrays, strings, maps), each
// counted once. The result cache bounds itself by this rather than by a
// fixed guess per kind: a fixed 256 KiB per metrics, four times their
// real size for a return like the example's, let the cache hold about
// 1,000 operators' metrics and made a sector view of 2,000 evict its own
// entries before it ended. A string or array shared with something the
// cache does not own (a factor set's evidence, say) is counted too, which
// errs on the side of a smaller cache.
func heldBytes(v any) int64 {
	w := sizeWalk{seen: map[uintptr]bool{}}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return 0
	}
	return int64(rv.Type().Size()) + w.inner(rv)
}

// sizeWalk counts the blocks reachable from values, each block once.
type sizeWalk struct {
	seen map[uintptr]bool
}

// block reports whether the block at p is new to the walk.
func (w *sizeWalk) block(p uintptr) bool {
	if p == 0 || w.seen[p] {
		return false
	}
	w.seen[p] = true
	return true
}

// inner is the size of what v points to, beyond v's own bytes (which its
// container counts).
func (w *sizeWalk) inner(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !w.block(v.Pointer()) {
			return 0
		}
		e := v.Elem()
		return int64(e.Type().Size()) + blockOverhead + w.inner(e)
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		// A non-pointer value in an interface is boxed in a block of its own.
		n := w.inner(e)
		if e.Kind() != reflect.Pointer {
			n += int64(e.Type().Size())
		}
		return n
	case reflect.String:
		if v.Len() == 0 || !w.block(uintptr(unsafe.Pointer(unsafe.StringData(v.String())))) {
			return 0
		}
		return int64(v.Len())
	case reflect.Slice:
		if v.Cap() == 0 || !w.block(v.Pointer()) {
			return 0
		}
		n := int64(v.Cap())*int64(v.Type().Elem().Size()) + blockOverhead
		for i := 0; i < v.Len(); i++ {
			n += w.inner(v.Index(i))
		}
		return n
	case reflect.Array:
		var n int64
		for i := 0; i < v.Len(); i++ {
			n += w.inner(v.Index(i))
		}
		return n
	case reflect.Struct:
		var n int64
		for i := 0; i < v.NumField(); i++ {
			n += w.inner(v.Field(i))
		}
		return n
	case reflect.Map:
		if v.IsNil() || !w.block(v.Pointer()) {
			return 0
		}
		t := v.Type()
		n := int64(v.Len()) * (int64(t.Key().Size()) + int64(t.Elem().Size()) + mapEntryOverhead)
		it := v.MapRange()
		for it.Next() {
			n += w.inner(it.Key()) + w.inner(it.Value())
		}
		return n
	default:
		return 0 // numbers, booleans: counted in their container
	}
}
