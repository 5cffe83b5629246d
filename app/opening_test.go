package app

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A sessionLink hands the session to every operation that waits for it,
// and to later ones; the first of open and fail counts.
func TestSessionLink(t *testing.T) {
	l := newSessionLink()
	got := make(chan int, 2)
	for range 2 {
		go func() {
			id, err := l.wait(context.Background())
			if err != nil {
				t.Errorf("wait: %v", err)
			}
			got <- id
		}()
	}
	select {
	case id := <-got:
		t.Fatalf("wait returned %d before the session opened", id)
	case <-time.After(20 * time.Millisecond):
	}
	l.open(7)
	l.open(8)
	l.fail(errors.New("too late"))
	for range 2 {
		if id := <-got; id != 7 {
			t.Errorf("a waiting operation got session %d, want 7", id)
		}
	}
	if id, err := l.wait(context.Background()); id != 7 || err != nil {
		t.Errorf("a later wait: %d, %v; want 7, nil", id, err)
	}

	failed := newSessionLink()
	failed.fail(errPageMoved)
	failed.open(9)
	if id, err := failed.wait(context.Background()); !errors.Is(err, errPageMoved) || id != 0 {
		t.Errorf("a failed link: %d, %v; want 0, %v", id, err, errPageMoved)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newSessionLink().wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("a wait whose context ends: %v, want %v", err, context.Canceled)
	}
}
