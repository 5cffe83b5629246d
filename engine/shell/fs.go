package shell

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"mvdan.cc/sh/v3/interp"
)

// Errors worded as bash words them, because the interpreter prints a
// *fs.PathError as "Op Path: Err" (see pathError).
var (
	errNotExist = errors.New("No such file or directory")
	errIsDir    = errors.New("Is a directory")
	errNotDir   = errors.New("Not a directory")
	errDenied   = errors.New("Permission denied")
)

// memFS is a host's in-memory file system. Nothing ever touches the real
// one: redirections, `cat`, `test -f` and globbing all land here.
type memFS struct {
	mu    sync.Mutex
	files map[string]*memFile
	dirs  map[string]time.Time
	now   func() time.Time // the simulated clock
}

type memFile struct {
	data    []byte
	modTime time.Time
}

func newMemFS(home string, now func() time.Time) *memFS {
	m := &memFS{files: map[string]*memFile{}, dirs: map[string]time.Time{}, now: now}
	t := now()
	for _, d := range []string{"/", "/home", home, "/tmp", "/dev", "/etc", "/usr", "/usr/bin", "/bin", "/root", "/var", "/var/tmp"} {
		m.dirs[d] = t
	}
	return m
}

// pathError makes the interpreter print "bash: NAME: problem", as bash does.
func pathError(name string, err error) error {
	return &fs.PathError{Op: "bash:", Path: name, Err: err}
}

func clean(dir, name string) string {
	if !path.IsAbs(name) {
		name = path.Join(dir, name)
	}
	return path.Clean(name)
}

// open serves the interpreter's redirections.
func (m *memFS) open(ctx context.Context, name string, flag int, _ fs.FileMode) (io.ReadWriteCloser, error) {
	hc := interp.HandlerCtx(ctx)
	p := clean(hc.Dir, name)
	switch p {
	case "/dev/null":
		return nullFile{}, nil
	case "/dev/stdout":
		return writeOnly{hc.Stdout}, nil
	case "/dev/stderr":
		return writeOnly{hc.Stderr}, nil
	case "/dev/stdin":
		if hc.Stdin == nil {
			return nullFile{}, nil
		}
		return readOnly{hc.Stdin}, nil
	}
	write := flag&(syscall.O_WRONLY|syscall.O_RDWR) != 0
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dirs[p]; ok {
		return nil, pathError(name, errIsDir)
	}
	f, ok := m.files[p]
	if !write {
		if !ok {
			return nil, pathError(name, errNotExist)
		}
		return readOnly{bytes.NewReader(bytes.Clone(f.data))}, nil
	}
	if err := m.parentOK(p); err != nil {
		return nil, pathError(name, err)
	}
	if !ok {
		if flag&syscall.O_CREAT == 0 {
			return nil, pathError(name, errNotExist)
		}
		f = &memFile{}
		m.files[p] = f
	}
	if flag&syscall.O_TRUNC != 0 {
		f.data = nil
	}
	f.modTime = m.now()
	return &memWriter{m: m, f: f}, nil
}

// parentOK reports why a file cannot be created at p, if it cannot.
func (m *memFS) parentOK(p string) error {
	dir := path.Dir(p)
	if _, ok := m.dirs[dir]; ok {
		return nil
	}
	if _, ok := m.files[dir]; ok {
		return errNotDir
	}
	return errNotExist
}

// ReadFile reads a file; name is absolute or relative to dir.
func (m *memFS) ReadFile(dir, name string) ([]byte, error) {
	p := clean(dir, name)
	if p == "/dev/null" {
		return nil, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dirs[p]; ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
	}
	f, ok := m.files[p]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotExist}
	}
	return bytes.Clone(f.data), nil
}

// WriteFile creates or replaces a file.
func (m *memFS) WriteFile(dir, name string, data []byte) error {
	p := clean(dir, name)
	if p == "/dev/null" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dirs[p]; ok {
		return &fs.PathError{Op: "open", Path: name, Err: errIsDir}
	}
	if err := m.parentOK(p); err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	m.files[p] = &memFile{data: bytes.Clone(data), modTime: m.now()}
	return nil
}

