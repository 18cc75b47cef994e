// tlogcheck: checks haulgate's checkpoints and proofs with Go's own
// golang.org/x/mod/sumdb/note and sumdb/tlog, code nobody at haulgate wrote.
//
// Usage:
//
//	tlogcheck -key VKEY [-key VKEY ...] -note FILE [-note FILE ...]
//	          [-origin ORIGIN] [-leaves FILE] [PROOF.json ...]
//
// Each note is opened with note.Open against the verifier keys
// (name+keyid+base64 key) and must carry a good signature by every one of
// them: the station's, and the plant's cosignature when its key is given.
// Its text must be a C2SP tlog-checkpoint (origin, size, base64 root);
// -origin, when given, is the origin it must name.  Two notes of one size
// must have one root.
//
// Each proof file is JSON, as `haulgate-potw proof` prints it:
//
//	{"index": N-1, "size": S, "hash": "<base64 chain hash of event N>",
//	 "hashes": ["<base64>", ...]}                  an inclusion proof
//	{"from": M, "to": N, "hashes": ["<base64>", ...]}  a consistency proof
//
// "hash" is the event's chain hash, the leaf's data: its RFC 6962 leaf
// hash is tlog.RecordHash(hash).  An inclusion proof is checked with
// tlog.CheckRecord against the root of a given note of size S; a
// consistency proof with tlog.CheckTree against the roots of the notes of
// sizes M and N.
//
// -leaves names a file of every event's chain hash, one base64 per line, in
// order: the root of every note is then recomputed from them by
// tlog.StoredHashes and tlog.TreeHash, and every proof must be the very
// proof tlog.ProveRecord or tlog.ProveTree makes from them.
//
// One line per check ("ok ..." or "FAIL ..."); exit status 0 when all
// hold, 1 when one does not, 2 when the command line or a file is unusable.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

type proofJSON struct {
	Event  *int64   `json:"event"`
	Index  *int64   `json:"index"`
	Size   *int64   `json:"size"`
	Hash   *string  `json:"hash"`
	From   *int64   `json:"from"`
	To     *int64   `json:"to"`
	Hashes []string `json:"hashes"`
}

var failed bool

func fail(format string, args ...interface{}) {
	failed = true
	fmt.Printf("FAIL "+format+"\n", args...)
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+format+"\n", args...)
	os.Exit(2)
}

// parseCheckpoint reads a C2SP tlog-checkpoint text: origin, size (decimal,
// no leading zeros), base64 root of 32 bytes, then non-empty extension lines.
func parseCheckpoint(text string) (origin string, size int64, root tlog.Hash, err error) {
	if !strings.HasSuffix(text, "\n") {
		return "", 0, root, fmt.Errorf("the checkpoint does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return "", 0, root, fmt.Errorf("the checkpoint has %d lines, not 3", len(lines))
	}
	if lines[0] == "" {
		return "", 0, root, fmt.Errorf("the checkpoint's origin is empty")
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || lines[1] != strconv.FormatInt(size, 10) {
		return "", 0, root, fmt.Errorf("the checkpoint's size %q is not a tree size", lines[1])
	}
	root, err = tlog.ParseHash(lines[2])
	if err != nil {
		return "", 0, root, fmt.Errorf("the checkpoint's root %q: %v", lines[2], err)
	}
	for i, l := range lines[3:] {
		if l == "" {
			return "", 0, root, fmt.Errorf("the checkpoint's line %d is empty", i+4)
		}
	}
	return lines[0], size, root, nil
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, 0, len(list))
	for i, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			return nil, fmt.Errorf("hashes[%d]: %v", i, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// store holds what tlog.StoredHashes asks to keep, for TreeHash and Prove*.
type store []tlog.Hash

func (s *store) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= int64(len(*s)) {
			return nil, fmt.Errorf("no stored hash %d", x)
		}
		out[i] = (*s)[x]
	}
	return out, nil
}

func readLeaves(path string) (*store, int64) {
	f, err := os.Open(path)
	if err != nil {
		fatal("%v", err)
	}
	defer f.Close()
	s := &store{}
	var n int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		data, err := base64.StdEncoding.DecodeString(sc.Text())
		if err != nil || len(data) != 32 {
			fatal("%s line %d: not the base64 of a 32-byte chain hash", path, n+1)
		}
		hs, err := tlog.StoredHashes(n, data, s)
		if err != nil {
			fatal("%s: %v", path, err)
		}
		*s = append(*s, hs...)
		n++
	}
	if err := sc.Err(); err != nil {
		fatal("%s: %v", path, err)
	}
	return s, n
}

