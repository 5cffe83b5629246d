package shell

import (
	"encoding/base64"
	"io"
	"strings"
	"unicode/utf8"
)

// expandAtFiles does what azure-cli does to every argument before it
// parses them (azure.cli.core.commands._expand_file_prefixed_files): an
// argument, or the value after the first "=" of one, that starts with "@"
// is replaced by the content of the file named after the "@" ("-" for
// standard input), without its trailing newlines. A file that cannot be
// read leaves the argument as it is: az logs that only with --debug and
// goes on with the literal text.
func expandAtFiles(p *Proc, args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if name, value, ok := strings.Cut(a, "="); ok {
			out[i] = name + "=" + loadAtFile(p, value)
		} else {
			out[i] = loadAtFile(p, a)
		}
	}
	return out
}

func loadAtFile(p *Proc, arg string) string {
	if !strings.HasPrefix(arg, "@") || len(arg) == 1 {
		return arg
	}
	path := arg[1:]
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(p.Stdin)
	} else {
		if strings.HasPrefix(path, "~/") || path == "~" {
			path = p.Getenv("HOME") + path[1:]
		}
		data, err = p.ReadFile(path)
	}
	if err != nil {
		return arg
	}
	return strings.TrimRight(fileContent(data), "\n")
}

// fileContent decodes a file as azure-cli's read_file_content does: UTF-8
// with or without a byte order mark; anything else (binary) as Base64.
// UNVERIFIED in one respect: az tries UTF-16 before falling back to
// Base64, which miplay does not.
func fileContent(data []byte) string {
	s := strings.TrimPrefix(string(data), "\ufeff")
	if utf8.ValidString(s) {
		return s
	}
	return base64.StdEncoding.EncodeToString(data)
}
