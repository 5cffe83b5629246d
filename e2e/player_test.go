package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	miapp "github.com/miplay/miplay/app"
	"github.com/miplay/miplay/app/wire"
	"github.com/miplay/miplay/scenarios"
)

// library returns the scenarios of the library, as the engine parses
// them (the app lists the same: app's TestLibraryDecodes).
func library(t *testing.T) []*scenarios.Scenario {
	t.Helper()
	list, err := scenarios.ParseFS(scenarios.Library)
	if err != nil {
		t.Fatalf("the library does not parse: %v", err)
	}
	if len(list) == 0 {
		t.Fatal("the library is empty")
	}
	return list
}

// waitPlayer waits until the player has its world and nothing runs, with
// next steps run.
func waitPlayer(t *testing.T, ctx context.Context, next int) {
	t.Helper()
	sel := `.player[data-state="ready"]`
	if next >= 0 {
		sel = fmt.Sprintf(`.player[data-state="ready"][data-next="%d"]`, next)
	}
	wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		state := eval[string](t, ctx, `(document.querySelector(".player")||{dataset:{}}).dataset.state + " next=" + (document.querySelector(".player")||{dataset:{}}).dataset.next`)
		t.Fatalf("waiting for %s: %v (player: %s)", sel, err, state)
	}
}

// settle evaluates js until it gives want, for up to five seconds, and
// returns its last value.
func settle[T comparable](t *testing.T, ctx context.Context, js string, want T) T {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := eval[T](t, ctx, js)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot scrolls to the top, so that sticky headers are where a reader
// sees them, and takes a full-page screenshot.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, "scrolling to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	screenshot(t, ctx, name)
}

// press sends a key to the page, as the learner would type it.
func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	do(t, ctx, "pressing "+key, chromedp.KeyEvent(key))
}

// upload stores a scenario in the app's database, as an upload does: a
// JSON record under its name in the scenarios store. The app must have
// opened the database once (waitApp).
func upload(t *testing.T, ctx context.Context, name, source string) {
	t.Helper()
	rec, _ := json.Marshal(map[string]string{"name": name, "source": source, "uploaded": "2026-01-15T09:00:00Z"})
	js := fmt.Sprintf(`new Promise((resolve) => {
	  const r = indexedDB.open("miplay");
	  r.onerror = () => resolve("error: " + r.error);
	  r.onsuccess = () => {
	    const db = r.result;
	    try {
	      const tx = db.transaction("scenarios", "readwrite");
	      tx.objectStore("scenarios").put(%q, %q);
	      tx.oncomplete = () => { db.close(); resolve("ok"); };
	      tx.onerror = () => { db.close(); resolve("error: " + tx.error); };
	    } catch (e) { db.close(); resolve("error: " + e); }
	  };
	})`, string(rec), name)
	if got := run(t, ctx, "uploading "+name, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise)); got != "ok" {
		t.Fatalf("uploading %s: %s", name, got)
	}
}