func sameProof(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func main() {
	var keys, notes list
	flag.Var(&keys, "key", "a verifier key (name+keyid+base64 key) every note must be signed by")
	flag.Var(&notes, "note", "a signed checkpoint")
	origin := flag.String("origin", "", "the origin every checkpoint must name")
	leavesPath := flag.String("leaves", "", "every event's chain hash, base64, one a line")
	flag.Parse()
	if len(keys) == 0 || len(notes) == 0 {
		fatal("usage: tlogcheck -key VKEY... -note FILE... [-origin O] [-leaves FILE] [PROOF.json...]")
	}

	var verifiers []note.Verifier
	for _, k := range keys {
		v, err := note.NewVerifier(k)
		if err != nil {
			fatal("verifier key %q: %v", k, err)
		}
		verifiers = append(verifiers, v)
	}
	known := note.VerifierList(verifiers...)

	var leaves *store
	var nleaves int64
	if *leavesPath != "" {
		leaves, nleaves = readLeaves(*leavesPath)
	}

	roots := map[int64]tlog.Hash{}
	for _, path := range notes {
		msg, err := os.ReadFile(path)
		if err != nil {
			fatal("%v", err)
		}
		n, err := note.Open(msg, known)
		if err != nil {
			fail("note %s: %v", path, err)
			continue
		}
		missing := ""
		for _, v := range verifiers {
			signed := false
			for _, s := range n.Sigs {
				if s.Name == v.Name() && s.Hash == v.KeyHash() {
					signed = true
				}
			}
			if !signed {
				missing += " " + v.Name()
			}
		}
		if missing != "" {
			fail("note %s: not signed by%s", path, missing)
			continue
		}
		o, size, root, err := parseCheckpoint(n.Text)
		if err != nil {
			fail("note %s: %v", path, err)
			continue
		}
		if *origin != "" && o != *origin {
			fail("note %s: origin %q, not %q", path, o, *origin)
			continue
		}
		if old, ok := roots[size]; ok && old != root {
			fail("note %s: another checkpoint of size %d has another root", path, size)
			continue
		}
		if leaves != nil {
			if size > nleaves {
				fail("note %s: size %d, but only %d leaves given", path, size, nleaves)
				continue
			}
			// RFC 6962's empty tree is SHA-256(""); tlog.TreeHash(0) is zeros
			want, err := tlog.Hash(sha256.Sum256(nil)), error(nil)
			if size > 0 {
				want, err = tlog.TreeHash(size, leaves)
			}
			if err != nil || want != root {
				fail("note %s: root %v, but the leaves make %v (%v)", path, root, want, err)
				continue
			}
		}
		roots[size] = root
		fmt.Printf("ok note %s: %s, size %d, root %v, signed by %d keys\n", path, o, size, root, len(n.Sigs))
	}

	for _, path := range flag.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			fatal("%v", err)
		}
		var p proofJSON
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			fail("proof %s: not the JSON of a proof: %v", path, err)
			continue
		}
		proof, err := hashes(p.Hashes)
		if err != nil {
			fail("proof %s: %v", path, err)
			continue
		}
		switch {
		case p.Index != nil && p.Size != nil && p.Hash != nil && p.From == nil && p.To == nil:
			idx, size := *p.Index, *p.Size
			if p.Event != nil && *p.Event != idx+1 {
				fail("proof %s: event %d is not leaf index %d + 1", path, *p.Event, idx)
				continue
			}
			data, err := base64.StdEncoding.DecodeString(*p.Hash)
			if err != nil || len(data) != 32 {
				fail("proof %s: \"hash\" is not the base64 of a 32-byte chain hash", path)
				continue
			}
			root, ok := roots[size]
			if !ok {
				fail("proof %s: no good checkpoint of size %d given", path, size)
				continue
			}
			if err := tlog.CheckRecord(proof, size, root, idx, tlog.RecordHash(data)); err != nil {
				fail("proof %s: leaf %d in tree %d: %v", path, idx, size, err)
				continue
			}
			if leaves != nil {
				own, err := tlog.ProveRecord(size, idx, leaves)
				if err != nil || !sameProof(own, proof) {
					fail("proof %s: not the proof tlog.ProveRecord makes (%v)", path, err)
					continue
				}
			}
			fmt.Printf("ok inclusion %s: leaf %d in tree %d (%d hashes)\n", path, idx, size, len(proof))
		case p.From != nil && p.To != nil && p.Index == nil && p.Size == nil && p.Hash == nil:
			from, to := *p.From, *p.To
			r1, ok1 := roots[from]
			r2, ok2 := roots[to]
			if !ok1 || !ok2 {
				fail("proof %s: no good checkpoints of sizes %d and %d given", path, from, to)
				continue
			}
			if err := tlog.CheckTree(proof, to, r2, from, r1); err != nil {
				fail("proof %s: tree %d extends tree %d: %v", path, to, from, err)
				continue
			}
			if leaves != nil {
				own, err := tlog.ProveTree(to, from, leaves)
				if err != nil || !sameProof(own, proof) {
					fail("proof %s: not the proof tlog.ProveTree makes (%v)", path, err)
					continue
				}
			}
			fmt.Printf("ok consistency %s: tree %d extends tree %d (%d hashes)\n", path, to, from, len(proof))
		default:
			fail("proof %s: neither {index, size, hash, hashes} nor {from, to, hashes}", path)
		}
	}
	if failed {
		os.Exit(1)
	}
}
