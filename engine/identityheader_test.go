package engine

import (
	"strings"
	"testing"
)

func TestSetIdentityHeader(t *testing.T) {
	w := New(Options{})
	w.CreateResourceGroup("rg", "")
	plan, _ := w.CreatePlan(ResourceSpec{Group: "rg", Name: "plan"}, "B1")
	site, err := w.CreateSite(ResourceSpec{Group: "rg", Name: "app-orders"}, plan.ID, WebApp)
	if err != nil {
		t.Fatal(err)
	}
	before := len(w.Events(0))
	if err := w.SetIdentityHeader(site.ID, "s3cret-value"); err != nil {
		t.Fatal(err)
	}
	if got := site.Site.IdentityHeader; got != "s3cret-value" {
		t.Errorf("IdentityHeader = %q, want the new value", got)
	}
	events := w.Events(before)
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	if s := events[0].Summary(); !strings.Contains(s, "IDENTITY_HEADER rotated") || strings.Contains(s, "s3cret") {
		t.Errorf("event %q: want the rotation without the value", s)
	}
	if err := w.SetIdentityHeader(site.ID, ""); err == nil {
		t.Error("empty value: no error")
	}
	if err := w.SetIdentityHeader(plan.ID, "x"); err == nil {
		t.Error("a plan: no error")
	}
	if err := w.SetIdentityHeader(w.ResourceID("rg", TypeSite, "nope"), "x"); err == nil {
		t.Error("a missing site: no error")
	}
}
