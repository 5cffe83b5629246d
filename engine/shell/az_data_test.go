package shell

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The transcripts of az storage, keyvault, servicebus and ad live in
// testdata/az/, outside TestTranscripts' glob, so that each has its own
// test (go test -run 'Storage|KeyVault|ServiceBus|AD'). `go test -update`
// rewrites their expected output.

func TestAzStorage(t *testing.T)    { runAzTranscript(t, "testdata/az/storage.txt") }
func TestAzKeyVault(t *testing.T)   { runAzTranscript(t, "testdata/az/keyvault.txt") }
func TestAzServiceBus(t *testing.T) { runAzTranscript(t, "testdata/az/servicebus.txt") }
func TestAzAD(t *testing.T)         { runAzTranscript(t, "testdata/az/ad.txt") }

// runAzTranscript runs each section of a transcript file in a fresh
// session on the test world, comparing stdout, stderr and exit status
// exactly.
func runAzTranscript(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	comment, sections := parseTxtar(string(data))
	changed := false
	for si := range sections {
		sec := &sections[si]
		t.Run(strings.ReplaceAll(sec.name, " ", "_"), func(t *testing.T) {
			steps, err := parseTranscript(sec.data)
			if err != nil {
				t.Fatalf("%s: %s: %v", file, sec.name, err)
			}
			s := newTestSession(t)
			var out strings.Builder
			for _, st := range steps {
				var stdout, stderr bytes.Buffer
				exit, err := s.Run(context.Background(), st.host, st.cmd, &stdout, &stderr)
				if err != nil {
					stderr.WriteString("[error] " + err.Error() + "\n")
				}
				got := render(st, stdout.String(), stderr.String(), exit)
				want := render(st, expectStdout(st), expectStderr(st), st.exit)
				if got != want {
					if !*update {
						t.Errorf("%s:%s: line %d:\n--- got ---\n%s--- want ---\n%s", file, sec.name, st.line, got, want)
					}
					changed = true
				}
				out.WriteString(got)
			}
			if *update {
				sec.data = keepLeadingComments(sec.data) + out.String()
			}
		})
	}
	if *update && changed {
		if err := os.WriteFile(file, []byte(formatTxtar(comment, sections)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
