package azure

// Temporary stub, replaced by entra.go.

func (x *exchange) serveEntra() { x.notYet() }