// The gallery lists every scenario and exercise of the library, and its
// search and filters narrow the list as the app's own filter does.
func TestGalleryListsTheLibrary(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	list := library(t)

	do(t, ctx, "loading the home page", chromedp.Navigate(url+"/"))
	waitApp(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector(".hero .button--primary").getAttribute("href")`); got != "/gallery" {
		t.Errorf("the home page's main call to action goes to %q, want /gallery", got)
	}
	do(t, ctx, "opening the gallery",
		chromedp.Click(chromedp.CSS(".hero .button--primary")),
		chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/gallery"][aria-current="page"]`)),
	)
	var want []string
	for _, s := range list {
		want = append(want, slugOf(s))
	}
	got := eval[[]string](t, ctx, `[...document.querySelectorAll("#gallery-library .card")].map(c => c.dataset.slug)`)
	if !slices.Equal(got, want) {
		t.Errorf("gallery lists %q,\nwant the library %q", got, want)
	}
	titles := eval[[]string](t, ctx, `[...document.querySelectorAll("#gallery-library .card__title")].map(h => h.textContent.trim())`)
	for i, s := range list {
		if i < len(titles) && titles[i] != s.FrontMatter.Title {
			t.Errorf("card %d title = %q, want %q", i, titles[i], s.FrontMatter.Title)
		}
	}
	// Every control of the filters has a label.
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".gallery-filters input, .gallery-filters select")].filter(e => !e.labels || e.labels.length === 0).length`); n != 0 {
		t.Errorf("%d filter controls without a label", n)
	}
	shot(t, ctx, "gallery-all-light.png")

	items := miapp.BuildGallery(miapp.Library(), nil, false)
	count := func(f miapp.GalleryFilter) int {
		n := 0
		for _, it := range items {
			if f.Match(it) {
				n++
			}
		}
		return n
	}
	// cards waits for the gallery to show want cards (go-app renders on
	// its next frame), and returns what it shows.
	cards := func(want int) int {
		t.Helper()
		return settle(t, ctx, `document.querySelectorAll("#gallery-library .card").length`, want)
	}

	// Search with the keyboard.
	do(t, ctx, "searching", chromedp.Focus(chromedp.CSS("#gallery-q")), chromedp.KeyEvent("token"))
	if n := count(miapp.GalleryFilter{Query: "token"}); n == 0 || cards(n) != n {
		t.Errorf("searching 'token' shows %d cards, want %d", cards(n), n)
	}
	if got := text(t, ctx, ".gallery__status"); !strings.HasPrefix(got, "Showing") {
		t.Errorf("status = %q", got)
	}
	// Clear the search; pick a level with the keyboard: on the focused
	// select, typing the first letter of an option chooses it.
	do(t, ctx, "clearing the search",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#gallery-q").select()`),
		chromedp.KeyEvent("\b"),
	)
	if got := cards(len(list)); got != len(list) {
		t.Errorf("after clearing the search, %d cards, want %d", got, len(list))
	}
	do(t, ctx, "choosing a level", chromedp.Focus(chromedp.CSS("#gallery-level")), chromedp.KeyEvent("i"))
	level := settle(t, ctx, `document.querySelector("#gallery-level").value`, string(scenarios.Intermediate))
	if level != string(scenarios.Intermediate) {
		t.Errorf("after typing i the level is %q, want intermediate", level)
	}
	if n := count(miapp.GalleryFilter{Level: level}); cards(n) != n {
		t.Errorf("level %s shows %d cards, want %d", level, cards(n), n)
	}
	// A tag button filters by its tag, and says so with aria-pressed.
	tag := eval[string](t, ctx, `document.querySelector("#gallery-library .tag").textContent`)
	do(t, ctx, "clicking a tag", chromedp.Click(chromedp.CSS("#gallery-library .tag")))
	if n := count(miapp.GalleryFilter{Level: level, Tag: tag}); n == 0 || cards(n) != n {
		t.Errorf("level %s and tag %s show %d cards, want %d", level, tag, cards(n), n)
	}
	if got := settle(t, ctx, `document.querySelector("#gallery-tag").value`, tag); got != tag {
		t.Errorf("tag select = %q, want %q", got, tag)
	}
	shot(t, ctx, "gallery-filtered.png")

	// Progress shows on the cards: run a step of the first scenario and
	// come back.
	first := list[0]
	do(t, ctx, "opening a scenario", chromedp.Navigate(url+"/play/"+slugOf(first)))
	waitPlayer(t, ctx, 0)
	press(t, ctx, "n")
	waitPlayer(t, ctx, 1)
	do(t, ctx, "back to the gallery", chromedp.Navigate(url+"/gallery"))
	waitApp(t, ctx)
	sel := fmt.Sprintf(`#gallery-library .card[data-slug=%q] .card__status`, slugOf(first))
	wantStatus := fmt.Sprintf("1 of %d steps", len(first.Steps))
	if len(first.Steps) == 1 {
		wantStatus = "Finished"
	}
	deadline := time.Now().Add(10 * time.Second)
	for text(t, ctx, sel) != wantStatus && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := text(t, ctx, sel); got != wantStatus {
		t.Errorf("card status = %q, want %q", got, wantStatus)
	}

	do(t, ctx, "switching to dark", chromedp.Click(chromedp.CSS(".theme-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	shot(t, ctx, "gallery-progress-dark.png")
}

// countSignsJS counts, in self.__signs of the engine's worker (where the
// engine signs tokens), the signatures it asks of WebCrypto and how many of
// them failed.
const countSignsJS = `(() => {
  const sign = SubtleCrypto.prototype.sign;
  self.__signs = {ok: 0, failed: 0};
  SubtleCrypto.prototype.sign = function (...args) {
    return sign.apply(this, args).then(
      (v) => { self.__signs.ok++; return v; },
      (e) => { self.__signs.failed++; throw e; });
  };
  return true;
})()`

// Every scenario of the library, played to its end in the browser, prints
// what its file expects: the terminal has one entry per command of the
// file, and no mismatch. The tokens in those outputs are signed by
// WebCrypto (app/webcrypto), so this also shows that its signatures are
// Go's to the byte.
func TestPlayEveryScenarioToTheEnd(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	signed := 0
	for i, s := range library(t) {
		slug := slugOf(s)
		do(t, ctx, "opening "+slug, chromedp.Navigate(url+"/play/"+slug))
		waitPlayer(t, ctx, 0)
		inEngineWorker[bool](t, ctx, countSignsJS)
		if got := text(t, ctx, ".player h1"); got != s.FrontMatter.Title {
			t.Errorf("%s: h1 = %q, want %q", slug, got, s.FrontMatter.Title)
		}
		start := time.Now()
		press(t, ctx, "a")
		waitPlayer(t, ctx, len(s.Steps))
		t.Logf("%s: %d steps in %v", slug, len(s.Steps), time.Since(start).Round(time.Millisecond))
		want := 0
		for _, st := range s.Steps {
			want += len(st.Commands)
		}
		if got := eval[int](t, ctx, `document.querySelectorAll("#terminal .term-cmd").length`); got != want {
			t.Errorf("%s: the terminal shows %d commands, the file has %d", slug, got, want)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#terminal .is-mismatch, #terminal .term-mismatch").length`); n != 0 {
			t.Errorf("%s: %d mismatch markers:\n%s", slug, n, eval[string](t, ctx, `[...document.querySelectorAll("#terminal .is-mismatch")].map(e => e.innerText).join("\n---\n")`))
		}
		if i == 0 {
			shot(t, ctx, "play-done-light.png")
		}
		if n := inEngineWorker[int](t, ctx, `self.__signs.failed`); n != 0 {
			t.Errorf("%s: %d of WebCrypto's signatures failed (Go signed those tokens)", slug, n)
		}
		signed += inEngineWorker[int](t, ctx, `self.__signs.ok`)
	}
	if signed == 0 {
		t.Error("WebCrypto signed no token: the library's tokens were signed by Go's RSA")
	}
	t.Logf("WebCrypto signed %d tokens", signed)
}

// tokenScenario is the end-to-end test's own scenario, uploaded to the
// browser: a token from IMDS, a blob read with it, and the identity turned
// off, which leaves its role assignment orphaned.
const tokenScenario = "---\n" +
	"title: A VM reads a blob (e2e)\n" +
	"summary: \"The end-to-end test's scenario: a token from IMDS, a blob read, then the identity goes away.\"\n" +
	"level: beginner\n" +
	"tags: [e2e]\n" +
	"---\n\n" +
	"# A VM reads a blob (e2e)\n\n" +
	"A VM with a system-assigned identity, a storage account with a blob, and a\ndata role for the identity.\n\n" +
	"```console\n" +
	"$ az group create -n rg-demo -l westeurope -o none\n" +
	"$ az vm create -g rg-demo -n vm-web --image Ubuntu2204 --generate-ssh-keys --assign-identity -o none --only-show-errors\n" +
	"$ az storage account create -g rg-demo -n stdemo -o none\n" +
	"$ az storage container create --account-name stdemo -n docs --auth-mode key --only-show-errors -o none\n" +
	"$ az storage blob upload --account-name stdemo -c docs -n hello.txt --data \"Hello from Blob storage\" --auth-mode key --only-show-errors -o none --no-progress\n" +
	"$ az role assignment create --assignee-object-id $(az vm identity show -g rg-demo -n vm-web --query principalId -o tsv) --assignee-principal-type ServicePrincipal --role \"Storage Blob Data Reader\" --scope $(az storage account show -g rg-demo -n stdemo --query id -o tsv) -o none\n" +
	"```\n\n" +
	"Ask IMDS for a token, **from inside the VM**, and read the blob with it.\n\n" +
	"```console\n" +
	"vm-web$ TOKEN=$(curl -s -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/\" | jq -r .access_token)\n" +
	"vm-web$ curl -s -H \"Authorization: Bearer $TOKEN\" -H \"x-ms-version: 2021-08-06\" https://stdemo.blob.core.windows.net/docs/hello.txt\n" +
	"Hello from Blob storage\n" +
	"```\n\n" +
	"Turn the identity off: its role assignment stays, orphaned.\n\n" +
	"```console\n" +
	"$ az vm identity remove -g rg-demo -n vm-web -o none\n" +
	"```\n"

// checkNatively runs a scenario with go test's engine first, so that a
// change in the engine's output shows as what it is, not as a browser
// failure.
func checkNatively(t *testing.T, name, src string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse(name+".md", []byte(src))
	if err != nil {
		t.Fatalf("the test's scenario does not parse: %v", err)
	}
	if _, err := scenarios.Run(context.Background(), s, nil, scenarios.RunOptions{}); err != nil {
		t.Fatalf("the test's scenario does not pass natively: %v", err)
	}
	return s
}

// After a step that gets a token, the token panel shows it decoded, with
// its claims explained and its signature checked; the request flow shows
// the hop through IMDS to Entra ID; the blob read is explained by the role
// assignment that allowed it; turning the identity off orphans that
// assignment.
func TestTokenPanelAndRequestFlow(t *testing.T) {
	s := checkNatively(t, "e2e-token", tokenScenario)
	ctx := newBrowser(t)
	url := serve(t, built(t))
	do(t, ctx, "loading the gallery", chromedp.Navigate(url+"/gallery"))
	waitApp(t, ctx)
	upload(t, ctx, "e2e-token", tokenScenario)

	do(t, ctx, "opening the uploaded scenario", chromedp.Navigate(url+"/play/e2e-token"))
	waitPlayer(t, ctx, 0)
	if got := text(t, ctx, ".player h1"); got != s.FrontMatter.Title {
		t.Errorf("h1 = %q", got)
	}
	press(t, ctx, "n")
	waitPlayer(t, ctx, 1)
	principal := text(t, ctx, `#panel-resources .resource[data-name="vm-web"] .identity--system dd code`)
	if len(principal) != 36 {
		t.Errorf("vm-web's principal ID in the resources panel = %q", principal)
	}
	if got := text(t, ctx, `#panel-resources .resource[data-name="vm-web"] .identity__kind`); got != "SystemAssigned" {
		t.Errorf("vm-web's identity badge = %q", got)
	}
	press(t, ctx, "n")
	waitPlayer(t, ctx, 2)

	claim := func(name string) string {
		return text(t, ctx, fmt.Sprintf(`#panel-tokens .token-claims tr[data-claim=%q] .claims__value`, name))
	}
	if got := claim("aud"); got != "https://storage.azure.com/" {
		t.Errorf("aud = %q", got)
	}
	if got := claim("oid"); got != principal {
		t.Errorf("oid = %q, want vm-web's principal %q", got, principal)
	}
	if got := text(t, ctx, `#panel-tokens .token-claims tr[data-claim="oid"] .claims__meaning`); got == "" {
		t.Error("oid is not explained")
	}
	if got := text(t, ctx, "#panel-tokens .sig__verdict"); got != "Signature: valid" {
		t.Errorf("signature = %q", got)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("#panel-tokens .token-header th code")].map(c => c.textContent).join(" ")`); got != "typ alg x5t kid" {
		t.Errorf("header parameters = %q", got)
	}

	// The request flow of step 2: vm-web asks IMDS, IMDS has Entra ID
	// issue the token, vm-web reads the blob.
	lanes := eval[string](t, ctx, `[...document.querySelectorAll("#panel-sequence .seq-lane__label")].map(l => l.textContent).join(" | ")`)
	if lanes != "vm-web | IMDS | Entra ID | Blob storage" {
		t.Errorf("lanes = %q", lanes)
	}
	// The blob read is selected, with the decision behind it.
	if got := text(t, ctx, "#panel-exchange .exchange__url"); !strings.Contains(got, "GET https://stdemo.blob.core.windows.net/docs/hello.txt") {
		t.Errorf("selected exchange = %q", got)
	}
	if got := text(t, ctx, "#panel-decision .verdict"); got != "Allowed" {
		t.Errorf("verdict = %q", got)
	}
	if got := text(t, ctx, "#panel-decision .is-granting th"); got != "Storage Blob Data Reader" {
		t.Errorf("granting role = %q", got)
	}
	shot(t, ctx, "play-token-light.png")

	// Choosing the IMDS arrow shows that exchange instead, with the keyboard.
	do(t, ctx, "choosing the IMDS request",
		chromedp.Focus(chromedp.CSS(`#panel-sequence .seq-msg[data-exchange="0"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`#panel-sequence .seq-msg.is-selected[data-exchange="0"]`)),
	)
	if got := text(t, ctx, "#panel-exchange .exchange__route"); got != "vm-web → IMDS" {
		t.Errorf("route = %q", got)
	}
	if got := text(t, ctx, "#panel-exchange pre"); !strings.Contains(got, "Metadata: true") {
		t.Errorf("IMDS request = %q", got)
	}
	if got := text(t, ctx, "#panel-exchange .raw__text + *, #panel-exchange .exchange__raw div:last-child pre"); !strings.Contains(got, "access_token") {
		t.Errorf("IMDS response = %q", got)
	}

	// Step 3 turns the identity off: the assignment stays, orphaned.
	press(t, ctx, "n")
	waitPlayer(t, ctx, 3)
	if got := text(t, ctx, "#panel-assignments .is-orphaned .assignment__principal"); got != wire.IdentityNotFound {
		t.Errorf("orphaned assignment principal = %q", got)
	}
	if got := text(t, ctx, "#panel-assignments .is-orphaned .badge--type"); got != "Unknown" {
		t.Errorf("orphaned assignment type = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#panel-principals .principal.is-deleted[data-name="vm-web"]').length`); n != 1 {
		t.Errorf("%d deleted vm-web principals shown, want 1", n)
	}
	do(t, ctx, "showing the assignments", chromedp.Evaluate[chromedp.Void](`document.querySelector("#panel-assignments").scrollIntoView()`))
	shot(t, ctx, "play-orphaned-light.png")

	// Step back replays on a fresh world: the identity is back.
	press(t, ctx, "b")
	waitPlayer(t, ctx, 2)
	if n := eval[int](t, ctx, `document.querySelectorAll("#panel-assignments .is-orphaned").length`); n != 0 {
		t.Errorf("after stepping back, %d orphaned assignments", n)
	}
	if got := eval[int](t, ctx, `document.querySelectorAll("#terminal .term-cmd").length`); got != len(s.Steps[0].Commands)+len(s.Steps[1].Commands) {
		t.Errorf("after stepping back, the terminal has %d commands", got)
	}

	do(t, ctx, "switching to dark", chromedp.Click(chromedp.CSS(".theme-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`html[data-theme="dark"]`)))
	shot(t, ctx, "play-token-dark.png")

	// A phone-sized screen.
	do(t, ctx, "a small screen", chromedp.EmulateViewport(390, 844), chromedp.Reload())
	waitPlayer(t, ctx, 2)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("player is %dpx wide on a 390px screen", w)
	}
	shot(t, ctx, "play-mobile-dark.png")
}

// The embed page and ?embed=1 show the player without the site's header,
// and it works there.
func TestEmbedMode(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	s := library(t)[0]
	slug := slugOf(s)
	for i, path := range []string{"/embed/" + slug, "/play/" + slug + "?embed=1"} {
		do(t, ctx, "loading "+path, chromedp.Navigate(url+path))
		if i > 0 {
			// The progress made in the first frame is kept: the player
			// comes back at the step the learner reached. Start over.
			waitPlayer(t, ctx, 1)
			do(t, ctx, "restarting", chromedp.Click(chromedp.CSS(`.control[title^="Start over"]`)))
		}
		waitPlayer(t, ctx, 0)
		if n := eval[int](t, ctx, `document.querySelectorAll(".site-header, .site-nav, .site-footer").length`); n != 0 {
			t.Errorf("%s: %d header, navigation or footer elements, want none", path, n)
		}
		if got := text(t, ctx, ".player h1"); got != s.FrontMatter.Title {
			t.Errorf("%s: h1 = %q", path, got)
		}
		do(t, ctx, "running a step", chromedp.Click(chromedp.CSS(".control.button--primary")))
		waitPlayer(t, ctx, 1)
		if n := eval[int](t, ctx, `document.querySelectorAll("#terminal .term-cmd").length`); n != len(s.Steps[0].Commands) {
			t.Errorf("%s: %d commands in the terminal after a step", path, n)
		}
	}
	shot(t, ctx, "embed-player-light.png")
}

// xssScenario's narration, title and output try every way we know to run
// a script in the page.
const xssScenario = "---\n" +
	"title: \"XSS <img src=x onerror=window.__xss='title'>\"\n" +
	"summary: \"<script>window.__xss='summary'</script>\"\n" +
	"level: beginner\n" +
	"tags: [\"<b onmouseover=window.__xss='tag'>tag</b>\"]\n" +
	"---\n\n" +
	"# Title\n\n" +
	"<script>window.__xss = 'script'</script>\n\n" +
	"Inline <img src=x onerror=\"window.__xss='img'\"> image and <b onmouseover=\"window.__xss='b'\">bold</b>.\n\n" +
	"<a href=\"javascript:window.__xss='a'\">raw link</a>\n\n" +
	"[plain](javascript:window.__xss='plain') " +
	"[upper](JaVaScRiPt:window.__xss='upper') " +
	"[entity](&#106;avascript:window.__xss='entity') " +
	"[tab](<java\tscript:window.__xss='tab'>) " +
	"[tab entity](java&#9;script:window.__xss='tabentity') " +
	"[data](data:text/html,<script>window.__xss='data'</script>) " +
	"<javascript:window.__xss='autolink'> " +
	"![img](javascript:window.__xss='image') " +
	"[ref][r]\n\n" +
	"[r]: javascript:window.__xss='ref'\n\n" +
	"<iframe src=\"javascript:window.__xss='iframe'\"></iframe>\n\n" +
	"<svg onload=\"window.__xss='svg'\"></svg>\n\n" +
	"[a fragment](#step) and `<script>` in code.\n\n" +
	"```console\n" +
	"$ echo \"<img src=x onerror=window.__xss='output'>\"\n" +
	"<img src=x onerror=window.__xss='output'>\n" +
	"```\n\n" +
	"<img src=x onerror=\"window.__xss='tail'\">\n"

// A scenario whose narration holds scripts, javascript: links and
// <img onerror> runs none of them.
func TestNarrationRunsNoScript(t *testing.T) {
	checkNatively(t, "e2e-xss", xssScenario)
	ctx := newBrowser(t)
	url := serve(t, built(t))
	do(t, ctx, "loading the gallery", chromedp.Navigate(url+"/gallery"))
	waitApp(t, ctx)
	upload(t, ctx, "e2e-xss", xssScenario)
	do(t, ctx, "reloading the gallery", chromedp.Reload())
	waitApp(t, ctx)
	do(t, ctx, "waiting for the uploaded card", chromedp.WaitVisible(chromedp.CSS(`#gallery-uploaded .card[data-slug="e2e-xss"]`)))

	xss := func(when string) {
		t.Helper()
		if got := eval[string](t, ctx, `typeof window.__xss === "undefined" ? "" : String(window.__xss)`); got != "" {
			t.Errorf("%s: a script ran: window.__xss = %q", when, got)
		}
	}
	xss("in the gallery")

	do(t, ctx, "opening the scenario", chromedp.Navigate(url+"/play/e2e-xss"))
	waitPlayer(t, ctx, 0)
	do(t, ctx, "letting images fail", chromedp.Sleep(500*time.Millisecond))
	xss("on the player")
	if n := eval[int](t, ctx, `document.querySelectorAll(".markdown script, .markdown img, .markdown iframe, .markdown svg, .markdown [onerror], .markdown [onload], .markdown [onmouseover]").length`); n != 0 {
		t.Errorf("%d dangerous elements in the narration", n)
	}
	hrefs := eval[[]string](t, ctx, `[...document.querySelectorAll(".player a[href]")].map(a => a.getAttribute("href"))`)
	for _, h := range hrefs {
		if strings.Contains(strings.ToLower(strings.Join(strings.Fields(h), "")), "script:") || strings.HasPrefix(strings.ToLower(h), "data:") {
			t.Errorf("a link to %q in the page", h)
		}
	}
	if got := text(t, ctx, ".markdown"); !strings.Contains(got, "plain upper entity") {
		t.Errorf("the narration lost the text of its links: %q", got)
	}
	shot(t, ctx, "play-xss-narration.png")
	// Hover and click everything in the narration.
	do(t, ctx, "clicking the narration's links", chromedp.Evaluate[chromedp.Void](`for (const a of document.querySelectorAll(".markdown a, .markdown b")) { a.dispatchEvent(new MouseEvent("mouseover", {bubbles: true})); a.click(); }`))
	press(t, ctx, "n")
	waitPlayer(t, ctx, 1)
	do(t, ctx, "letting images fail", chromedp.Sleep(500*time.Millisecond))
	xss("after running the step")
	if n := eval[int](t, ctx, `document.querySelectorAll("#terminal img, .player img").length`); n != 0 {
		t.Errorf("%d images in the player", n)
	}
	if got := text(t, ctx, "#terminal .term-out"); got != "<img src=x onerror=window.__xss='output'>" {
		t.Errorf("the output shows as %q, want the text itself", got)
	}
	shot(t, ctx, "play-xss.png")
}

// mismatchScenario expects what its command does not print.
const mismatchScenario = "---\n" +
	"title: A file that expects the wrong output (e2e)\n" +
	"level: beginner\n" +
	"---\n\n" +
	"The file says echo prints bye.\n\n" +
	"```console\n" +
	"$ echo hello\n" +
	"bye\n" +
	"$ echo after\n" +
	"after\n" +
	"```\n\n" +
	"Not reached by run all.\n\n" +
	"```console\n" +
	"$ echo never\n" +
	"never\n" +
	"```\n"

// A command whose output differs from the file's is shown with what the
// file expects, and run all stops after its step.
func TestMismatchIsShown(t *testing.T) {
	if _, err := scenarios.Parse("e2e-mismatch.md", []byte(mismatchScenario)); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	url := serve(t, built(t))
	do(t, ctx, "loading the gallery", chromedp.Navigate(url+"/gallery"))
	waitApp(t, ctx)
	upload(t, ctx, "e2e-mismatch", mismatchScenario)
	do(t, ctx, "opening the scenario", chromedp.Navigate(url+"/play/e2e-mismatch"))
	waitPlayer(t, ctx, 0)
	press(t, ctx, "a")
	waitPlayer(t, ctx, 1)
	if n := eval[int](t, ctx, `document.querySelectorAll("#terminal .term-cmd.is-mismatch").length`); n != 1 {
		t.Errorf("%d commands marked as mismatches, want 1", n)
	}
	if got := text(t, ctx, "#terminal .is-mismatch .term-want"); got != "bye" {
		t.Errorf("expected lines shown = %q, want bye", got)
	}
	if got := text(t, ctx, "#terminal .is-mismatch .term-out"); got != "hello" {
		t.Errorf("actual output shown = %q, want hello", got)
	}
	if got := text(t, ctx, ".player__status"); !strings.Contains(got, "did not print what the file expects") {
		t.Errorf("status = %q", got)
	}
	shot(t, ctx, "play-mismatch-light.png")
}

// slugOf is a scenario's name in the app's URLs: its file name without .md.
func slugOf(s *scenarios.Scenario) string {
	return strings.TrimSuffix(path.Base(s.Name), ".md")
}
