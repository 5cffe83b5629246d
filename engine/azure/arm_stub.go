package azure

// Temporary stub, replaced by arm*.go and graph.go.

func (x *exchange) serveARM()   { x.notYet() }
func (x *exchange) serveGraph() { x.notYet() }
