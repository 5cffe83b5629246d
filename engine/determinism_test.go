package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// script drives a world through a little of everything, 100 operations in
// all, the way a scenario does.
func script(w *World) {
	w.CreateResourceGroup("rg", "westeurope")
	st, _ := w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "stdemo"})
	w.CreateContainer(st, "docs")
	ui, _ := w.CreateUserIdentity(ResourceSpec{Group: "rg", Name: "id-shared"})
	app, _ := w.RegisterApplication("legacy-app")
	w.AddClientSecret(app, "rbac", 0)
	for i := 0; i < 8; i++ {
		vm, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: fmt.Sprintf("vm-%d", i)})
		id, _ := w.EnableSystemAssigned(vm.ID)
		w.AssignUserIdentity(vm.ID, ui.ID)
		w.AssignRole(st.ID, "Storage Blob Data Reader", id.PrincipalID, "")
		h, _ := w.Host(vm.Name)
		tok, _, _ := w.ManagedIdentityToken(h, Selector{}, "https://storage.azure.com/", ViaIMDS)
		c, _ := w.ValidateToken(tok.Raw, []string{"https://storage.azure.com/"})
		w.Authorize(c.ObjectID, blobRead, st.ID, true)
		w.PutBlob(st, "docs", fmt.Sprintf("b%d.txt", i), []byte("hello"))
		w.ManagedIdentityToken(h, Selector{ClientID: ui.UserIdentity.ClientID}, "https://vault.azure.net", ViaIMDS)
		w.Advance(10 * time.Minute)
		if i%2 == 0 {
			w.DisableSystemAssigned(vm.ID)
		} else {
			w.DeleteResource(vm.ID)
		}
	}
	w.UserToken("https://management.azure.com/")
	w.Advance(50 * 24 * time.Hour)
	w.DeleteResource(ui.ID)
	w.DeleteResourceGroup("rg")
}

// renderLog turns a log into comparable text: every field of every event.
func renderLog(t *testing.T, w *World) []string {
	t.Helper()
	var out []string
	for _, e := range w.Events(0) {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%T %s", e, b))
	}
	return out
}

func TestDeterminism(t *testing.T) {
	a, b := New(Options{Seed: 99}), New(Options{Seed: 99})
	script(a)
	script(b)
	la, lb := renderLog(t, a), renderLog(t, b)
	if len(la) < 100 {
		t.Fatalf("only %d events: the script did less than expected", len(la))
	}
	if !reflect.DeepEqual(la, lb) {
		for i := range la {
			if i >= len(lb) || la[i] != lb[i] {
				t.Fatalf("event %d differs:\n%s\n%s", i, la[i], lb[i])
			}
		}
		t.Fatalf("logs differ in length: %d and %d", len(la), len(lb))
	}
	c := New(Options{Seed: 100})
	script(c)
	if reflect.DeepEqual(la, renderLog(t, c)) {
		t.Errorf("seeds 99 and 100 gave identical logs")
	}
}

func BenchmarkReplay100(b *testing.B) {
	script(New(Options{})) // warm the shared signer's memo, as a replay finds it
	b.ReportAllocs()
	for b.Loop() {
		script(New(Options{}))
	}
}

func BenchmarkAuthorize(b *testing.B) {
	w := New(Options{})
	script(w)
	w.CreateResourceGroup("rg", "")
	st, _ := w.CreateStorageAccount(ResourceSpec{Group: "rg", Name: "stbench"})
	for b.Loop() {
		w.Authorize(w.Admin.ObjectID, blobRead, st.ID, true)
	}
}

func BenchmarkManagedIdentityTokenCached(b *testing.B) {
	w := New(Options{})
	w.CreateResourceGroup("rg", "")
	vm, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm"})
	w.EnableSystemAssigned(vm.ID)
	h, _ := w.Host("vm")
	w.ManagedIdentityToken(h, Selector{}, "https://storage.azure.com/", ViaIMDS)
	for b.Loop() {
		w.ManagedIdentityToken(h, Selector{}, "https://storage.azure.com/", ViaIMDS)
	}
}

func BenchmarkManagedIdentityTokenFresh(b *testing.B) {
	w := New(Options{})
	w.CreateResourceGroup("rg", "")
	vm, _ := w.CreateVM(ResourceSpec{Group: "rg", Name: "vm"})
	w.EnableSystemAssigned(vm.ID)
	h, _ := w.Host("vm")
	for b.Loop() {
		// A day later the cached token has expired: Entra signs a new one.
		w.Advance(24 * time.Hour)
		w.ManagedIdentityToken(h, Selector{}, "https://storage.azure.com/", ViaIMDS)
	}
}
