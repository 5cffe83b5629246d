package shell

import "testing"

// Transcripts of az login's usage errors, @file arguments, table output
// and az resource, each in its own test (go test -run 'AzLogin|AzArgs|AzResource').

func TestAzLogin(t *testing.T)    { runAzTranscripts(t, "testdata/az/login.txt") }
func TestAzArgs(t *testing.T)     { runAzTranscripts(t, "testdata/az/args.txt") }
func TestAzResource(t *testing.T) { runAzTranscripts(t, "testdata/az/resource.txt") }
