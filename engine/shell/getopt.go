package shell

import (
	"fmt"
	"strings"
)

// An opt is one option of a small GNU-style program, for parseOpts.
type opt struct {
	short byte   // 0 for none
	long  string // without dashes; "" for none
	arg   string // the argument's name; "" for a switch
	// real options miplay does not model: using one is an explicit error.
	notSimulated bool
	summary      string
}

// A gotOpt is an option as found on the command line.
type gotOpt struct {
	*opt
	val string
}

// parseOpts parses arguments as GNU getopt_long does: bundled short
// options, "-n5" and "-n 5", "--long=value" and "--long value", unique
// prefixes of long options, options after operands, and "--". On a
// problem it prints GNU's message and returns exit status 1 (ok false).
func parseOpts(p *Proc, cmd string, args []string, opts []opt) (got []gotOpt, operands []string, ok bool) {
	fail := func(format string, a ...any) ([]gotOpt, []string, bool) {
		fmt.Fprintf(p.Stderr, cmd+": "+format+"\n", a...)
		fmt.Fprintf(p.Stderr, "Try '%s --help' for more information.\n", cmd)
		return nil, nil, false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return got, append(operands, args[i+1:]...), true
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			o := findLong(opts, name)
			if o == nil {
				if name == "help" || name == "version" {
					fmt.Fprintf(p.Stderr, "%s: --%s is not simulated in miplay\n", cmd, name)
					return nil, nil, false
				}
				if ambiguous(opts, name) {
					return fail("option '--%s' is ambiguous", name)
				}
				return fail("unrecognized option '%s'", a)
			}
			if o.arg != "" && !hasVal {
				if i+1 >= len(args) {
					return fail("option '--%s' requires an argument", o.long)
				}
				i++
				val = args[i]
			} else if o.arg == "" && hasVal {
				return fail("option '--%s' doesn't allow an argument", o.long)
			}
			if o.notSimulated {
				fmt.Fprintf(p.Stderr, "%s: option --%s is not simulated in miplay\n", cmd, o.long)
				return nil, nil, false
			}
			got = append(got, gotOpt{o, val})
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				o := findShort(opts, a[j])
				if o == nil {
					return fail("invalid option -- '%c'", a[j])
				}
				val := ""
				if o.arg != "" {
					if j+1 < len(a) {
						val = a[j+1:]
					} else if i+1 < len(args) {
						i++
						val = args[i]
					} else {
						return fail("option requires an argument -- '%c'", a[j])
					}
					j = len(a)
				}
				if o.notSimulated {
					fmt.Fprintf(p.Stderr, "%s: option -%c is not simulated in miplay\n", cmd, o.short)
					return nil, nil, false
				}
				got = append(got, gotOpt{o, val})
			}
		default:
			operands = append(operands, a)
		}
	}
	return got, operands, true
}

func findShort(opts []opt, c byte) *opt {
	for i := range opts {
		if opts[i].short == c && c != 0 {
			return &opts[i]
		}
	}
	return nil
}

func findLong(opts []opt, name string) *opt {
	if name == "" {
		return nil
	}
	var match *opt
	for i := range opts {
		switch {
		case opts[i].long == name:
			return &opts[i]
		case opts[i].long != "" && strings.HasPrefix(opts[i].long, name):
			if match != nil {
				return nil
			}
			match = &opts[i]
		}
	}
	return match
}

func ambiguous(opts []opt, name string) bool {
	n := 0
	for _, o := range opts {
		if o.long != "" && strings.HasPrefix(o.long, name) {
			n++
		}
	}
	return n > 1
}

// flagsOf documents a program's options for the reference.
func flagsOf(opts []opt) []Flag {
	var out []Flag
	for _, o := range opts {
		f := Flag{Summary: o.summary}
		if o.long != "" {
			f.Name = "--" + o.long
		}
		if o.short != 0 {
			f.Short = "-" + string(o.short)
			if f.Name == "" {
				f.Name, f.Short = f.Short, ""
			}
		}
		f.Arg = o.arg
		if o.notSimulated {
			f.Summary = "not simulated: " + f.Summary
		}
		out = append(out, f)
	}
	return out
}
