package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// wasmLayout is what a wasm file is made of: its code section by origin
// (the Go linker's function names, in the "name" section, say where each
// function comes from) and its data section (Go's read-only data: type
// descriptors, function tables, strings, embedded files).
type wasmLayout struct {
	code  map[string]int64 // by origin, see origins
	std   map[string]int64 // the standard library's code by package
	data  int64
	names int64 // the name section itself
	total int64

	// droppedNames is the name section of the same program built with
	// its names, when this file has none.
	droppedNames int64
}

// origins groups functions by where they come from; the first prefix that
// matches wins. Go's wasm names write "/" as "_" and "(*T)" as "__T_".
var origins = []struct{ label, prefix string }{
	{"miplay engine/shell", "github.com_miplay_miplay_engine_shell."},
	{"miplay engine/azure", "github.com_miplay_miplay_engine_azure."},
	{"miplay engine, token, rbac", "github.com_miplay_miplay_engine"},
	{"miplay app (UI)", "github.com_miplay_miplay_app"},
	{"miplay scenarios", "github.com_miplay_miplay_scenarios"},
	{"miplay (other)", "github.com_miplay_miplay"},
	{"gojq and timefmt (jq)", "github.com_itchyny_"},
	{"mvdan.cc/sh (shell)", "mvdan.cc_sh_"},
	{"go.yaml.in/yaml (front matter)", "go.yaml.in_yaml_"},
	{"goldmark (Markdown)", "github.com_yuin_goldmark"},
	{"go-jmespath (--query)", "github.com_jmespath_community"},
	{"golang-jwt", "github.com_golang_jwt"},
	{"go-indexeddb, safejs", "github.com_hack_pad"},
	{"go-app", "github.com_maxence_charriere"},
	{"Go runtime", "runtime."},
	{"other modules", "github.com_"},
	{"other modules", "golang.org_"},
}

func originOf(name string) string {
	name = strings.TrimPrefix(name, "type_.eq.")
	name = strings.TrimPrefix(name, "type_.hash.")
	for _, o := range origins {
		if strings.HasPrefix(name, o.prefix) {
			return o.label
		}
	}
	return "Go standard library"
}

// readShippedLayout reads the layout of the wasm file shipped. If named is
// not "", it is the same program built with its function names: shipped
// has none (-ldflags=-s), so the code's origins are read from named, whose
// functions are the same (a few data addresses in them differ: -ldflags
// is in the build information, a string in the data).
func readShippedLayout(shipped, named string) (*wasmLayout, error) {
	l, err := readWasmLayout(shipped)
	if err != nil || named == "" {
		return l, err
	}
	n, err := readWasmLayout(named)
	if err != nil {
		return nil, err
	}
	if l.names == 0 {
		n.droppedNames = n.names
	}
	n.names, n.total, n.data = l.names, l.total, l.data
	return n, nil
}

// readWasmLayout parses the sections of a wasm file.
func readWasmLayout(file string) (*wasmLayout, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, fmt.Errorf("%s is not WebAssembly", file)
	}
	l := &wasmLayout{code: map[string]int64{}, std: map[string]int64{}, total: int64(len(b))}
	r := &wasmReader{b: b, i: 8}
	var bodies []int64
	names := map[int]string{}
	imports := 0
	for r.i < len(b) && r.err == nil {
		id := r.byte()
		n := int(r.uleb())
		start := r.i
		if start+n > len(b) {
			return nil, fmt.Errorf("%s: section %d runs past the end", file, id)
		}
		switch id {
		case 0: // custom
			sub := &wasmReader{b: b[:start+n], i: start}
			if sub.name() == "name" {
				l.names = int64(n)
				for sub.i < start+n && sub.err == nil {
					kind := sub.byte()
					size := int(sub.uleb())
					end := sub.i + size
					if kind == 1 { // function names
						for range int(sub.uleb()) {
							idx := int(sub.uleb())
							names[idx] = sub.name()
						}
					}
					sub.i = end
				}
			}
		case 2: // imports: functions among them shift the function indexes
			sub := &wasmReader{b: b[:start+n], i: start}
			for range int(sub.uleb()) {
				sub.name()
				sub.name()
				switch sub.byte() {
				case 0:
					sub.uleb()
					imports++
				case 1:
					sub.byte()
					sub.limits()
				case 2:
					sub.limits()
				case 3:
					sub.byte()
					sub.byte()
				}
			}
		case 10: // code
			sub := &wasmReader{b: b[:start+n], i: start}
			for range int(sub.uleb()) {
				size := int(sub.uleb())
				bodies = append(bodies, int64(size))
				sub.i += size
			}
		case 11: // data
			l.data = int64(n)
		}
		r.i = start + n
	}
	if r.err != nil {
		return nil, fmt.Errorf("%s: %v", file, r.err)
	}
	for i, size := range bodies {
		name := names[imports+i]
		o := originOf(name)
		l.code[o] += size
		if o == "Go standard library" {
			name = strings.TrimPrefix(strings.TrimPrefix(name, "type_.eq."), "type_.hash.")
			if dot := strings.Index(name, "."); dot > 0 {
				name = name[:dot]
			}
			l.std[strings.ReplaceAll(name, "_", "/")] += size
		}
	}
	return l, nil
}

type wasmReader struct {
	b   []byte
	i   int
	err error
}

var errShort = errors.New("truncated")

func (r *wasmReader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errShort
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *wasmReader) uleb() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 || r.err != nil {
			return v
		}
	}
	return v
}

func (r *wasmReader) name() string {
	n := int(r.uleb())
	if r.err != nil || r.i+n > len(r.b) {
		r.err = errShort
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

func (r *wasmReader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

// addLayout adds a section to the table: app.wasm's code by origin, its
// largest first, beside the hello page's, and the data section.
func addLayout(t *table, ours, floor *wasmLayout) {
	const s = "What app.wasm holds (uncompressed): code by origin, then data"
	type kv struct {
		k string
		v int64
	}
	var l []kv
	for k, v := range ours.code {
		l = append(l, kv{k, v})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
	for _, e := range l {
		t.add(s, row{Figure: "code: " + e.k, Ours: float64(e.v), Base: float64(floor.code[e.k]), BaseName: "hello", Unit: unitBytes})
	}
	t.add(s, row{Figure: "data: types, function tables, strings, embedded files", Ours: float64(ours.data), Base: float64(floor.data), BaseName: "hello", Unit: unitBytes})
	if ours.names > 0 || floor.names > 0 {
		t.add(s, row{Figure: "function names (the name section)", Ours: float64(ours.names), Base: float64(floor.names), BaseName: "hello", Unit: unitBytes})
	}
	if ours.droppedNames > 0 {
		t.note("Both app.wasm files are built with -ldflags=-s, which leaves out the name section (function names: %s, and the hello page's %s); the code by origin is read from builds that keep it, whose functions are the same",
			unitBytes.format(float64(ours.droppedNames)), unitBytes.format(float64(floor.droppedNames)))
	}

	l = l[:0]
	for k, v := range ours.std {
		l = append(l, kv{k, v - floor.std[k]})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
	var parts []string
	for _, e := range l[:min(12, len(l))] {
		parts = append(parts, fmt.Sprintf("%s +%s", e.k, unitBytes.format(float64(e.v))))
	}
	t.note("Standard-library code beyond the hello page's, largest first: %s", strings.Join(parts, ", "))
}
