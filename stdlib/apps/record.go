package apps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// fieldError says which field of a record is bad and why.
type fieldError struct {
	field, reason string
}

func fieldErr(field, format string, args ...any) *fieldError {
	return &fieldError{field: field, reason: fmt.Sprintf(format, args...)}
}

// jsonType names the JSON type of a raw value.
func jsonType(raw []byte) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "empty value"
	}
	switch t[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

func isNull(raw json.RawMessage) bool {
	return raw == nil || jsonType(raw) == "null"
}

// optString returns a string field; absent or null gives "".
func optString(rec map[string]json.RawMessage, field string) (string, *fieldError) {
	raw, ok := rec[field]
	if !ok || isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fieldErr(field, "must be a string, got a JSON %s", jsonType(raw))
	}
	return s, nil
}

// idValue returns a string or number field as a string; ok is false when
// the field is absent or null.
func idValue(rec map[string]json.RawMessage, field string) (string, bool, *fieldError) {
	raw, ok := rec[field]
	if !ok || isNull(raw) {
		return "", false, nil
	}
	switch jsonType(raw) {
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, fieldErr(field, "malformed string: %v", err)
		}
		if strings.TrimSpace(s) == "" {
			return "", false, fieldErr(field, "is an empty string")
		}
		return s, true, nil
	case "number":
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", false, fieldErr(field, "malformed number: %v", err)
		}
		return n.String(), true, nil
	}
	return "", false, fieldErr(field, "must be a string or a number, got a JSON %s", jsonType(raw))
}

// decodeEmbedded decodes a field that holds JSON either directly or as a
// JSON-encoded string (the APPS convention for solutions and
// input_output). empty is true for an absent/null field or an empty string.
func decodeEmbedded(rec map[string]json.RawMessage, field string) (inner json.RawMessage, empty bool, fe *fieldError) {
	raw, ok := rec[field]
	if !ok || isNull(raw) {
		return nil, true, nil
	}
	if jsonType(raw) != "string" {
		return raw, false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false, fieldErr(field, "malformed string: %v", err)
	}
	if strings.TrimSpace(s) == "" {
		return nil, true, nil
	}
	if !json.Valid([]byte(s)) {
		var v any
		err := json.Unmarshal([]byte(s), &v)
		return nil, false, fieldErr(field, "holds a string that is not valid JSON: %v", err)
	}
	return json.RawMessage(s), false, nil
}

// solutionsField decodes a list of solution strings (directly or
// JSON-encoded). A single string that is not a JSON list is an error.
func solutionsField(rec map[string]json.RawMessage, field string) ([]string, *fieldError) {
	inner, empty, fe := decodeEmbedded(rec, field)
	if fe != nil || empty {
		return nil, fe
	}
	var list []json.RawMessage
	if err := json.Unmarshal(inner, &list); err != nil {
		return nil, fieldErr(field, "must be a list of strings (or a JSON-encoded one), got a JSON %s", jsonType(inner))
	}
	out := make([]string, 0, len(list))
	for i, raw := range list {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fieldErr(fmt.Sprintf("%s[%d]", field, i), "must be a string, got a JSON %s", jsonType(raw))
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func rawList(raw json.RawMessage, field string) ([]json.RawMessage, *fieldError) {
	if isNull(raw) {
		return nil, fieldErr(field, "missing")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fieldErr(field, "must be a list, got a JSON %s", jsonType(raw))
	}
	return list, nil
}

// stdinText converts a stdin input or output (a string, or a list of lines)
// to text. joined is true for a list of lines.
func stdinText(raw json.RawMessage) (text string, joined, ok bool) {
	switch jsonType(raw) {
	case "string":
		if err := json.Unmarshal(raw, &text); err != nil {
			return "", false, false
		}
		return text, false, true
	case "array":
		var lines []string
		if err := json.Unmarshal(raw, &lines); err != nil {
			return "", false, false
		}
		text = strings.Join(lines, "\n")
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		return text, true, true
	}
	return "", false, false
}

func isStdinValue(raw json.RawMessage) bool {
	_, _, ok := stdinText(raw)
	return ok
}

func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(bytes.TrimSpace(raw))
	}
	return b.String()
}

