package golit_test

import (
	"go/format"
	"testing"
	"time"

	"github.com/miplay/miplay/app/golit"
)

type Level string

type Step struct {
	Line     int
	Text     string
	At       time.Time
	Raw      []byte
	Children []*Step
}

type Scenario struct {
	Name   string
	Level  Level
	Ratio  float64
	Done   bool
	Tags   []string
	Steps  []Step
	First  *Step
	Empty  []string // nil: left out
	Spaces [2]uint8
}

func TestOf(t *testing.T) {
	at := time.Date(2026, 1, 15, 9, 0, 0, 5, time.UTC)
	v := Scenario{
		Name:  "a \"quoted\"\nname\ufeff",
		Level: "beginner",
		Ratio: 0.25,
		Done:  true,
		Tags:  []string{"x", "y"},
		Steps: []Step{
			{Line: 1, At: at, Raw: []byte("{}")},
			{Line: 2, Children: []*Step{{Text: "child", At: at}, nil}},
		},
		First:  &Step{Line: 3},
		Spaces: [2]uint8{0, 7},
	}
	lit, err := golit.Of(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `golit_test.Scenario{
	Name: "a \"quoted\"\nname\ufeff",
	Level: golit_test.Level("beginner"),
	Ratio: 0.25,
	Done: true,
	Tags: []string{
		"x",
		"y",
	},
	Steps: []golit_test.Step{
		{
			Line: 1,
			At: time.Time{},
			Raw: []uint8("{}"),
		},
		{
			Line: 2,
			Children: []*golit_test.Step{
				{
					Text: "child",
					At: time.Time{},
				},
				nil,
			},
		},
	},
	First: &golit_test.Step{
		Line: 3,
	},
	Spaces: [2]uint8{
		0,
		7,
	},
}`
	if lit.Expr != want {
		t.Errorf("Expr =\n%s\nwant\n%s", lit.Expr, want)
	}
	wantTimes := []golit.Time{{".Steps[0].At", at}, {".Steps[1].Children[0].At", at}}
	if len(lit.Times) != len(wantTimes) {
		t.Fatalf("Times = %v, want %v", lit.Times, wantTimes)
	}
	for i, w := range wantTimes {
		if lit.Times[i].Path != w.Path || !lit.Times[i].Value.Equal(w.Value) {
			t.Errorf("Times[%d] = %v, want %v", i, lit.Times[i], w)
		}
	}
	// gofmt aligns the fields and takes it as it is otherwise.
	src := "package p\n\nvar v = " + lit.Expr + "\n"
	if _, err := format.Source([]byte(src)); err != nil {
		t.Errorf("the expression does not parse: %v", err)
	}
}

func TestOfTime(t *testing.T) {
	at := time.Unix(1768467600, 0).UTC()
	lit, err := golit.Of(at)
	if err != nil {
		t.Fatal(err)
	}
	if lit.Expr != "time.Time{}" || len(lit.Times) != 1 || lit.Times[0].Path != "" || !lit.Times[0].Value.Equal(at) {
		t.Errorf("Of(time) = %+v", lit)
	}
}

func TestOfRefuses(t *testing.T) {
	type withMap struct{ M map[string]int }
	type withAny struct{ A any }
	type withUnexported struct{ x int }
	type deep struct{ Inner []withMap }
	n := 3
	for _, tc := range []struct {
		v    any
		want string
	}{
		{withMap{M: map[string]int{"a": 1}}, "golit: map[string]int at .M: no static literal holds a map"},
		{withAny{A: 1}, "golit: interface {} at .A: no static literal holds an interface"},
		{withUnexported{x: 1}, "golit: golit_test.withUnexported: field x is unexported"},
		{deep{Inner: []withMap{{}, {M: map[string]int{}}}}, "golit: map[string]int at .Inner[1].M: no static literal holds a map"},
		{&n, "golit: *int: a pointer to int; only pointers to structs have a literal"},
	} {
		_, err := golit.Of(tc.v)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Of(%#v) error = %v, want %q", tc.v, err, tc.want)
		}
	}
	if _, err := golit.Of(nil); err == nil {
		t.Errorf("Of(nil): no error")
	}
	// Zero fields are left out, so a nil map is no trouble.
	if lit, err := golit.Of(withMap{}); err != nil || lit.Expr != "golit_test.withMap{}" {
		t.Errorf("Of(withMap{}) = %q, %v", lit.Expr, err)
	}
}
