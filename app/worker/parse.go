package worker

import (
	"context"

	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

func (h *Host) parse(_ context.Context, req wire.ParseRequest) (wire.ParseResponse, error) {
	s, err := scenarios.Parse(req.Name, []byte(req.Source))
	if err != nil {
		return wire.ParseResponse{}, err
	}
	return wire.ParseResponse{Scenario: Scenario(s)}, nil
}
