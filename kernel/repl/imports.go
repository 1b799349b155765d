package repl

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// importSpecs parses src as the start of a file when it begins with an import
// declaration and returns its import specs with their byte ranges in src
// (nil when src does not start with "import" or does not parse).
func importSpecs(src string) (f *ast.File, off int, ok bool) {
	trim := strings.TrimLeft(src, " \t\r\n")
	if !strings.HasPrefix(trim, "import") {
		return nil, 0, false
	}
	const head = "package main;"
	f, err := parser.ParseFile(token.NewFileSet(), "", head+src, parser.ImportsOnly)
	if err != nil || len(f.Imports) == 0 {
		return nil, 0, false
	}
	return f, len(head) + 1, true // token.Pos is 1-based
}

// specName is the name an import spec binds: its alias or the path's last
// element (the curated packages and the standard library are named so).
func specName(s *ast.ImportSpec) (name, p string) {
	p, _ = strconv.Unquote(s.Path.Value)
	if s.Name != nil {
		return s.Name.Name, p
	}
	return path.Base(p), p
}

// dropImported blanks out the import specs of src that bind a name to the
// package it is already bound to in this session (yaegi rejects importing
// a preloaded package again with "redeclared in this block"), keeping every
// other byte's line and column. It reports whether anything is left.
func (it *Interpreter) dropImported(src string) (string, bool) {
	f, off, ok := importSpecs(src)
	if !ok {
		return src, true
	}
	b := []byte(src)
	blank := func(from, to token.Pos) {
		for i := int(from) - off; i < int(to)-off && i < len(b); i++ {
			if i >= 0 && b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, d := range f.Decls {
		gd, isGen := d.(*ast.GenDecl)
		if !isGen || gd.Tok != token.IMPORT {
			continue
		}
		kept := 0
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			if name, p := specName(is); name != "_" && name != "." && it.imported[name] == p {
				blank(is.Pos(), is.End())
				continue
			}
			kept++
		}
		if kept == 0 {
			blank(gd.Pos(), gd.End())
		}
	}
	// "import "x"; import "y"" with the first dropped: no leading ';'
	for i := 0; i < len(b); i++ {
		if b[i] == ';' {
			b[i] = ' '
		} else if b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			break
		}
	}
	out := string(b)
	return out, strings.TrimSpace(out) != "" && strings.Trim(out, " \t\r\n;") != ""
}

// noteImports records the names src imported (after a successful Eval).
func (it *Interpreter) noteImports(src string) {
	f, _, ok := importSpecs(src)
	if !ok {
		return
	}
	for _, is := range f.Imports {
		if name, p := specName(is); name != "_" && name != "." {
			it.imported[name] = p
		}
	}
}
