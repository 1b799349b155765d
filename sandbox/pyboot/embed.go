// Package pyboot holds the trusted Python code that the sandbox runs inside
// its interpreters: the fork server (zygote) and the fresh-interpreter boot.
package pyboot

import _ "embed"

// Source is boot.py: run with SCRL_MODE=fresh for one program, or as a zygote.
//
//go:embed boot.py
var Source string
