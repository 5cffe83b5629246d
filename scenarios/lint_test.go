package scenarios

import (
	"strings"
	"testing"
)

// withCommands sets the command table for a test.
func withCommands(t *testing.T, names ...string) {
	old := Commands
	Commands = func() []string { return names }
	t.Cleanup(func() { Commands = old })
}

func TestLint(t *testing.T) {
	withCommands(t, "az", "curl", "jq", "sleep")
	block := func(lines ...string) string { return "```console\n" + strings.Join(lines, "\n") + "\n```\n" }
	step := func(lines ...string) string { return "Narration.\n\n" + block(lines...) + "\n" }
	tests := []struct {
		name string
		body string
		want []string // problems, with the file name and front matter lines
	}{
		{"clean", step("$ az group create -n rg -l westeurope", "...", "$ az vm create -g rg -n vm-web --image Ubuntu2204", "...") +
			step("vm-web$ curl -s http://169.254.169.254/ | jq .", "..."), nil},
		{"no narration", block("$ az account show", "...") + block("$ sleep 1"),
			[]string{"x.md:6: step 1 has no narration: expected Markdown before the ```console block that says what it does",
				"x.md:10: step 2 has no narration: expected Markdown before the ```console block that says what it does"}},
		{"unknown host", step("vm-web$ curl -s http://x"),
			[]string{`x.md:9: unknown host "vm-web": expected a compute resource an earlier step creates (az vm create -n vm-web, az vmss create for vm-web_0, az webapp create, az functionapp create)`}},
		{"typo in host", step("$ az vm create -n vm-web", "vm-wbe$ curl x"),
			[]string{`x.md:10: unknown host "vm-wbe" (did you mean "vm-web"?): expected a compute resource an earlier step creates`}},
		{"host made later", step("vm-web$ curl x") + step("$ az vm create -n vm-web"),
			[]string{`x.md:9: unknown host "vm-web"`}},
		{"scale set instances", step("$ az vmss create -n ss --instance-count 3", "ss_2$ curl x", "ss_3$ curl x"),
			[]string{`x.md:11: unknown host "ss_3"`}},
		{"scale set default count", step("$ az vmss create --name ss", "ss_1$ curl x", "ss_2$ curl x"),
			[]string{`x.md:11: unknown host "ss_2"`}},
		{"web and function apps", step("$ az webapp create -g rg -p plan --name=app1", "$ az functionapp create -g rg -n fn1 -s st", "app1$ curl x", "fn1$ curl x"), nil},
		{"through variables", step("$ VM=vm-a", "$ az vm create -n $VM", "$ export APP=app-b", "$ az webapp create -n \"${APP}\"", "vm-a$ curl x", "app-b$ curl x"), nil},
		{"exports reach hosts", step("$ export N=2", "$ az vm create -n vm-a", "vm-a$ az vm create -n vm-$N", "vm-2$ curl x"), nil},
		{"unresolved variable", step("$ az vm create -n $(echo vm-x)", "vm-x$ curl x"),
			[]string{"x.md:9: warning: az vm create -n $(echo vm-x): cannot tell the name of the VM it creates; host prompts are not checked against it",
				`x.md:10: warning: host "vm-x": no earlier step creates it as far as can be told`}},
		{"unknown command", step("$ az account show | jqq .", "$ for i in 1 2; do slep 1; done", "$ f() { true; }; f; cd /; VAR=1 ls"),
			[]string{`x.md:9: unknown command "jqq" (did you mean "jq"?)`, `x.md:10: unknown command "slep" (did you mean "sleep"?)`,
				`x.md:11: unknown command "ls": the simulated shell has az, curl, jq, sleep and shell builtins`}},
		{"command substitution", step("$ TOKEN=$(curly -s x)"), []string{`x.md:9: unknown command "curly" (did you mean "curl"?)`}},
		{"syntax error", step("$ echo 'unterminated"), []string{`x.md:9: echo 'unterminated: shell syntax: reached EOF without closing quote ` + "`'`"}},
		{"unclosed other fence", step("$ sleep 1") + "```sh\nstray\n", []string{"x.md:12: code block ```sh is not closed"}},
		{"parse error", step("$ sleep 1", "[exit 0]"), []string{"x.md:10: sleep 1: [exit 0]: a command that succeeds shows no exit line; remove it"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Lint("x.md", []byte(front+"\n"+tt.body))
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d:\n%s\nwant prefix:\n%s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLintExercise(t *testing.T) {
	withCommands(t, "set", "get")
	if ps := Lint("ex.md", []byte(exerciseSrc)); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
	// The check runs after the solution: hosts it creates are known.
	src := strings.Replace(exerciseSrc, "$ set x 2\n", "$ az vm create -n vm1\n", 1)
	src = strings.Replace(src, "```console check\n$ get x", "```console check\nvm1$ get x", 1)
	withCommands(t, "set", "get", "az")
	if ps := Lint("ex.md", []byte(src)); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
	withCommands(t, "get")
	ps := Lint("ex.md", []byte(strings.Replace(exerciseSrc, "$ set x 2", "$ put x 2", 1)))
	if len(ps) != 1 || ps[0].String() != `ex.md:33: unknown command "put": the simulated shell has get and shell builtins` {
		t.Errorf("problems: %v", ps)
	}
}

func TestLintWithoutCommandTable(t *testing.T) {
	old := Commands
	Commands = nil
	defer func() { Commands = old }()
	if ps := Lint("x.md", []byte(front+"\nText.\n\n```console\n$ anything goes\n```\n")); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
}
