package worker

import (
	"context"
	"runtime"
	"time"

	"github.com/miplay/miplay/app/wire"
)

// ping answers wire.MethodPing: Say back, and the engine's Go version.
func (h *Host) ping(ctx context.Context, req wire.PingRequest) (wire.PingResponse, error) {
	resp := wire.PingResponse{Said: req.Say, GoVersion: runtime.Version()}
	if req.SleepMillis > 0 {
		t := time.NewTimer(time.Duration(req.SleepMillis) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			resp.Cancelled = true
		}
	}
	if req.Fail != "" {
		return resp, &wire.Error{Message: req.Fail, Code: "ping"}
	}
	return resp, nil
}