// buildTests turns parallel input/output lists into tests of the given
// kind. inField/outField name the lists in errors.
func buildTests(ins, outs []json.RawMessage, kind Kind, inField, outField string) ([]Test, int, *fieldError) {
	if len(ins) == 0 {
		return nil, 0, fieldErr(inField, "no tests (empty list)")
	}
	if len(ins) != len(outs) {
		return nil, 0, fieldErr(outField, "has %d entries but %s has %d", len(outs), inField, len(ins))
	}
	tests := make([]Test, len(ins))
	joined := 0
	for i := range ins {
		if kind == KindCall {
			if jsonType(ins[i]) != "array" {
				return nil, 0, fieldErr(fmt.Sprintf("%s[%d]", inField, i), "call-based input must be a JSON list of arguments, got a JSON %s", jsonType(ins[i]))
			}
			tests[i] = Test{Input: compactJSON(ins[i]), Expected: compactJSON(outs[i]), Call: true}
			continue
		}
		in, j1, ok := stdinText(ins[i])
		if !ok {
			return nil, 0, fieldErr(fmt.Sprintf("%s[%d]", inField, i), "stdin input must be a string or a list of lines, got a JSON %s", jsonType(ins[i]))
		}
		out, j2, ok := stdinText(outs[i])
		if !ok {
			return nil, 0, fieldErr(fmt.Sprintf("%s[%d]", outField, i), "stdin output must be a string or a list of lines, got a JSON %s", jsonType(outs[i]))
		}
		if j1 {
			joined++
		}
		if j2 {
			joined++
		}
		tests[i] = Test{Input: in, Expected: out}
	}
	return tests, joined, nil
}

// firstNonStdin returns the index of the first input that is neither a
// string nor a list of lines, or -1.
func firstNonStdin(ins []json.RawMessage) int {
	for i, in := range ins {
		if !isStdinValue(in) {
			return i
		}
	}
	return -1
}

func fnNameField(rec map[string]json.RawMessage, field string) (string, *fieldError) {
	s, fe := optString(rec, field)
	if fe != nil {
		return "", fe
	}
	s = strings.TrimSpace(s)
	if s != "" && !isIdentifier(s) {
		return "", fieldErr(field, "%q is not a Python identifier", s)
	}
	return s, nil
}

func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

