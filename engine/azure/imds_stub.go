package azure

// Temporary stub, replaced by imds.go and appservice.go.

type imdsControls struct{}

func newIMDSControls() imdsControls                            { return imdsControls{} }
func (imdsControls) enter(service, from string) (func(), bool) { return func() {}, false }
func (x *exchange) imdsThrottled()                             {}
func (x *exchange) serveIMDS()                                 { x.notYet() }
func (x *exchange) serveAppService()                           { x.notYet() }
