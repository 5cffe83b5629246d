package token

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"
)

// validateMemoSize bounds the answers a KeySet remembers.
const validateMemoSize = 4096

// validateMemo remembers Validate's answers. Validate is a pure function
// of the keys, the token and the expectations (the simulated time
// included), and replaying a scenario checks the same tokens at the same
// times again: every ARM call checks the caller's bearer token, and one
// RS256 verification with two JSON decodings costs about 4 ms in the
// browser. Stepping back replays the scenario, so without the memo it
// pays them all again (a quarter of a step back's time, make bench).
type validateMemo struct {
	mu    sync.Mutex
	cache map[[32]byte]validated
	order [][32]byte // keys, oldest first, as a ring once full
	next  int        // index in order of the oldest key once full
}

type validated struct {
	claims  Claims
	failure *Failure
}

// validateKey hashes what Validate's answer depends on, besides the keys.
func validateKey(raw string, want Expect) [32]byte {
	h := sha256.New()
	var b [8]byte
	field := func(s string) {
		binary.LittleEndian.PutUint64(b[:], uint64(len(s)))
		h.Write(b[:])
		h.Write([]byte(s))
	}
	field(raw)
	binary.LittleEndian.PutUint64(b[:], uint64(want.Now.UnixNano()))
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(want.skew()))
	h.Write(b[:])
	for _, list := range [][]string{want.Audiences, want.Issuers} {
		binary.LittleEndian.PutUint64(b[:], uint64(len(list)))
		h.Write(b[:])
		for _, s := range list {
			field(s)
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func (m *validateMemo) get(key [32]byte) (Claims, *Failure, bool) {
	m.mu.Lock()
	v, ok := m.cache[key]
	m.mu.Unlock()
	if !ok {
		return Claims{}, nil, false
	}
	return v.copy()
}

func (m *validateMemo) put(key [32]byte, c Claims, f *Failure) {
	v := validated{claims: c, failure: f}
	v.claims, v.failure, _ = v.copy() // the caller gets the originals
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cache == nil {
		m.cache = make(map[[32]byte]validated)
	}
	if _, ok := m.cache[key]; ok {
		return
	}
	if len(m.order) < validateMemoSize {
		m.order = append(m.order, key)
	} else {
		delete(m.cache, m.order[m.next])
		m.order[m.next] = key
		m.next = (m.next + 1) % validateMemoSize
	}
	m.cache[key] = v
}

// copy returns the answer with nothing shared with the memo, so that a
// caller can change what it gets.
func (v validated) copy() (Claims, *Failure, bool) {
	c := v.claims
	c.Roles = slices.Clone(c.Roles)
	var f *Failure
	if v.failure != nil {
		fc := *v.failure
		fc.Claims.Roles = slices.Clone(fc.Claims.Roles)
		f = &fc
	}
	return c, f, true
}
