//go:build !wasm

package main

import (
	"testing"

	"github.com/miplay/miplay/scenarios"
)

func TestCheck(t *testing.T) {
	old := scenarios.Commands
	scenarios.Commands = func() []string { return []string{"az", "cat", "curl"} }
	t.Cleanup(func() { scenarios.Commands = old })

	dir := writeFiles(t, map[string]string{
		"good.md": scenarioHead + "$ az vm create -n vm1\nvm1$ curl x\n```\n",
		"warn.md": scenarioHead + "$ az vm create -n $(cat name)\nvm1$ curl x\n```\n",
		"bad.md":  "---\ntitle: T\nlevel: hard\n---\n\n```console\nvm2$ crul x\n```\n",
	})
	t.Chdir(dir)

	code, stdout, stderr := runMiplay(t, "check", "good.md", "warn.md")
	want := "warn.md:9: warning: az vm create -n $(cat name): cannot tell the name of the VM it creates; host prompts are not checked against it\n" +
		"warn.md:10: warning: host \"vm1\": no earlier step creates it as far as can be told (an earlier create command names its resource through a variable)\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("check good.md warn.md: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}

	code, stdout, stderr = runMiplay(t, "check", ".")
	want = `bad.md:3:8: front matter: level "hard": expected beginner, intermediate or advanced
bad.md:6: step 1 has no narration: expected Markdown before the ` + "```" + `console block that says what it does
bad.md:7: unknown host "vm2": expected a compute resource an earlier step creates (az vm create -n vm2, az vmss create for vm2_0, az webapp create, az functionapp create)
bad.md:7: unknown command "crul" (did you mean "curl"?)
` + "warn.md:9: warning: az vm create -n $(cat name): cannot tell the name of the VM it creates; host prompts are not checked against it\n" +
		"warn.md:10: warning: host \"vm1\": no earlier step creates it as far as can be told (an earlier create command names its resource through a variable)\n"
	if code != 1 || stdout != want || stderr != "miplay check: 4 problems in 1 of 3 files\n" {
		t.Errorf("check .: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}