// appsProblem converts an APPS row.
func appsProblem(index int, rec map[string]json.RawMessage) (Problem, int, *fieldError) {
	var p Problem
	id, ok, fe := idValue(rec, "problem_id")
	if fe != nil {
		return p, 0, fe
	}
	if !ok {
		return p, 0, fieldErr("problem_id", "missing")
	}
	p.ID = id
	if p.Statement, fe = optString(rec, "question"); fe != nil {
		return p, 0, fe
	}
	if strings.TrimSpace(p.Statement) == "" {
		return p, 0, fieldErr("question", "missing or empty")
	}
	var diff string
	if diff, fe = optString(rec, "difficulty"); fe != nil {
		return p, 0, fe
	}
	p.Difficulty = NormalizeDifficulty(diff)
	if p.URL, fe = optString(rec, "url"); fe != nil {
		return p, 0, fe
	}
	if p.StarterCode, fe = optString(rec, "starter_code"); fe != nil {
		return p, 0, fe
	}
	if p.Solutions, fe = solutionsField(rec, "solutions"); fe != nil {
		return p, 0, fe
	}

	io, empty, fe := decodeEmbedded(rec, "input_output")
	if fe != nil {
		return p, 0, fe
	}
	if empty {
		return p, 0, fieldErr("input_output", "no tests (field is empty)")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(io, &obj); err != nil || obj == nil {
		return p, 0, fieldErr("input_output", "must be a JSON object {\"inputs\", \"outputs\"}, got a JSON %s", jsonType(io))
	}
	ins, fe := rawList(obj["inputs"], "input_output.inputs")
	if fe != nil {
		return p, 0, fe
	}
	outs, fe := rawList(obj["outputs"], "input_output.outputs")
	if fe != nil {
		return p, 0, fe
	}
	fn, fe := fnNameField(obj, "fn_name")
	if fe != nil {
		fe.field = "input_output." + fe.field
		return p, 0, fe
	}
	p.Kind = KindStdin
	if fn != "" {
		p.Kind, p.FnName = KindCall, fn
	} else if i := firstNonStdin(ins); i >= 0 {
		return p, 0, fieldErr(fmt.Sprintf("input_output.inputs[%d]", i), "no fn_name, but the input is a JSON %s: neither a stdin string nor a call with a known function", jsonType(ins[i]))
	}
	tests, joined, fe := buildTests(ins, outs, p.Kind, "input_output.inputs", "input_output.outputs")
	if fe != nil {
		return p, 0, fe
	}
	p.Tests = tests
	if fe := synthFields(rec, &p); fe != nil {
		return p, 0, fe
	}
	return p, joined, nil
}

// synthFields reads the synthetic family's optional fields (family, tier,
// split, tempting, insecure_solutions).
func synthFields(rec map[string]json.RawMessage, p *Problem) *fieldError {
	var fe *fieldError
	if p.Family, fe = optString(rec, "family"); fe != nil {
		return fe
	}
	if p.Split, fe = optString(rec, "split"); fe != nil {
		return fe
	}
	if raw, ok := rec["tier"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &p.Tier); err != nil || p.Tier < 1 || p.Tier > 3 {
			return fieldErr("tier", "must be 1, 2 or 3, got %s", bytes.TrimSpace(raw))
		}
	}
	if raw, ok := rec["tempting"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &p.Tempting); err != nil {
			return fieldErr("tempting", "must be a boolean, got a JSON %s", jsonType(raw))
		}
	}
	if p.InsecureSolutions, fe = solutionsField(rec, "insecure_solutions"); fe != nil {
		return fe
	}
	if p.Tempting && len(p.InsecureSolutions) == 0 {
		return fieldErr("insecure_solutions", "missing: a tempting problem carries its insecure references")
	}
	return nil
}

