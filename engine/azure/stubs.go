package azure

// Temporary: each service's file replaces its stub as it lands.

import "net/http"

type imdsControls struct{}

func newIMDSControls() imdsControls                            { return imdsControls{} }
func (imdsControls) enter(service, from string) (func(), bool) { return func() {}, false }
func (x *exchange) imdsThrottled()                             {}
func (x *exchange) serveIMDS()                                 { x.notYet() }
func (x *exchange) serveAppService()                           { x.notYet() }
func (x *exchange) serveEntra()                                { x.notYet() }
func (x *exchange) serveARM()                                  { x.notYet() }
func (x *exchange) serveGraph()                                { x.notYet() }
func (x *exchange) serveBlob()                                 { x.notYet() }
func (x *exchange) serveKeyVault()                             { x.notYet() }
func (x *exchange) serveServiceBus()                           { x.notYet() }
func (x *exchange) notYet() {
	x.writeRaw(http.StatusNotImplemented, "text/plain", []byte("not simulated yet\n"))
}
