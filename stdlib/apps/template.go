package apps

import (
	"fmt"
	"strings"
)

// Template is a named prompt template; "{prompt}" in Text is replaced by the
// problem prompt (typically a stub from MakeStub or Problem.Stub).
type Template struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Format substitutes prompt for every "{prompt}" in the template.
func (t Template) Format(prompt string) string {
	return strings.ReplaceAll(t.Text, "{prompt}", prompt)
}

// The texts of the built-in templates.
const (
	TemplateInstructionText    = "### Instruction:\nComplete the following code:\n\n{prompt}\n\n### Response:\n"
	TemplateInstructionSFTText = "### Instruction:\nComplete the following Python code:\n\n{prompt}\n\n### Response:\n"
	TemplatePlainText          = "{prompt}"
	// TemplateTaskText is the template behind the study's released
	// generations: every completion in
	// deepseek-coder-6.7b-base_apps_plus_398.jsonl starts with exactly
	// this text formatted with the record's prompt.
	TemplateTaskText = "# Task: {prompt}\n# Write a Python program to solve this:\n\n"
)

// The built-in templates. Use TemplateByName to look one up by name.
var (
	TemplateInstruction    = Template{Name: "instruction", Text: TemplateInstructionText}
	TemplateInstructionSFT = Template{Name: "instruction_sft", Text: TemplateInstructionSFTText}
	TemplatePlain          = Template{Name: "plain", Text: TemplatePlainText}
	TemplateTask           = Template{Name: "task", Text: TemplateTaskText}
)

// Templates returns the built-in templates, in a fixed order.
func Templates() []Template {
	return []Template{
		{Name: "instruction", Text: TemplateInstructionText},
		{Name: "instruction_sft", Text: TemplateInstructionSFTText},
		{Name: "plain", Text: TemplatePlainText},
		{Name: "task", Text: TemplateTaskText},
	}
}

// TemplateByName returns the built-in template with the given name; the
// error lists the valid names.
func TemplateByName(name string) (Template, error) {
	var names []string
	for _, t := range Templates() {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return Template{}, fmt.Errorf("apps: unknown prompt template %q (valid: %s)", name, strings.Join(names, ", "))
}
