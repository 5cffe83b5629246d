//go:build !wasm

package assets

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// Encodings the server can send, best first, with the file suffix of each
// precompressed variant.
var encodings = []struct{ name, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// Brotli qualities. On an 8 MB app.wasm, in pure Go, quality 9 takes about a
// second and quality 11 about 18 seconds for a file 12% smaller: 9 suits the
// edit-build-reload loop, 11 a static build that is published.
const (
	BrotliFast = 9
	BrotliBest = 11
)

// Sizes are the byte sizes of a file and its precompressed variants.
type Sizes struct {
	Raw, Gzip, Brotli int64
}

func (s Sizes) String() string {
	return fmt.Sprintf("raw %s, gzip %s, brotli %s", human(s.Raw), human(s.Gzip), human(s.Brotli))
}

func human(n int64) string {
	return fmt.Sprintf("%.2f MB", float64(n)/1e6)
}

// Precompress writes name.br (at the given brotli quality, 0 to 11) and
// name.gz beside name. Each is written to a temporary file and renamed into
// place, so a server never sees half a file.
func Precompress(name string, quality int) (Sizes, error) {
	var sz Sizes
	src, err := os.ReadFile(name)
	if err != nil {
		return sz, err
	}
	sz.Raw = int64(len(src))
	sz.Brotli, err = writeAtomic(name+".br", func(w io.Writer) error {
		bw := brotli.NewWriterLevel(w, quality)
		if _, err := bw.Write(src); err != nil {
			return err
		}
		return bw.Close()
	})
	if err != nil {
		return sz, err
	}
	sz.Gzip, err = writeAtomic(name+".gz", func(w io.Writer) error {
		gw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := gw.Write(src); err != nil {
			return err
		}
		return gw.Close()
	})
	return sz, err
}

func writeAtomic(name string, write func(io.Writer) error) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return 0, fmt.Errorf("writing %s: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return 0, err
	}
	return st.Size(), os.Rename(f.Name(), name)
}

// Stat returns the sizes of name and of its precompressed variants (zero for a
// missing or stale variant).
func Stat(name string) (Sizes, error) {
	st, err := os.Stat(name)
	if err != nil {
		return Sizes{}, err
	}
	sz := Sizes{Raw: st.Size()}
	if v, ok := variant(name, ".gz", st); ok {
		sz.Gzip = v.Size()
	}
	if v, ok := variant(name, ".br", st); ok {
		sz.Brotli = v.Size()
	}
	return sz, nil
}

// variant returns the precompressed variant of name with the suffix, if it
// exists and is not older than name.
func variant(name, suffix string, orig fs.FileInfo) (fs.FileInfo, bool) {
	st, err := os.Stat(name + suffix)
	if err != nil || !st.Mode().IsRegular() || st.ModTime().Before(orig.ModTime()) {
		return nil, false
	}
	return st, true
}

// precompressed reports whether a file is a precompressed variant.
func precompressed(name string) bool {
	for _, e := range encodings {
		if strings.HasSuffix(name, e.suffix) {
			return true
		}
	}
	return false
}

// Version returns a short hash of the files under dir (the precompressed
// variants aside, as they follow from the rest). go-app uses it as the app
// version: a browser downloads app.wasm again, and the service worker
// refreshes its cache, exactly when it changes.
func Version(dir string) (string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !precompressed(p) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		rel, _ := filepath.Rel(dir, n)
		f, err := os.Open(n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20], nil
}

// Negotiate returns the content coding to send, out of those in
// available ("br", "gzip"), for a request's Accept-Encoding header; "" means
// send the file as it is. The server's order (br, then gzip) breaks ties
// between codings the client accepts equally.
func Negotiate(acceptEncoding string, available map[string]bool) string {
	q := map[string]float64{}
	for _, part := range strings.Split(acceptEncoding, ",") {
		fields := strings.Split(part, ";")
		coding := strings.ToLower(strings.TrimSpace(fields[0]))
		if coding == "" {
			continue
		}
		weight := 1.0
		for _, p := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					weight = f
				}
			}
		}
		q[coding] = weight
	}
	best, bestQ := "", 0.0
	for _, e := range encodings {
		if !available[e.name] {
			continue
		}
		w, ok := q[e.name]
		if !ok {
			w, ok = q["*"]
		}
		if ok && w > bestQ {
			best, bestQ = e.name, w
		}
	}
	return best
}

// Dir serves the web directory to go-app: it is both the app.ResourceResolver
// and the http.Handler for paths under /web/. go-app hands it every request
// for /web/... (including /web/app.wasm, which app.js fetches), so it is
// where the precompressed variants are chosen.
type Dir struct {
	path  string
	files http.Handler
}

// NewDir returns a Dir for the directory at path.
func NewDir(path string) *Dir {
	return &Dir{path: path, files: http.StripPrefix("/web", http.FileServer(http.Dir(path)))}
}

// Resolve maps a resource path as go-app's LocalDir("") does: /web/... stays
// /web/..., and so does everything else.
func (d *Dir) Resolve(location string) string {
	if location == "" {
		return "/"
	}
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		return location
	}
	if location == "web" || strings.HasPrefix(location, "web/") {
		return "/" + location
	}
	return location
}

// ServeHTTP serves a file under /web/. A file with fresh precompressed
// variants (name.br, name.gz) is sent in the best coding the client accepts,
// with Content-Encoding and Vary set, and otherwise as it is. Directories are
// not listed.
func (d *Dir) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rel := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, "/web")), "/")
	if rel == "" || rel == "." || strings.HasSuffix(r.URL.Path, "/") {
		http.NotFound(w, r)
		return
	}
	name := filepath.Join(d.path, filepath.FromSlash(rel))
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() {
		if err == nil || os.IsNotExist(err) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "cannot read "+rel, http.StatusInternalServerError)
		return
	}
	if ct := ContentType(rel); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	available := map[string]bool{}
	for _, e := range encodings {
		if _, ok := variant(name, e.suffix, st); ok {
			available[e.name] = true
		}
	}
	if len(available) == 0 {
		d.files.ServeHTTP(w, r)
		return
	}
	w.Header().Add("Vary", "Accept-Encoding")
	coding := Negotiate(r.Header.Get("Accept-Encoding"), available)
	if coding == "" {
		d.files.ServeHTTP(w, r)
		return
	}
	suffix := ".br"
	if coding == "gzip" {
		suffix = ".gz"
	}
	f, err := os.Open(name + suffix)
	if err != nil {
		d.files.ServeHTTP(w, r)
		return
	}
	defer f.Close()
	vst, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read "+rel+suffix, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Encoding", coding)
	// The uncompressed size, for clients that want to show progress.
	w.Header().Set("X-Uncompressed-Length", strconv.FormatInt(st.Size(), 10))
	if r.Header.Get("Range") == "" {
		// ServeContent leaves Content-Length out when Content-Encoding is
		// set; for a whole file it is known, and lets the download show
		// progress and keep the connection.
		w.Header().Set("Content-Length", strconv.FormatInt(vst.Size(), 10))
	}
	http.ServeContent(w, r, rel, vst.ModTime(), f)
}

// ContentType returns the media type for a file name, with the ones that
// matter here fixed rather than left to the system's mime tables.
func ContentType(name string) string {
	switch path.Ext(name) {
	case ".wasm":
		return "application/wasm"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".webmanifest":
		return "application/manifest+json"
	}
	return mime.TypeByExtension(path.Ext(name))
}
