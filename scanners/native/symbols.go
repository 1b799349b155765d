package native

import (
	"fmt"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// symbols holds the tree-sitter-python node kind and field ids the rules
// use, resolved once per Scanner.
type symbols struct {
	namedKinds []bool

	module, exprStmt, assignment, augAssignment, call, argumentList    uint16
	keywordArgument, listSplat, dictSplat, attribute, identifier       uint16
	str, concatStr, strStart, strContent, strEnd, interpolation        uint16
	binaryOp, comparisonOp, parenthesized, pair, dictionary, subscript uint16
	importStmt, importFrom, futureImport, aliasedImport, dottedName    uint16
	relativeImport, wildcardImport, assertStmt, exceptClause           uint16
	exceptGroup, block, passStmt, continueStmt, functionDef            uint16
	defaultParam, typedDefaultParam, typedParam, listSplatPattern      uint16
	dictSplatPattern, keywordSeparator, positionalSeparator            uint16
	integer, float, true, false, none, list, tuple, set, comment       uint16
	typ, asPattern, generatorExpr, async, execStmt, printStmt, errNode uint16
	expressionList, keywordIdentifier                                  uint16

	fFunction, fArguments, fObject, fAttribute, fName, fValue, fAlias uint16
	fLeft, fRight, fType, fKey, fModuleName, fSubscript, fParameters  uint16
	fBody                                                             uint16
}

func (s *symbols) isNamed(k uint16) bool {
	return int(k) < len(s.namedKinds) && s.namedKinds[k]
}

func loadSymbols(lang *ts.Language) (*symbols, error) {
	s := &symbols{}
	n := lang.NodeKindCount()
	s.namedKinds = make([]bool, n)
	for i := uint32(0); i < n; i++ {
		s.namedKinds[i] = lang.NodeKindIsNamed(uint16(i))
	}
	var missing []string
	kind := func(dst *uint16, name string, named bool) {
		id := lang.IdForNodeKind(name, named)
		if id == 0 {
			missing = append(missing, name)
		}
		*dst = id
	}
	field := func(dst *uint16, name string) {
		id := lang.FieldIdForName(name)
		if id == 0 {
			missing = append(missing, "field "+name)
		}
		*dst = id
	}
	for _, k := range []struct {
		dst   *uint16
		name  string
		named bool
	}{
		{&s.module, "module", true},
		{&s.exprStmt, "expression_statement", true},
		{&s.assignment, "assignment", true},
		{&s.augAssignment, "augmented_assignment", true},
		{&s.call, "call", true},
		{&s.argumentList, "argument_list", true},
		{&s.keywordArgument, "keyword_argument", true},
		{&s.listSplat, "list_splat", true},
		{&s.dictSplat, "dictionary_splat", true},
		{&s.attribute, "attribute", true},
		{&s.identifier, "identifier", true},
		{&s.str, "string", true},
		{&s.concatStr, "concatenated_string", true},
		{&s.strStart, "string_start", true},
		{&s.strContent, "string_content", true},
		{&s.strEnd, "string_end", true},
		{&s.interpolation, "interpolation", true},
		{&s.binaryOp, "binary_operator", true},
		{&s.comparisonOp, "comparison_operator", true},
		{&s.parenthesized, "parenthesized_expression", true},
		{&s.pair, "pair", true},
		{&s.dictionary, "dictionary", true},
		{&s.subscript, "subscript", true},
		{&s.importStmt, "import_statement", true},
		{&s.importFrom, "import_from_statement", true},
		{&s.futureImport, "future_import_statement", true},
		{&s.aliasedImport, "aliased_import", true},
		{&s.dottedName, "dotted_name", true},
		{&s.relativeImport, "relative_import", true},
		{&s.wildcardImport, "wildcard_import", true},
		{&s.assertStmt, "assert_statement", true},
		{&s.exceptClause, "except_clause", true},
		{&s.exceptGroup, "except_group_clause", true},
		{&s.block, "block", true},
		{&s.passStmt, "pass_statement", true},
		{&s.continueStmt, "continue_statement", true},
		{&s.functionDef, "function_definition", true},
		{&s.defaultParam, "default_parameter", true},
		{&s.typedDefaultParam, "typed_default_parameter", true},
		{&s.typedParam, "typed_parameter", true},
		{&s.listSplatPattern, "list_splat_pattern", true},
		{&s.dictSplatPattern, "dictionary_splat_pattern", true},
		{&s.keywordSeparator, "keyword_separator", true},
		{&s.positionalSeparator, "positional_separator", true},
		{&s.integer, "integer", true},
		{&s.float, "float", true},
		{&s.true, "true", true},
		{&s.false, "false", true},
		{&s.none, "none", true},
		{&s.list, "list", true},
		{&s.tuple, "tuple", true},
		{&s.set, "set", true},
		{&s.comment, "comment", true},
		{&s.typ, "type", true},
		{&s.asPattern, "as_pattern", true},
		{&s.generatorExpr, "generator_expression", true},
		{&s.async, "async", false},
		{&s.execStmt, "exec_statement", true},
		{&s.printStmt, "print_statement", true},
		{&s.errNode, "ERROR", true},
		{&s.expressionList, "expression_list", true},
		{&s.keywordIdentifier, "keyword_identifier", true},
	} {
		kind(k.dst, k.name, k.named)
	}
	for _, f := range []struct {
		dst  *uint16
		name string
	}{
		{&s.fFunction, "function"}, {&s.fArguments, "arguments"}, {&s.fObject, "object"},
		{&s.fAttribute, "attribute"}, {&s.fName, "name"}, {&s.fValue, "value"},
		{&s.fAlias, "alias"}, {&s.fLeft, "left"}, {&s.fRight, "right"}, {&s.fType, "type"},
		{&s.fKey, "key"}, {&s.fModuleName, "module_name"}, {&s.fSubscript, "subscript"},
		{&s.fParameters, "parameters"}, {&s.fBody, "body"},
	} {
		field(f.dst, f.name)
	}
	// ERROR and keyword_identifier may legitimately resolve to 0/65535 in
	// some grammar builds; only report kinds the rules cannot do without.
	var fatal []string
	for _, m := range missing {
		if m != "ERROR" && m != "keyword_identifier" {
			fatal = append(fatal, m)
		}
	}
	if len(fatal) > 0 {
		return nil, fmt.Errorf("native: tree-sitter-python lacks node kinds %v", fatal)
	}
	return s, nil
}
