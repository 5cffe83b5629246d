package worker

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/miplay/miplay/app/wire"
)

func TestPing(t *testing.T) {
	h := NewHost()
	ctx := context.Background()
	got, err := wire.Call[wire.PingResponse](ctx, h, wire.MethodPing, wire.PingRequest{Say: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (wire.PingResponse{Said: "hello", GoVersion: runtime.Version()}); got != want {
		t.Errorf("ping = %+v, want %+v", got, want)
	}

	_, err = wire.Call[wire.PingResponse](ctx, h, wire.MethodPing, wire.PingRequest{Fail: "as asked"})
	if !wire.IsCode(err, "ping") || err.Error() != "as asked" {
		t.Errorf("ping with Fail: err = %v, want the wire.Error asked for", err)
	}

	cctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	got, err = wire.Call[wire.PingResponse](cctx, h, wire.MethodPing, wire.PingRequest{Say: "late", SleepMillis: 60_000})
	if err != nil || !got.Cancelled {
		t.Errorf("ping cancelled while it sleeps = %+v, %v; want Cancelled", got, err)
	}
}
