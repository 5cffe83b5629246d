package token

import (
	"reflect"
	"testing"
	"time"
)

// TestValidateMemo checks that remembered answers are the answers: the
// same as a fresh KeySet's, for every time and expectation, and not shared
// with the caller.
func TestValidateMemo(t *testing.T) {
	k := DefaultKeys()
	c := miClaims()
	c.Roles = []string{"Reader"}
	raw := mustSign(t, NewSigner(k), c)
	wants := []Expect{
		testExpect(),
		{Audiences: []string{testAud}, Issuers: []string{testIssuer}, Now: testNow.Add(48 * time.Hour)}, // expired
		{Audiences: []string{"https://vault.azure.net"}, Issuers: []string{testIssuer}, Now: testNow},   // wrong audience
		{Audiences: []string{testAud}, Issuers: []string{"https://sts.windows.net/other/"}, Now: testNow},
		{Audiences: []string{testAud}, Issuers: []string{testIssuer}, Now: testNow.Add(48 * time.Hour), ClockSkew: 48 * time.Hour},
	}
	for round := range 3 {
		for i, want := range wants {
			got, gotF := k.Validate(raw, want)
			fresh, freshF := (&KeySet{keys: k.keys}).Validate(raw, want)
			if !reflect.DeepEqual(got, fresh) || !reflect.DeepEqual(gotF, freshF) {
				t.Fatalf("round %d, expectation %d: remembered %+v %+v, fresh %+v %+v", round, i, got, gotF, fresh, freshF)
			}
			// Changing an answer must not change the next one.
			if len(got.Roles) > 0 {
				got.Roles[0] = "changed"
			}
			if gotF != nil {
				gotF.Kind = BadSignature
				if len(gotF.Claims.Roles) > 0 {
					gotF.Claims.Roles[0] = "changed"
				}
			}
		}
	}
}

func TestValidateMemoBounded(t *testing.T) {
	k := &KeySet{keys: DefaultKeys().keys}
	raw := mustSign(t, NewSigner(k), miClaims())
	for i := range validateMemoSize + 10 {
		want := testExpect()
		want.Now = want.Now.Add(time.Duration(i) * time.Second)
		if _, f := k.Validate(raw, want); f != nil {
			t.Fatalf("check %d: %v", i, f)
		}
	}
	if n := len(k.memo.cache); n != validateMemoSize {
		t.Errorf("the memo holds %d answers, want %d", n, validateMemoSize)
	}
}

func BenchmarkValidateAgain(b *testing.B) {
	k := DefaultKeys()
	raw := mustSign(b, NewSigner(k), miClaims())
	want := testExpect()
	k.Validate(raw, want)
	for b.Loop() {
		k.Validate(raw, want)
	}
}
