package regex

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
)

func TestPatterns(t *testing.T) {
	s := New(core.Options{})
	for _, tc := range []struct{ code, want string }{
		{"x = eval(s)", "B307"},
		{"v = ast.literal_eval(s)", ""},
		{"model.eval()", ""},
		{"exec(code)", "B102"},
		{"cursor.execute(q)", ""},
		{"m = __import__(name)", "RX001"},
		{"m = __import__('pickle')", "B403"},
		{"m = __import__('subprocess')", "B404"},
		{"subprocess.run(cmd, shell=True)", "B602"},
		{"helper(cmd, shell=True)", "B604"},
		{"os.system(cmd)", "B605"},
		{"out = os.popen(cmd).read()", "B605"},
		{"obj = pickle.loads(b)", "B301"},
		{"import pickle", "B403"},
		{"yaml.load(s)", "B506"},
		{"yaml.load(s, Loader=yaml.SafeLoader)", ""},
		{"name = input('name: ')", ""},
		{"# eval(x) in a comment", ""},
		{"print('eval(x)')  # eval(y)", "B307"},
	} {
		r := s.ScanOne(core.Source{Name: "t.py", Code: tc.code})
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.TestID)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q: got %v, want %q", tc.code, got, tc.want)
		}
	}
}

func ExampleScanner_ScanOne() {
	s := New(core.Options{})
	r := s.ScanOne(core.Source{Name: "a.py", Code: "name = input()\nresult = eval(name)\n"})
	for _, f := range r.Findings {
		fmt.Println(f.TestID, f.Line, f.Ident)
	}
	// Output: B307 2 eval
}

func TestScanCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New(core.Options{}).Scan(ctx, []core.Source{{Code: "eval(x)"}}); err == nil {
		t.Error("want error")
	}
}