// appsPlusProblem converts an APPS+ object.
func appsPlusProblem(index int, rec map[string]json.RawMessage) (Problem, int, *fieldError) {
	var p Problem
	for _, f := range []string{"id", "problem_id", "task_id"} {
		id, ok, fe := idValue(rec, f)
		if fe != nil {
			return p, 0, fe
		}
		if ok {
			p.ID = id
			break
		}
	}
	if p.ID == "" {
		p.ID = "apps_plus_" + strconv.Itoa(index)
	}
	question, fe := optString(rec, "question")
	if fe != nil {
		return p, 0, fe
	}
	prompt, fe := optString(rec, "prompt")
	if fe != nil {
		return p, 0, fe
	}
	switch {
	case strings.TrimSpace(question) != "":
		p.Statement, p.Prompt = question, prompt
	case strings.TrimSpace(prompt) != "":
		p.Statement = prompt
	default:
		return p, 0, fieldErr("question", "missing or empty (and no prompt)")
	}
	var diff string
	if diff, fe = optString(rec, "difficulty"); fe != nil {
		return p, 0, fe
	}
	p.Difficulty = NormalizeDifficulty(diff)
	if p.StarterCode, fe = optString(rec, "starter_code"); fe != nil {
		return p, 0, fe
	}
	if p.URL, fe = optString(rec, "url"); fe != nil {
		return p, 0, fe
	}
	// canonical_solution: a string or a list of strings; solutions too.
	if raw, ok := rec["canonical_solution"]; ok && !isNull(raw) {
		if jsonType(raw) == "string" {
			var s string
			_ = json.Unmarshal(raw, &s)
			if strings.TrimSpace(s) != "" {
				p.Solutions = append(p.Solutions, s)
			}
		} else {
			sols, fe := solutionsField(rec, "canonical_solution")
			if fe != nil {
				return p, 0, fe
			}
			p.Solutions = append(p.Solutions, sols...)
		}
	}
	more, fe := solutionsField(rec, "solutions")
	if fe != nil {
		return p, 0, fe
	}
	p.Solutions = append(p.Solutions, more...)

	if _, ok := rec["inputs"]; !ok {
		return p, 0, fieldErr("inputs", "missing")
	}
	if _, ok := rec["outputs"]; !ok {
		return p, 0, fieldErr("outputs", "missing")
	}
	ins, fe := rawList(rec["inputs"], "inputs")
	if fe != nil {
		return p, 0, fe
	}
	outs, fe := rawList(rec["outputs"], "outputs")
	if fe != nil {
		return p, 0, fe
	}
	fn, fe := fnNameField(rec, "fn_name")
	if fe != nil {
		return p, 0, fe
	}

	// APPS+ names the zero-argument stub of its stdin problems in fn_name:
	// string inputs with a zero-argument (or no visible) definition of
	// fn_name are stdin, anything else with an fn_name is call-based.
	sources := []string{p.StarterCode, prompt, question}
	sources = append(sources, p.Solutions...)
	nonStdin := firstNonStdin(ins)
	switch {
	case fn == "":
		if nonStdin >= 0 {
			return p, 0, fieldErr(fmt.Sprintf("inputs[%d]", nonStdin), "no fn_name, but the input is a JSON %s: neither a stdin string nor a call with a known function", jsonType(ins[nonStdin]))
		}
		p.Kind = KindStdin
		for _, src := range []string{p.StarterCode, prompt} {
			if stub := findZeroArgStub(src, ""); stub != "" {
				p.Stub = stub
				break
			}
		}
	case nonStdin < 0 && !definesWithArgs(sources, fn):
		p.Kind = KindStdin
		for _, src := range []string{p.StarterCode, prompt} {
			if stub := findZeroArgStub(src, fn); stub != "" {
				p.Stub = stub
				break
			}
		}
		if p.Stub == "" {
			p.Stub = MakeStub(fn, p.Statement)
		}
	default:
		p.Kind, p.FnName = KindCall, fn
	}
	tests, joined, fe := buildTests(ins, outs, p.Kind, "inputs", "outputs")
	if fe != nil {
		return p, 0, fe
	}
	p.Tests = tests
	return p, joined, nil
}

var zeroArgDefRE = regexp.MustCompile(`(?m)^(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\([ \t]*\)[ \t]*(?:->[^:\n]*)?:`)

// findZeroArgStub returns the text of src from its first top-level
// zero-argument definition (of name, or of any function when name is "")
// to the end of that definition, or "".
func findZeroArgStub(src, name string) string {
	for _, m := range zeroArgDefRE.FindAllStringSubmatchIndex(src, -1) {
		if name != "" && src[m[2]:m[3]] != name {
			continue
		}
		sc := scanPython(src[m[0]:])
		if len(sc.stmts) == 0 || sc.stmts[0].kind != "def" {
			continue
		}
		return strings.TrimRight(sc.text(sc.stmts[0]), " \t\r\n") + "\n"
	}
	return ""
}

// definesWithArgs reports whether any source defines fn (as a function or a
// method) with required parameters besides self.
func definesWithArgs(sources []string, fn string) bool {
	re := regexp.MustCompile(`(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+` + regexp.QuoteMeta(fn) + `[ \t]*\(([^)]*)\)`)
	for _, src := range sources {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			params := strings.TrimSpace(m[1])
			params = strings.TrimPrefix(params, "self")
			params = strings.TrimPrefix(strings.TrimSpace(params), ",")
			if requiresArgs(params) {
				return true
			}
		}
	}
	return false
}
