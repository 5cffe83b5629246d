package azure

// Temporary stub, replaced by blob.go, keyvault.go and servicebus.go.

func (x *exchange) serveBlob()       { x.notYet() }
func (x *exchange) serveKeyVault()   { x.notYet() }
func (x *exchange) serveServiceBus() { x.notYet() }
