package shell

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// firstUseChild marks the process TestTablesOnConcurrentFirstUse starts.
const firstUseChild = "MIPLAY_SHELL_FIRST_USE_CHILD"

// TestTablesOnConcurrentFirstUse runs commands in several sessions at once
// while the command tables are still unbuilt, as the browser's player and
// its step-back state do. Earlier tests of this process have built them
// already, so it runs in a fresh process of its own; under -race it shows
// whether building them on first use races.
func TestTablesOnConcurrentFirstUse(t *testing.T) {
	if os.Getenv(firstUseChild) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTablesOnConcurrentFirstUse$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), firstUseChild+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("--- PASS: TestTablesOnConcurrentFirstUse")) {
			t.Fatalf("the child process failed: %v\n%s", err, out)
		}
		return
	}
	lines := []string{"help", "type curl jq az ssh", "az group list -o tsv --query [].name", "az vm list -o none", "command -v sed grep nosuch", "ssh vm-web"}
	const n = 8
	sessions := make([]*Session, n)
	for i := range sessions {
		sessions[i] = newTestSession(t)
	}
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Go(func() {
			var b bytes.Buffer
			for _, l := range lines {
				exit, err := s.Run(context.Background(), "workstation", l, &b, &b)
				if err != nil {
					t.Errorf("%s: %v", l, err)
				}
				b.WriteString(string(rune('0' + exit)))
			}
			if i%2 == 0 {
				b.WriteString(AzReference())
			}
			outs[i] = b.String()
		})
	}
	wg.Wait()
	for i := 2; i < n; i += 2 {
		if outs[i] != outs[0] {
			t.Errorf("session %d printed\n%s\nsession 0 printed\n%s", i, outs[i], outs[0])
		}
	}
	if !bytes.Contains([]byte(outs[0]), []byte("rg-demo")) {
		t.Errorf("az group list printed no group:\n%s", outs[0])
	}
}
