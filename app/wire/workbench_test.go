package wire

import (
	"reflect"
	"testing"
)

func rows(ids ...string) []TokenRowVM {
	var out []TokenRowVM
	for _, id := range ids {
		out = append(out, TokenRowVM{ID: id})
	}
	return out
}

// Apply keeps the lists that did not change as the same slices, and
// builds the others from their kept items and the ones sent, in a new
// array: the page's earlier slices, which go-app holds as props, never
// change under it.
func TestWorldViewApply(t *testing.T) {
	var v WorldView
	v.Apply(WorldDelta{Tokens: rows("a", "b", "c"), Resources: []ResourceVM{{Name: "r"}}, Changed: WorldChanges{Tokens: true, Resources: true}})
	if !reflect.DeepEqual(v.Tokens, rows("a", "b", "c")) || len(v.Resources) != 1 || v.Principals != nil {
		t.Fatalf("the first delta: %+v", v)
	}
	old, res := v.Tokens, v.Resources

	v.Apply(WorldDelta{Tokens: rows("d"), Changed: WorldChanges{Tokens: true}, Kept: WorldKept{Tokens: 3}})
	if !reflect.DeepEqual(v.Tokens, rows("a", "b", "c", "d")) || &v.Resources[0] != &res[0] {
		t.Errorf("a token more: tokens %+v; the resources the same slice: %v", v.Tokens, &v.Resources[0] == &res[0])
	}
	if &v.Tokens[0] == &old[0] || !reflect.DeepEqual(old, rows("a", "b", "c")) {
		t.Errorf("the grown list shares the old array, or changed it: %+v", old)
	}

	grown := v.Tokens
	v.Apply(WorldDelta{Tokens: rows("x"), Changed: WorldChanges{Tokens: true}, Kept: WorldKept{Tokens: 1}})
	if !reflect.DeepEqual(v.Tokens, rows("a", "x")) || !reflect.DeepEqual(grown, rows("a", "b", "c", "d")) {
		t.Errorf("b, c, d replaced by x: %+v, the earlier slice %+v", v.Tokens, grown)
	}
	v.Apply(WorldDelta{Changed: WorldChanges{Tokens: true}, Kept: WorldKept{Tokens: 1}})
	if !reflect.DeepEqual(v.Tokens, rows("a")) {
		t.Errorf("all but the first gone: %+v", v.Tokens)
	}
	v.Apply(WorldDelta{Changed: WorldChanges{Tokens: true}, Kept: WorldKept{Tokens: 9}})
	if !reflect.DeepEqual(v.Tokens, rows("a")) {
		t.Errorf("more kept than there are: %+v", v.Tokens)
	}
	v.Apply(WorldDelta{Changed: WorldChanges{Tokens: true, Resources: true}})
	if v.Tokens != nil || v.Resources != nil {
		t.Errorf("emptied: %+v", v)
	}
}
