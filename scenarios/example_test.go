package scenarios_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/miplay/miplay/scenarios"
)

func ExampleParse() {
	src := "---\n" +
		"title: A VM asks IMDS for a token\n" +
		"level: beginner\n" +
		"tags: [imds]\n" +
		"---\n" +
		"\n" +
		"The VM has no identity yet. Ask IMDS for a token anyway:\n" +
		"\n" +
		"```console\n" +
		"vm-web$ curl -s -H Metadata:true \\\n" +
		"    'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/'\n" +
		"{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}\n" +
		"$ az vm show -g rg -n nope --query id\n" +
		"...\n" +
		"[exit 3]\n" +
		"```\n"
	s, err := scenarios.Parse("imds.md", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.FrontMatter.Title, s.FrontMatter.Level, s.FrontMatter.Tags)
	for _, st := range s.Steps {
		fmt.Printf("step %d at line %d: %s\n", st.Index+1, st.Line, st.Narration)
		for _, c := range st.Commands {
			fmt.Printf("  line %d on %q: %s\n", c.Line, c.Host, c.Short())
			fmt.Printf("    want %q, exit %d\n", c.Want, c.Exit)
		}
	}
	// Output:
	// A VM asks IMDS for a token beginner [imds]
	// step 1 at line 9: The VM has no identity yet. Ask IMDS for a token anyway:
	//   line 10 on "vm-web": curl -s -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/'
	//     want ["{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}"], exit 0
	//   line 13 on "": az vm show -g rg -n nope --query id
	//     want ["..."], exit 3
}

func ExampleParse_errors() {
	src := "---\ntitle: Oops\nlevel: expert\ntag: [x]\n---\n\n```console\nhello\n$ az account show\n[exit 0]\n```\n"
	_, err := scenarios.Parse("oops.md", []byte(src))
	fmt.Println(err)
	// Output:
	// oops.md:3:8: front matter: level "expert": expected beginner, intermediate or advanced
	// oops.md:4:1: front matter: unknown key "tag" (did you mean "tags"?): expected one of title, summary, level, tags, seed, start, propagation, exercise
	// oops.md:8: expected a command (`$ command` or `host$ command`) before output, found "hello"
	// oops.md:10: az account show: [exit 0]: a command that succeeds shows no exit line; remove it
}

func ExampleMatch() {
	want := []string{"{", "...", `  "principalId": "...",`, "...", "}"}
	got := []string{"{", `  "id": "/subscriptions/1/...",`, `  "principalId": "6f1c...",`, `  "type": "SystemAssigned"`, "}"}
	fmt.Println(scenarios.Match(want, got))
	fmt.Println(scenarios.Match(want, got[:4]))
	// Output:
	// true
	// false
}

func ExampleDiff() {
	fmt.Print(scenarios.Diff([]string{"SystemAssigned"}, 0, []string{"ERROR: (ResourceNotFound) The Resource 'vm-web' was not found."}, 3))
	// Output:
	// --- want
	// +++ got
	// @@ -1 +1,2 @@
	// -SystemAssigned
	// +ERROR: (ResourceNotFound) The Resource 'vm-web' was not found.
	// +[exit 3]
}

func ExampleRun() {
	src := `---
title: Who am I?
level: beginner
---

The workstation is signed in as the tenant's admin:

` + "```console" + `
$ az account show --query user.name -o tsv
ada@contoso.onmicrosoft.com
$ az group show -n rg-missing
ERROR: (ResourceGroupNotFound) Resource group 'rg-missing' could not be found.
...
[exit 3]
` + "```" + `
`
	s, err := scenarios.Parse("whoami.md", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := scenarios.Run(context.Background(), s, os.Stdout, scenarios.RunOptions{Verbose: true})
	fmt.Println("passed:", res.Passed, err)

	// A scenario whose expectation is wrong fails with file:line, the
	// command, and a diff from the expected output to the actual one.
	s, _ = scenarios.Parse("wrong.md", []byte(strings.Replace(src, "ada@", "bob@", 1)))
	_, err = scenarios.Run(context.Background(), s, nil, scenarios.RunOptions{})
	fmt.Println(err)
	// Output:
	// # step 1 (whoami.md:8)
	// $ az account show --query user.name -o tsv
	// ada@contoso.onmicrosoft.com
	// $ az group show -n rg-missing
	// ERROR: (ResourceGroupNotFound) Resource group 'rg-missing' could not be found.
	// Code: ResourceGroupNotFound
	// Message: Resource group 'rg-missing' could not be found.
	// [exit 3]
	// passed: true <nil>
	// wrong.md:9: az account show --query user.name -o tsv: want "bob@contoso.onmicrosoft.com", got "ada@contoso.onmicrosoft.com" (output line 1)
	// --- want
	// +++ got
	// @@ -1 +1 @@
	// -bob@contoso.onmicrosoft.com
	// +ada@contoso.onmicrosoft.com
}

func ExamplePlayer() {
	s, _ := scenarios.Parse("exercise-vm-identity.md", mustRead("exercise-vm-identity.md"))
	ctx := context.Background()
	p, err := scenarios.NewPlayer(s, scenarios.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p.RunAll(ctx) // the setup: a VM without an identity
	ok, _, _ := p.Check(ctx)
	fmt.Println("goal reached:", ok)

	// The learner types a command of their own.
	res, _ := p.Exec(ctx, "", "az vm identity assign -g rg-shop -n vm-web --query systemAssignedIdentity -o tsv")
	fmt.Println("exit", res.Exit)
	ok, _, _ = p.Check(ctx)
	fmt.Println("goal reached:", ok)

	// Stepping back replays the steps before the last one on a fresh
	// world: the learner's command, which came after, is undone.
	p.Back(ctx)
	fmt.Println("next step:", p.Next()+1, "of", len(s.Steps))
	ok, _, _ = p.Check(ctx)
	fmt.Println("goal reached:", ok)
	// Output:
	// goal reached: false
	// exit 0
	// goal reached: true
	// next step: 2 of 2
	// goal reached: false
}

func mustRead(name string) []byte {
	b, err := fs.ReadFile(scenarios.Library, name)
	if err != nil {
		panic(err)
	}
	return b
}
