package shell

import "testing"

// The az transcripts live in testdata/az/, outside TestTranscripts' glob,
// so that each command group has its own test
// (go test -run 'AzVM|AzStorage|AzLogin|...'). `go test -update` rewrites
// their expected output.

func TestAzVM(t *testing.T)         { runTranscriptFile(t, "testdata/az/vm.txt") }
func TestAzVMSS(t *testing.T)       { runTranscriptFile(t, "testdata/az/vmss.txt") }
func TestAzIdentity(t *testing.T)   { runTranscriptFile(t, "testdata/az/identity.txt") }
func TestAzRole(t *testing.T)       { runTranscriptFile(t, "testdata/az/role.txt") }
func TestAzWeb(t *testing.T)        { runTranscriptFile(t, "testdata/az/web.txt") }
func TestAzStorage(t *testing.T)    { runTranscriptFile(t, "testdata/az/storage.txt") }
func TestAzKeyVault(t *testing.T)   { runTranscriptFile(t, "testdata/az/keyvault.txt") }
func TestAzServiceBus(t *testing.T) { runTranscriptFile(t, "testdata/az/servicebus.txt") }
func TestAzAD(t *testing.T)         { runTranscriptFile(t, "testdata/az/ad.txt") }
func TestAzLogin(t *testing.T)      { runTranscriptFile(t, "testdata/az/login.txt") }
func TestAzArgs(t *testing.T)       { runTranscriptFile(t, "testdata/az/args.txt") }
func TestAzResource(t *testing.T)   { runTranscriptFile(t, "testdata/az/resource.txt") }
