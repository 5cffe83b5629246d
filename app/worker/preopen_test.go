package worker

import (
	"reflect"
	"testing"
	"time"

	"github.com/miplay/miplay/app/wire"
)

// TestPlayPreopen checks that play.open takes the world preopened for its
// scenario, at step 0 and further on, and answers as a fresh open does.
func TestPlayPreopen(t *testing.T) {
	setPrepareDelay(t, time.Hour) // a step back's preparation would make a world too
	for _, step := range []int{0, 2} {
		worlds := countWorlds(t)
		h := newPlayHost(t)
		play[struct{}](t, h, wire.MethodPlayPreopen, wire.PlayPreopenRequest{Path: "/play/" + playSlug})
		if n := worlds.Load(); n != 1 {
			t.Fatalf("preopen made %d worlds, want 1", n)
		}
		pre := h.pre
		if pre == nil || pre.s == nil {
			t.Fatal("nothing preopened")
		}
		open := openPlay(t, h, step)
		if n := worlds.Load(); n != 1 {
			t.Errorf("step %d: play.open made a world of its own (%d in all): it did not take the preopened one", step, n)
		}
		s, err := session[*playSession](h, open.Session)
		if err != nil {
			t.Fatal(err)
		}
		if s != pre.s {
			t.Errorf("step %d: the session is not the preopened player", step)
		}
		if h.pre != nil {
			t.Errorf("step %d: the preopened player is still there for another page", step)
		}
		s.mu.Lock()
		s.stopPreparing()
		s.mu.Unlock()
		if want := freshState(t, step); !reflect.DeepEqual(open.State, want) {
			t.Errorf("step %d: the preopened player's state differs from a fresh open's", step)
		}
	}
}

// TestPlayPreopenOtherPages checks that a preopen for another page makes
// nothing, and one for another scenario is not taken.
func TestPlayPreopenOtherPages(t *testing.T) {
	worlds := countWorlds(t)
	h := newPlayHost(t)
	for _, p := range []string{"/", "/sandbox", "/gallery", "/play/", "/exercise/" + playSlug, "/play/no-such-scenario"} {
		play[struct{}](t, h, wire.MethodPlayPreopen, wire.PlayPreopenRequest{Path: p})
	}
	if n := worlds.Load(); n != 0 {
		t.Errorf("preopens of other pages made %d worlds", n)
	}
	play[struct{}](t, h, wire.MethodPlayPreopen, wire.PlayPreopenRequest{Path: "/play/01-without-managed-identities"})
	openPlay(t, h, 0)
	if n := worlds.Load(); n != 2 {
		t.Errorf("%d worlds, want 2: the preopened one, for another scenario, and the page's own", n)
	}
}

func TestPlayerSlug(t *testing.T) {
	for in, want := range map[string]string{
		"/play/03-read":            "03-read",
		"/embed/03-read":           "03-read",
		"/miplay/play/03-read":     "03-read",
		"/a/b/embed/x%20y/":        "x y",
		"/play":                    "",
		"/play/":                   "",
		"/sandbox":                 "",
		"/exercise/exercise-vm-id": "",
		"/":                        "",
	} {
		got, ok := playerSlug(in)
		if got != want || ok != (want != "") {
			t.Errorf("playerSlug(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
