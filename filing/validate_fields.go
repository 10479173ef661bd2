package filing

import (
	"reflect"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ictledger/ictledger/ledger"
)

// The rules that follow from the description of the return alone, field
// by field: an enumeration holds one of its values, a quantity or count
// not marked signed is >= 0. The decoder reports a bad enumeration too;
// Validate checks again for returns built in code. The rules between
// fields are in the other validate files.

// checkFunc returns the problem of a field's value v, or "". signed is
// set when the field, or the one that holds it, is marked signed.
type checkFunc func(v reflect.Value, signed bool) string

// checker returns the rule of a field, or nil when the description gives
// it none.
func checker(f ledger.Field) checkFunc {
	switch t := f.Type; {
	case t == decimalType:
		return func(v reflect.Value, signed bool) string {
			return nonNegative(*v.Addr().Interface().(*decimal.Decimal), signed)
		}
	case t == reflect.PointerTo(decimalType):
		return func(v reflect.Value, signed bool) string {
			if q := *v.Addr().Interface().(**decimal.Decimal); q != nil {
				return nonNegative(*q, signed)
			}
			return ""
		}
	case t.Kind() == reflect.Int64:
		return func(v reflect.Value, signed bool) string { return nonNegativeCount(v.Int(), signed) }
	case t == reflect.TypeFor[*int64]():
		return func(v reflect.Value, signed bool) string {
			if v.IsNil() {
				return ""
			}
			return nonNegativeCount(v.Elem().Int(), signed)
		}
	case t.Kind() == reflect.String && f.Enum != nil:
		// An optional enumeration without a default (the fields of return
		// v1.1) may be left out: "" is absent.
		optional := !f.Required && f.Default == ""
		return func(v reflect.Value, _ bool) string {
			if optional && v.String() == "" {
				return ""
			}
			_, msg := checkEnum(v.String(), f.Enum)
			return msg
		}
	}
	return nil
}

func nonNegative(q decimal.Decimal, signed bool) string {
	if signed || q.Sign() >= 0 {
		return ""
	}
	return "must be >= 0, got " + q.String()
}

func nonNegativeCount(n int64, signed bool) string {
	if signed || n >= 0 {
		return ""
	}
	return "must be >= 0, got " + strconv.FormatInt(n, 10)
}

// fieldWalk walks a return by its plans and records the problems of its
// fields' own rules, each at its JSON path.
type fieldWalk struct {
	probs *problems
	path  []pathElem
}

// fields checks the fields of r by the description.
func (v *validator) fields() {
	w := fieldWalk{probs: &v.probs}
	w.walk(plans().ret, reflect.ValueOf(v.r).Elem(), false)
}

func (w *fieldWalk) walk(p *structPlan, sv reflect.Value, signed bool) {
	for i := range p.fields {
		f := &p.fields[i]
		fv := sv.Field(f.Index)
		s := signed || f.Signed
		if f.check != nil {
			if msg := f.check(fv, s); msg != "" {
				w.path = append(w.path, pathElem{key: f.Name})
				w.probs.add(formatPath(w.path), msg)
				w.path = w.path[:len(w.path)-1]
			}
		}
		if f.sub == nil {
			continue
		}
		w.path = append(w.path, pathElem{key: f.Name})
		switch fv.Kind() {
		case reflect.Struct:
			w.walk(f.sub, fv, s)
		case reflect.Pointer:
			if !fv.IsNil() {
				w.walk(f.sub, fv.Elem(), s)
			}
		case reflect.Slice:
			for j := 0; j < fv.Len(); j++ {
				w.path = append(w.path, pathElem{index: j})
				w.walk(f.sub, fv.Index(j), s)
				w.path = w.path[:len(w.path)-1]
			}
		}
		w.path = w.path[:len(w.path)-1]
	}
}
