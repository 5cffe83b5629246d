package scenarios_test

import (
	"fmt"

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
	// oops.md:3: front matter: level "expert": expected beginner, intermediate or advanced
	// oops.md:4: front matter: unknown key "tag" (did you mean "tags"?): expected one of title, summary, level, tags, seed, start, propagation, exercise
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
