package golit

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// A Literal is a value written as a Go expression.
type Literal struct {
	// Expr is the expression, with the value's zero fields left out and
	// each time.Time written as time.Time{}.
	Expr string
	// Times lists the times Expr leaves zero, in the order Expr has them.
	Times []Time
}

// A Time is a time.Time of the value, which a literal cannot hold.
type Time struct {
	// Path selects the time from the value, as Go source: ".Clock.Now" or
	// ".Steps[2].At"; "" if the value is the time.
	Path  string
	Value time.Time
}

// Of writes v as a Go expression. Types are named as reflect names them
// (wire.Scenario), so the file that holds the expression imports their
// packages. Maps, interfaces, channels and functions are refused: a
// literal of them is not static data, or not a literal at all.
func Of(v any) (Literal, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return Literal{}, fmt.Errorf("golit: a nil interface has no type to write")
	}
	w := &writer{}
	if err := w.value(rv, 0, false); err != nil {
		return Literal{}, err
	}
	return Literal{Expr: w.b.String(), Times: w.times}, nil
}

type writer struct {
	b     strings.Builder
	path  []string
	times []Time
}

var timeType = reflect.TypeFor[time.Time]()

// value writes v at an indentation of depth tabs. Elided, a struct's
// literal leaves out its type, and a pointer to one its &, as an element
// of a slice may (gofmt -s).
func (w *writer) value(v reflect.Value, depth int, elided bool) error {
	indent := strings.Repeat("\t", depth)
	t := v.Type()
	switch {
	case t == timeType:
		w.times = append(w.times, Time{Path: strings.Join(w.path, ""), Value: v.Interface().(time.Time)})
		w.b.WriteString("time.Time{}")
		return nil
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			w.b.WriteString("nil")
			return nil
		}
		if t.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("golit: %s%s: a pointer to %s; only pointers to structs have a literal", t, w.at(), t.Elem())
		}
		if !elided {
			w.b.WriteString("&")
		}
		return w.value(v.Elem(), depth, elided)
	case t.Kind() == reflect.Struct:
		if !elided {
			w.b.WriteString(t.String())
		}
		w.b.WriteString("{")
		fields := 0
		for i := range t.NumField() {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			if !t.Field(i).IsExported() {
				return fmt.Errorf("golit: %s%s: field %s is unexported", t, w.at(), t.Field(i).Name)
			}
			if fields == 0 {
				w.b.WriteString("\n")
			}
			fields++
			w.b.WriteString(indent + "\t" + t.Field(i).Name + ": ")
			w.path = append(w.path, "."+t.Field(i).Name)
			if err := w.value(f, depth+1, false); err != nil {
				return err
			}
			w.path = w.path[:len(w.path)-1]
			w.b.WriteString(",\n")
		}
		if fields > 0 {
			w.b.WriteString(indent)
		}
		w.b.WriteString("}")
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		if v.IsNil() {
			w.b.WriteString("nil")
			return nil
		}
		// A conversion of a constant string: static data too.
		fmt.Fprintf(&w.b, "%s(%s)", t, strconv.Quote(string(v.Bytes())))
		return nil
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			w.b.WriteString("nil")
			return nil
		}
		w.b.WriteString(t.String() + "{\n")
		for i := range v.Len() {
			w.b.WriteString(indent + "\t")
			w.path = append(w.path, "["+strconv.Itoa(i)+"]")
			if err := w.value(v.Index(i), depth+1, true); err != nil {
				return err
			}
			w.path = w.path[:len(w.path)-1]
			w.b.WriteString(",\n")
		}
		w.b.WriteString(indent + "}")
		return nil
	}
	return w.scalar(v)
}

func (w *writer) scalar(v reflect.Value) error {
	t := v.Type()
	var s string
	switch t.Kind() {
	case reflect.String:
		s = strconv.Quote(v.String())
	case reflect.Bool:
		s = strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s = strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		s = strconv.FormatFloat(v.Float(), 'g', -1, t.Bits())
	default:
		return fmt.Errorf("golit: %s%s: no static literal holds %s", t, w.at(), kindName(t.Kind()))
	}
	if t.PkgPath() != "" {
		// A named type: convert, so that the constant takes it.
		s = t.String() + "(" + s + ")"
	}
	w.b.WriteString(s)
	return nil
}

// at says where the writer is, for errors.
func (w *writer) at() string {
	if len(w.path) == 0 {
		return ""
	}
	return " at " + strings.Join(w.path, "")
}

// kindName names a kind with its article, for errors.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Interface:
		return "an interface"
	case reflect.UnsafePointer:
		return "an unsafe.Pointer"
	}
	return "a " + k.String()
}