// Mkdir makes a directory; parents makes missing parents too.
func (m *memFS) Mkdir(dir, name string, parents bool) error {
	p := clean(dir, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[p]; ok {
		return &fs.PathError{Op: "mkdir", Path: name, Err: fs.ErrExist}
	}
	if _, ok := m.dirs[p]; ok {
		if parents {
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: name, Err: fs.ErrExist}
	}
	if !parents {
		if err := m.parentOK(p); err != nil {
			return &fs.PathError{Op: "mkdir", Path: name, Err: err}
		}
		m.dirs[p] = m.now()
		return nil
	}
	for q := p; q != "/"; q = path.Dir(q) {
		if _, ok := m.files[q]; ok {
			return &fs.PathError{Op: "mkdir", Path: name, Err: errNotDir}
		}
	}
	for q := p; q != "/"; q = path.Dir(q) {
		if _, ok := m.dirs[q]; !ok {
			m.dirs[q] = m.now()
		}
	}
	return nil
}

// Remove deletes a file, or an empty directory when dirs is set.
func (m *memFS) Remove(dir, name string, recursive bool) error {
	p := clean(dir, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[p]; ok {
		delete(m.files, p)
		return nil
	}
	if _, ok := m.dirs[p]; !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: errNotExist}
	}
	if !recursive {
		return &fs.PathError{Op: "remove", Path: name, Err: errIsDir}
	}
	if p == "/" {
		return &fs.PathError{Op: "remove", Path: name, Err: errDenied}
	}
	prefix := p + "/"
	for k := range m.files {
		if strings.HasPrefix(k, prefix) {
			delete(m.files, k)
		}
	}
	for k := range m.dirs {
		if k == p || strings.HasPrefix(k, prefix) {
			delete(m.dirs, k)
		}
	}
	return nil
}

// stat serves `test -f`, `cd` and friends.
func (m *memFS) stat(ctx context.Context, name string, _ bool) (fs.FileInfo, error) {
	hc := interp.HandlerCtx(ctx)
	return m.Stat(hc.Dir, name)
}

// Stat describes a file or directory.
func (m *memFS) Stat(dir, name string) (fs.FileInfo, error) {
	p := clean(dir, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.dirs[p]; ok {
		return fileInfo{name: path.Base(p), dir: true, mod: t}, nil
	}
	if f, ok := m.files[p]; ok {
		return fileInfo{name: path.Base(p), size: int64(len(f.data)), mod: f.modTime}, nil
	}
	if p == "/dev/null" || p == "/dev/stdout" || p == "/dev/stderr" || p == "/dev/stdin" {
		return fileInfo{name: path.Base(p), dev: true, mod: m.now()}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// access serves `test -r/-w/-x`: files are readable and writable by their
// owner; nothing created in the playground is executable, directories are.
func (m *memFS) access(ctx context.Context, name string, mode interp.AccessMode) error {
	fi, err := m.stat(ctx, name, true)
	if err != nil {
		return err
	}
	if mode&interp.AccessExec != 0 && !fi.IsDir() {
		return &fs.PathError{Op: "access", Path: name, Err: errDenied}
	}
	return nil
}

// readDir serves globbing.
func (m *memFS) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	hc := interp.HandlerCtx(ctx)
	infos, err := m.ReadDir(hc.Dir, name)
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, len(infos))
	for i, fi := range infos {
		out[i] = fs.FileInfoToDirEntry(fi)
	}
	return out, nil
}

// ReadDir lists a directory, sorted by name.
func (m *memFS) ReadDir(dir, name string) ([]fs.FileInfo, error) {
	p := clean(dir, name)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dirs[p]; !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotExist}
	}
	var out []fs.FileInfo
	for k, f := range m.files {
		if path.Dir(k) == p {
			out = append(out, fileInfo{name: path.Base(k), size: int64(len(f.data)), mod: f.modTime})
		}
	}
	for k, t := range m.dirs {
		if k != "/" && path.Dir(k) == p {
			out = append(out, fileInfo{name: path.Base(k), dir: true, mod: t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

type fileInfo struct {
	name     string
	size     int64
	dir, dev bool
	mod      time.Time
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) ModTime() time.Time { return fi.mod }
func (fi fileInfo) IsDir() bool        { return fi.dir }
func (fi fileInfo) Sys() any           { return nil }
func (fi fileInfo) Mode() fs.FileMode {
	switch {
	case fi.dir:
		return fs.ModeDir | 0o755
	case fi.dev:
		return fs.ModeDevice | fs.ModeCharDevice | 0o666
	}
	return 0o644
}

// memWriter appends to a file as it is written, so a later command in the
// same line sees what an earlier one wrote.
type memWriter struct {
	m *memFS
	f *memFile
}

func (w *memWriter) Write(b []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.f.data = append(w.f.data, b...)
	return len(b), nil
}
func (w *memWriter) Read([]byte) (int, error) { return 0, io.EOF }
func (w *memWriter) Close() error             { return nil }

type nullFile struct{}

func (nullFile) Read([]byte) (int, error)    { return 0, io.EOF }
func (nullFile) Write(b []byte) (int, error) { return len(b), nil }
func (nullFile) Close() error                { return nil }

type readOnly struct{ r io.Reader }

func (r readOnly) Read(b []byte) (int, error) { return r.r.Read(b) }
func (readOnly) Write([]byte) (int, error)    { return 0, errDenied }
func (readOnly) Close() error                 { return nil }

type writeOnly struct{ w io.Writer }

func (writeOnly) Read([]byte) (int, error)      { return 0, io.EOF }
func (w writeOnly) Write(b []byte) (int, error) { return w.w.Write(b) }
func (writeOnly) Close() error                  { return nil }
