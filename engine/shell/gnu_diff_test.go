package shell

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/miplay/miplay/engine/azure"
)

// TestGNUDifferential runs command lines both through the simulated
// terminal and through the real GNU tools of the machine running the
// test, and compares stdout, stderr and the exit status byte for byte. It
// needs GNU grep, sed and coreutils and the C.UTF-8 locale, so it runs
// only when MIPLAY_GNU_DIFF=1. (Debian's grep leaves out upstream's
// stray-backslash and egrep warnings; the cases avoid them.)
func TestGNUDifferential(t *testing.T) {
	if os.Getenv("MIPLAY_GNU_DIFF") != "1" {
		t.Skip("set MIPLAY_GNU_DIFF=1 to compare with the real GNU tools")
	}
	files := map[string]string{
		"n.txt":     "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n",
		"t.txt":     "a\n*a\nab\na+b\nd\n{x}\nA b\nfoo_bar baz\n(x)\na|b\nx.y\n",
		"ids.txt":   "vm-web\tSystemAssigned\t11111111-1111-1111-1111-111111111111\napp-orders\tUserAssigned\t\nfunc-jobs\tSystemAssigned, UserAssigned\t22222222\n",
		"noeol.txt": "alpha\nbeta",
		"nums.txt":  "10\n9\n-3\n2.5\n10\nabc\n  7\n1e3\n0x10\n",
		"words.txt": "pear\nApple\napple\nbanana\napple\n\nBanana\ncherry\ncherry\ncherry\n",
		"cols.txt":  "b 2 x\na 10 y\nc 1 z\na 2 w\n",
		"empty.txt": "",
	}
	lines := []string{
		// grep: syntax
		`grep a t.txt`, `grep -E 'a|b' t.txt`, `grep 'a\|b' t.txt`, `grep -F 'a|b' t.txt`, `grep 'a+b' t.txt`, `grep 'a\+b' t.txt`,
		`grep -E 'a+b' t.txt`, `grep '*a' t.txt`, `grep -E '(x)' t.txt`, `grep '(x)' t.txt`, `grep '\(x\)' t.txt`, `grep 'x.y' t.txt`,
		`grep -F x.y t.txt`, `grep 'x\.y' t.txt`, `grep '[[:upper:]]' t.txt`, `grep '^[^a]' t.txt`, `grep 'b$' t.txt`, `grep '{x}' t.txt`,
		`grep -E '{x}' t.txt`, `grep -E 'a{1,2}' t.txt`, `grep 'a\{2\}' t.txt`, `grep '\w\+_' t.txt`, `grep '\bbaz\b' t.txt`,
		`grep '\<b' t.txt`, `grep 'a\>' t.txt`, `grep '[]a]' t.txt`, `grep '[a-]' t.txt`, `grep -E 'a|' t.txt`, `grep -E '^(a|d)$' t.txt`,
		`grep -E 'a)' t.txt`, `grep -E 'x{0}a' t.txt`, `grep '\s' t.txt`, `grep -E '\S+ \S+' t.txt`, `grep '[[:space:]]' t.txt`,
		// grep: errors
		`grep '[' t.txt`, `grep '[a' t.txt`, `grep 'a\{1' t.txt`, `grep 'a\{x\}' t.txt`, `grep '\(a' t.txt`, `grep 'a\)' t.txt`,
		`grep -E '(a' t.txt`, `grep -E 'a{2,1}' t.txt`, `grep -E 'a{}' t.txt`, `grep '[[:foo:]]' t.txt`, `grep '[b-a]' t.txt`,
		`grep '[:space:]' t.txt`, `grep 'a\' t.txt`, `grep -E 'a{99999}' t.txt`, `grep '[[.space.]]' t.txt`, `grep -E '*a' t.txt`,
		`grep -E '+a|?b' t.txt`, `grep -E '{1}a' t.txt`, `grep 'a\1' t.txt`,
		// grep: options
		`grep -i APPLE words.txt`, `grep -v a words.txt`, `grep -c a words.txt`, `grep -c a words.txt n.txt`, `grep -q apple words.txt`,
		`grep -q zzz words.txt`, `grep -n an words.txt`, `grep -o an words.txt`, `grep -on 'an\|ch' words.txt`, `grep -w apple words.txt`,
		`grep -ow 'a[a-z]*' words.txt`, `grep -x apple words.txt`, `grep -l e words.txt n.txt t.txt`, `grep -L e words.txt n.txt t.txt`,
		`grep -L zzz n.txt`, `grep -H e n.txt`, `grep -h e n.txt words.txt`, `grep -m2 e n.txt`, `grep -m 0 e n.txt nosuch`,
		`grep -m -1 e n.txt`, `grep -e one -e two n.txt`, `grep $'one\ntwo' n.txt`, `grep -A1 four n.txt`, `grep -B2 four n.txt`,
		`grep -C1 -n -e two -e six n.txt`, `grep -2 five n.txt`, `grep -A0 e n.txt`, `grep -A1 -m1 e n.txt`, `grep -A2 -m1 t n.txt`,
		`grep -A1 one n.txt n.txt`, `grep --group-separator=XX -A0 e n.txt`, `grep --no-group-separator -A0 e n.txt`,
		`grep -c -v e n.txt`, `grep -vn e - < n.txt`, `grep e nosuch n.txt`, `grep -s e nosuch n.txt`, `grep -q e nosuch n.txt`,
		`grep -q e n.txt nosuch`, `grep e /tmp`, `grep -d skip e /tmp`, `grep`, `grep -k e n.txt`, `grep --foo e n.txt`, `grep -e`,
		`grep -A x e n.txt`, `grep -m x e n.txt`, `grep -E -F a t.txt`, `grep -E -E a t.txt`, `grep -f nosuch n.txt`,
		`grep -f empty.txt n.txt`, `grep -iw 'a b' t.txt`, `grep -x -e two -e 'th.*' n.txt`, `grep a noeol.txt`, `grep -c '' noeol.txt`,
		`grep '' empty.txt`, `grep -v '' n.txt`, `grep -w '' t.txt`, `grep -o 'b*' words.txt`, `grep -P 'a' t.txt`,
		`printf 'a\0b\nab\n' | grep a`, `printf 'a\0b\nab\n' | grep -c a`, `printf 'ab\n\377b\nb\n' | grep b`, `printf 'ab\n\377b\n' | grep -o b`,
		`printf 'a\0b\nab\n' | grep -a -c a`, `grep --label=in -H a - < t.txt`, `grep -l a - < t.txt`, `cat n.txt | grep -n o`,
		`grep -P '\d+' nums.txt`, `grep -oP '\d+\.\d+' nums.txt`, `grep -P 'a\\b' t.txt`, `grep -P -e a -e b t.txt`,
		`grep -w '^one' n.txt`, `grep -w 'o.e' n.txt`, `grep '\<t[a-z]*' n.txt`, `grep -o '\<t[a-z]*\>' n.txt`,
		`grep -E '\<(one|two)\>' n.txt`, `grep -i '[[:upper:]]' n.txt`, `grep -c '^$' words.txt`, `grep -n '^$' words.txt`,
		`grep -x '' words.txt`, `grep 'x*\{2\}' t.txt`, `grep -ic BANANA words.txt`, `grep -wo 'a.' t.txt`, `grep -w 'b' t.txt`,
		`grep -w -e a -e 'a b' t.txt`, `grep -ow '[a-z]*' t.txt`, `grep -E '(a|ab)(c|bcd)' t.txt`, `grep -oE 'a|ab' t.txt`,
		`grep -o '[0-9]*' nums.txt`, `grep -E '^-?[0-9]+$' nums.txt`, `grep -vc '[0-9]' nums.txt`, `grep -F -x -f words.txt words.txt`,
		`grep -F -e '' -e zz n.txt`, `grep -Fw e n.txt`, `grep -Fi ONE n.txt`, `grep -Fo e n.txt`, `grep -e a -f nosuch t.txt`,
		// sort, uniq, tail, tee, seq
		`sort words.txt`, `sort -r words.txt`, `sort -f words.txt`, `sort -u words.txt`, `sort -fu words.txt`, `sort -n nums.txt`,
		`sort -rn nums.txt`, `sort -nu nums.txt`, `sort -k2 cols.txt`, `sort -k2n cols.txt`, `sort -k2,2n -k1,1 cols.txt`,
		`sort -k2,2nr cols.txt`, `sort -t' ' -k3 cols.txt`, `sort -k1.2 cols.txt`, `sort -s -k1,1 cols.txt`, `sort -b -k2 cols.txt`,
		`sort -t: -k2 ids.txt`, `printf 'b\tx\na\ty\n' | sort -k2`, `sort -u -k1,1 cols.txt`, `sort nosuch`, `sort -Q n.txt`,
		`sort -k x n.txt`, `sort -k0 n.txt`, `sort -k1.0 n.txt`, `sort -k1,0 n.txt`, `sort -k1x n.txt`, `sort -t ab n.txt`,
		`sort -t '' n.txt`, `sort noeol.txt words.txt`, `sort -o out.txt n.txt && cat out.txt`, `sort empty.txt`, `sort -n -r -u nums.txt`,
		`printf '10\n9\n1e3\n-0\n0\n.5\n-.5\n' | sort -n`, `printf 'B\na\nb\nA\n' | sort`, `printf 'b\na\n' | sort -r -k1`,
		`sort -k2.2,2.3 cols.txt`, `sort -k2b,2 cols.txt`, `printf 'x  b\ny a\nz   c\n' | sort -k2`, `printf 'x  b\ny a\nz   c\n' | sort -k2b`,
		`printf 'x  b\ny a\nz   c\n' | sort -b -k2`, `printf 'a,3\nb,10\nc,2\n' | sort -t, -k2n`, `printf 'a,3\nb,10\nc,2\n' | sort -t, -k2,2 -r`,
		`sort -k3,3 -k1,1r cols.txt`, `sort -k1,1 -k2,2n -u cols.txt`, `sort -nk2 cols.txt`, `sort -k2.1n,2.1 cols.txt`,
		`uniq words.txt`, `uniq -c words.txt`, `uniq -d words.txt`, `uniq -u words.txt`, `uniq -D words.txt`, `uniq -i words.txt`,
		`uniq -ic words.txt`, `sort words.txt | uniq -c | sort -rn`, `uniq -f1 cols.txt`, `uniq -s1 cols.txt`, `uniq -w1 cols.txt`,
		`uniq nosuch`, `uniq -k`, `uniq a b c`, `uniq noeol.txt`, `uniq -cD words.txt`,
		`tail n.txt`, `tail -n 3 n.txt`, `tail -3 n.txt`, `tail +8 n.txt`, `tail -n +8 n.txt`, `tail -c 4 n.txt`, `tail -c +40 n.txt`,
		`tail -n 1 noeol.txt`, `tail -n 0 n.txt`, `tail -n 2 n.txt noeol.txt`, `tail -q -n1 n.txt noeol.txt`, `tail nosuch`,
		`tail -n x n.txt`, `tail -n 100 noeol.txt`, `cat n.txt | tail -2`, `tail -1 empty.txt`,
		`echo hi | tee a.txt b.txt && cat a.txt b.txt`, `echo more | tee -a a.txt >/dev/null; echo x | tee a.txt; cat a.txt`,
		`echo hi | tee /nonexist/x`, `echo hi | tee`,
		`seq 5`, `seq 3 6`, `seq 1 3 10`, `seq 10 -3 1`, `seq 0 0.1 0.3`, `seq -w 8 10`, `seq -w 0 0.5 1.5`, `seq -s, 3`,
		`seq -s ' + ' 1 4`, `seq -5 -3`, `seq 3 1`, `seq 5.`, `seq .5 2`, `seq 1 0.25 2`, `seq 1 2 1.5`, `seq -w -3 3`, `seq -w 1 0.5 3`,
		`seq`, `seq x`, `seq 1 0 3`, `seq 1 2 3 4`, `seq 1 0.0 2`, `seq -- 2`, `seq +3`,
		// sed
		`sed 's/o/0/' n.txt`, `sed 's/o/0/g' n.txt`, `sed -n '/e/p' n.txt`, `sed -n '2p' n.txt`, `sed -n '$p' n.txt`, `sed '1d' n.txt`,
		`sed '2,4d' n.txt`, `sed -n '/two/,/four/p' n.txt`, `sed -n '2,/e/p' n.txt`, `sed '3q' n.txt`, `sed '3Q' n.txt`, `sed -n '$=' n.txt`,
		`sed '2q5' n.txt`, `sed '1!d' n.txt`, `sed -n '1~3p' n.txt`, `sed -n '2,+2p' n.txt`, `sed '2,1p' n.txt`, `sed -n '0,/o/p' n.txt`,
		`sed -n '/o/{p;p}' n.txt`, `sed -e 's/o/0/' -e 's/e/E/' n.txt`, `sed 's/\(o\)\(n\)/\2\1/' n.txt`, `sed -E 's/(o)(n)/\2\1/' n.txt`,
		`sed 's/o/[&]/g' n.txt`, `sed 's/o/\&/' n.txt`, `sed 's|/|:|g' ids.txt`, `sed 's/e/E/2' n.txt`, `sed 's/e/E/2g' n.txt`,
		`sed -n 's/o/0/p' n.txt`, `sed 's/O/0/I' n.txt`, `sed 's/x*/-/g' n.txt`, `sed 's/b*/-/g' words.txt`, `sed p noeol.txt`,
		`sed -n p noeol.txt`, `sed '$d' noeol.txt`, `sed 's/a/b/' noeol.txt n.txt`, `sed -s -n '$p' noeol.txt n.txt`, `sed -n '$p' noeol.txt n.txt`,
		`sed '/o/s//0/g' n.txt`, `sed 's//x/' n.txt`, `sed 's/a/\\n/' t.txt`, `sed 's/a/\n/' t.txt`, `sed 's/[/]/x/' ids.txt`, `sed 'y/abc/xyz/' t.txt`, `sed 'y/ab/x/' t.txt`, `sed 'y/a\/b/x|y/' t.txt`, `sed 's/a\|b/X/g' t.txt`, `sed -E 's/a|b/X/g' t.txt`,
		`sed 's/[[:upper:]]/_/g' words.txt`, `sed -n '/^$/=' words.txt`, `sed '#n' n.txt`, `printf '#n
p
' > s.sed; sed -f s.sed n.txt`,
		`sed 's/\//|/' ids.txt`, `sed 's/	/ /g' ids.txt`, `sed 's/-/_/;s/_/=/' ids.txt`, `sed -e 1d -e 3d n.txt`, `sed '1 d' n.txt`,
		`sed ' 2 , 3 d' n.txt`, `sed -n 'p # comment' n.txt`, `sed -i 's/o/0/' a.txt 2>/dev/null; echo one > a.txt; sed -i 's/o/0/' a.txt; cat a.txt`,
		`echo one > b.txt; sed -i.bak 's/o/0/' b.txt; cat b.txt b.txt.bak`, `sed -n -i p nosuch`, `sed -i p`,
		`sed 's/a/b'`, `sed k n.txt`, `sed 's/a/b/z' n.txt`, `sed -e 's/a/b/' -e 's/x' n.txt`, `sed 's/\(a/b/' n.txt`, `sed 's/a/b/gg' n.txt`,
		`sed 's/a/b/0' n.txt`, `sed 's/a/b/pp' n.txt`, `sed 's/a/b/2/3' n.txt`, `sed 'p;p' nosuch n.txt`, `sed 's/a/\1/' n.txt`,
		`sed '1' n.txt`, `sed ',2p' n.txt`, `sed '0p' n.txt`, `sed '}' n.txt`, `sed '{p' n.txt`, `sed '1,2q' n.txt`, `sed 'p x' n.txt`,
		`sed '/x' n.txt`, `sed 's/a/b/ x' n.txt`, `sed 1#c n.txt`, `sed`, `sed -k x`, `sed --foo x`, `sed -n`, `sed -E 's/(a/b/' n.txt`,
		`sed 's/[/x/' n.txt`, `sed -n '/o/,+1p' n.txt`, `sed '$!d' n.txt`, `sed -n '2{p;q}' n.txt`, `sed = noeol.txt`,
		`sed -n '/one/,/one/p' n.txt`, `sed '2,4!d' n.txt`, `sed -n '\%o%p' n.txt`, `sed 's/./X/2g' n.txt`, `sed -E 's/(a|)/[\1]/g' t.txt`,
		`sed -n -e '/two/{' -e 'p' -e '}' n.txt`, `printf 'p\n$=\n' | sed -n -f - n.txt`, `sed -n '/\(/p' n.txt`, `sed '/e/I!d' n.txt`,
		`sed -E 's/[[:alpha:]]+/<&>/2' words.txt`, `sed 's/^/> /' noeol.txt`, `sed 's/$/;/' noeol.txt`, `sed -n '/[[:digit:]]\{2\}/p' nums.txt`, `sed 's/\.5$//' nums.txt`, `sed 'y/a/b/' n.txt`,
		`grep SystemAssigned ids.txt | cut -f1`, `grep -E '^[0-9a-f-]{36}$' ids.txt`, `grep -cE '[0-9a-f]{8}-' ids.txt`,
	}
	dir := t.TempDir()
	s := newTestSession(t)
	h, err := s.host(azure.Workstation)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := h.fs.WriteFile(h.base.home, name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range lines {
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir = dir
		cmd.Env = []string{"LANG=C.UTF-8", "PATH=" + os.Getenv("PATH")}
		var wo, we bytes.Buffer
		cmd.Stdout, cmd.Stderr = &wo, &we
		wantExit := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%s: %v", line, err)
			}
			wantExit = ee.ExitCode()
		}
		var gotOut, gotErr bytes.Buffer
		gotExit, err := s.Run(context.Background(), azure.Workstation, line, &gotOut, &gotErr)
		if err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		want := string(bytes.ReplaceAll(we.Bytes(), []byte("bash: line 1: "), nil))
		if gotOut.String() != wo.String() || gotErr.String() != want || gotExit != wantExit {
			t.Errorf("$ %s\n--- got (exit %d) ---\n%s%s--- want (exit %d) ---\n%s%s", line, gotExit, gotOut.String(), prefixLines("2> ", gotErr.String()), wantExit, wo.String(), prefixLines("2> ", want))
		}
	}
}

func prefixLines(prefix, s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	for _, l := range bytes.SplitAfter([]byte(s), []byte("\n")) {
		if len(l) > 0 {
			b.WriteString(prefix)
			b.Write(l)
		}
	}
	return b.String()
}
