package judge

import "testing"

func TestCompare(t *testing.T) {
	cases := []struct {
		preset    Preset
		got, want string
		ok        bool
	}{
		{Exact, "1\n", "1\n", true},
		{Exact, "1", "1\n", false},
		{Strip, "  1 2\n\n", "1 2\n", true},
		{Strip, "1  2\n", "1 2\n", false},
		{Lines, "1 \n2\t\n\n\n", "1\n2\n", true},
		{Lines, "1\r\n2\r\n", "1\n2\n", true},
		{Lines, " 1\n", "1\n", false},
		{Lines, "1\n\n2\n", "1\n2\n", false},
		{Float, "0.3333333\n", "0.33333333\n", true},
		{Float, "0.333\n", "0.3333333\n", false},
		{Float, "1e9 2\n", "1000000000.0000001 2\n", true},
		{Float, "abc 1.0\n", "abc 1.0000000001\n", true},
		{APPS, "1 2 3\n", "1\n2\n3\n", true},
		{APPS, "YES\n", "NO\n", false},
		{APPS, "b\na\n", "a\nb\n", true},
		{APPS, "1.000001\n", "1.0\n", true},
		{APPS, "1.1\n", "1.0\n", false},
	}
	for _, c := range cases {
		if got := Compare(c.preset, c.got, c.want); got != c.ok {
			t.Errorf("Compare(%s, %q, %q) = %v, want %v", c.preset, c.got, c.want, got, c.ok)
		}
	}
}

func TestCompareCall(t *testing.T) {
	cases := []struct {
		got, want string
		ok        bool
	}{
		{"5", "5", true},
		{"5", "[5]", true},
		{"[1, 2]", "[[1, 2]]", true},
		{"[1, 2]", "[1, 2]", true},
		{"5.0", "5", true},
		{"true", "[true]", true},
		{"false", "[true]", false},
		{`"abc"`, `["abc"]`, true},
		{"null", "[]", false},
	}
	for _, c := range cases {
		if got := CompareCall(c.got, c.want); got != c.ok {
			t.Errorf("CompareCall(%s, %s) = %v, want %v", c.got, c.want, got, c.ok)
		}
	}
}

func TestParsePreset(t *testing.T) {
	if p, err := ParsePreset(""); err != nil || p != Lines {
		t.Fatalf("default preset %v %v", p, err)
	}
	if _, err := ParsePreset("fuzzy"); err == nil {
		t.Fatal("unknown preset accepted")
	}
}
