//go:build !wasm

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	miapp "github.com/miplay/miplay/app"
	"github.com/miplay/miplay/app/assets"
	"github.com/miplay/miplay/app/loader"
)

func init() {
	register(&command{
		Name:    "build-static",
		Summary: "write the app as a static website, for any static host",
		Help: `
Build-static writes the app as plain files into the output directory: one
prerendered HTML page per route, go-app's scripts and service worker, and the
web directory with app.wasm, engine.wasm (the engine, which each page runs in
a Web Worker) and their precompressed .br and .gz variants (hosts such as
nginx with gzip_static/brotli_static, Caddy or Netlify can send them).

--base is the URL path the site will be served under. Every link and resource
URL carries it, so the build works in a sub-path such as GitHub Pages'
/REPOSITORY/. index.html is copied to 404.html, so that hosts which answer
unknown paths with 404.html (GitHub Pages does) open deep links such as
BASE/play/NAME in the app.

An existing output directory is replaced only if it holds a previous build.`,
		Flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			out := fs.String("out", "build/static", "write the site into `DIR`")
			base := fs.String("base", "/", "serve the site under the URL `PATH`, such as /docs/miplay/")
			web := fs.String("web", "web", "take app.wasm, engine.wasm and static files from `DIR`")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return errUsage("unexpected argument %q", args[0])
				}
				if strings.TrimSpace(*out) == "" {
					return errFlag("out", "must name a directory")
				}
				b, err := normalizeBase(*base)
				if err != nil {
					return errFlag("base", "%v", err)
				}
				return buildStatic(e, *out, b, *web)
			}
		},
	})
}

// normalizeBase returns a URL path that starts and ends with a slash.
func normalizeBase(base string) (string, error) {
	if base == "" {
		return "/", nil
	}
	if strings.Contains(base, "://") || strings.ContainsAny(base, "?#\\ ") {
		return "", fmt.Errorf("want a URL path such as /docs/miplay/, got %q", base)
	}
	for _, seg := range strings.Split(strings.Trim(base, "/"), "/") {
		if seg == "." || seg == ".." {
			return "", fmt.Errorf("want a URL path without . or .. segments, got %q", base)
		}
	}
	b := "/" + strings.Trim(base, "/") + "/"
	if b == "//" {
		b = "/"
	}
	return b, nil
}

func buildStatic(e *env, out, base, webDir string) error {
	web, err := loadWeb(e, webDir, true)
	if err != nil {
		return err
	}
	if err := clearOutput(out); err != nil {
		return err
	}
	var res app.ResourceResolver = assets.NewDir(web.Dir)
	if base != "/" {
		res = app.PrefixedLocation(strings.TrimSuffix(base, "/"))
	}
	h := miapp.NewHandler(res, web.Version, web.Wasm.Raw)
	if err := app.GenerateStaticWebsite(out, h); err != nil {
		return fmt.Errorf("generating pages: %w", err)
	}
	// The same app.js as miplay serve's (see app/loader).
	if err := loader.PatchFile(filepath.Join(out, "app.js")); err != nil {
		return err
	}
	if err := copyTree(filepath.Join(out, "web"), web.Dir); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(out, "404.html"), filepath.Join(out, "index.html")); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "miplay: wrote %s for %s (version %s; app.wasm %v; engine.wasm %v)\n", out, base, web.Version, web.Wasm, web.Engine)
	return nil
}

// clearOutput makes out an empty directory. It removes only what looks like a
// previous build (index.html beside a web directory), never anything else.
func clearOutput(out string) error {
	entries, err := os.ReadDir(out)
	if os.IsNotExist(err) {
		return os.MkdirAll(out, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	_, errIndex := os.Stat(filepath.Join(out, "index.html"))
	webSt, errWeb := os.Stat(filepath.Join(out, "web"))
	if errIndex != nil || errWeb != nil || !webSt.IsDir() {
		return fmt.Errorf("refusing to write into %s: it is not empty and does not hold a previous build", out)
	}
	for _, en := range entries {
		if err := os.RemoveAll(filepath.Join(out, en.Name())); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the regular files under src into dst, leaving out dot files.
func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(target, p)
	})
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	outf, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outf, in); err != nil {
		outf.Close()
		return err
	}
	if err := outf.Close(); err != nil {
		return err
	}
	// Keep the time, so that the variants stay as fresh as the wasm.
	return os.Chtimes(dst, st.ModTime(), st.ModTime())
}
