package apps

import (
	"reflect"
	"testing"
)

func TestStatementExamples(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []Test
	}{
		{"apps examples section with notes", "Do it.\n\n-----Input-----\n\nThe first line...\n\n-----Output-----\n\nPrint...\n\n-----Examples-----\nInput\n1\n1 1\n\nOutput\n1\n\nInput\n3\n2 1 1 3 2 3\n\nOutput\n2\n\n\n\n-----Note-----\n\nIn the first example...\n",
			[]Test{{Input: "1\n1 1\n", Expected: "1\n"}, {Input: "3\n2 1 1 3 2 3\n", Expected: "2\n"}}},
		{"single example in a docstring", "def f():\n    \"\"\"Sum.\n\n-----Example-----\nInput\n2 3\n\nOutput\n5\n\"\"\"\n",
			[]Test{{Input: "2 3\n", Expected: "5\n"}}},
		{"sample input/output numbered", "Statement\n\nSample Input 1:\n4\nSample Output 1:\n16\nSample Input 2:\n1\nSample Output 2:\n1\n",
			[]Test{{Input: "4\n", Expected: "16\n"}, {Input: "1\n", Expected: "1\n"}}},
		{"atcoder dashed samples with explanation", "N D\n\n-----Output-----\nPrint it.\n\n-----Sample Input-----\n6 2\n\n-----Sample Output-----\n2\n\nWe can achieve the objective by...\n    \"\"\"\n",
			[]Test{{Input: "6 2\n", Expected: "2\n"}}},
		{"atcoder numbered", "-----Sample Input 1-----\n3\n1 2 3\n\n-----Sample Output 1-----\n6\n\n-----Sample Input 2-----\n1\n5\n\n-----Sample Output 2-----\n5\n",
			[]Test{{Input: "3\n1 2 3\n", Expected: "6\n"}, {Input: "1\n5\n", Expected: "5\n"}}},
		{"no examples", "Just a statement.\n", nil},
	}
	for _, c := range cases {
		if got := StatementExamples(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.name, got, c.want)
		}
	}
}
