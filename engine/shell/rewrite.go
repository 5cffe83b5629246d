package shell

import "mvdan.cc/sh/v3/syntax"

// specials are the shell variables the interpreter would answer from the
// real process or global randomness; rewrite renames them so the host's
// environment answers instead, deterministically.
var specials = map[string]string{
	"RANDOM":  varRandom,
	"SRANDOM": varRandom,
	"$":       varPID,
	"BASHPID": varPID,
	"PPID":    varPPID,
}

// rewrite prepares a parsed line for the simulation. It returns why the
// line cannot run, for the shell features that would reach the real
// machine or the wall clock, or "" when it can.
func rewrite(f *syntax.File) string {
	msg := ""
	syntax.Walk(f, func(n syntax.Node) bool {
		if msg != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.Stmt:
			if n.Background || n.Coprocess || n.Disown {
				msg = "background jobs (&) are not simulated in miplay: run the command in the foreground"
			}
		case *syntax.CoprocClause:
			msg = "coproc: not simulated in miplay"
		case *syntax.TimeClause:
			// The interpreter would time it with the wall clock.
			msg = "time: not simulated in miplay: commands take no simulated time; compare `date` before and after `sleep` instead"
		case *syntax.ProcSubst:
			// The interpreter makes real named pipes for these.
			msg = "process substitution <(...) is not simulated in miplay: use a pipe or a file instead"
		case *syntax.ParamExp:
			if n.Param != nil {
				if to, ok := specials[n.Param.Value]; ok {
					n.Param.Value = to
				}
			}
		case *syntax.ArithmExp:
			renameArithm(n.X)
		case *syntax.ArithmCmd:
			renameArithm(n.X)
		}
		return true
	})
	return msg
}

// renameArithm renames bare specials inside arithmetic: $((RANDOM % 6)).
func renameArithm(x syntax.ArithmExpr) {
	if x == nil {
		return
	}
	syntax.Walk(x, func(n syntax.Node) bool {
		if w, ok := n.(*syntax.Word); ok && len(w.Parts) == 1 {
			if lit, ok := w.Parts[0].(*syntax.Lit); ok {
				if to, ok := specials[lit.Value]; ok && lit.Value != "$" {
					lit.Value = to
				}
			}
		}
		return true
	})
}
