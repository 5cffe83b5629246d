package engine

import (
	"errors"
	"fmt"
)

// SetIdentityHeader replaces the IDENTITY_HEADER of a web app or function
// app, as the platform does when it rotates the value. The App Service
// identity endpoint accepts only requests whose X-IDENTITY-HEADER carries
// the new value from then on. The log records the rotation, never the value.
func (w *World) SetIdentityHeader(siteID, value string) error {
	r, err := w.Resource(siteID)
	if err != nil {
		return err
	}
	if r.Site == nil {
		return fmt.Errorf("engine: %s is not a web app or function app", r.ID)
	}
	if value == "" {
		return errors.New("engine: IDENTITY_HEADER cannot be empty")
	}
	r.Site.IdentityHeader = value
	w.record(&ResourceUpdated{ID: r.ID, Change: "IDENTITY_HEADER rotated"})
	return nil
}
