package apps

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Tests against the read-only shared data ($SCRL_DATA_DIR or ../shared/data
// from the repository root); skipped when it is absent.

func TestSharedCodeChain150(t *testing.T) {
	path := filepath.Join(sharedData(t), "apps", "apps_train_codechain150.jsonl")
	ps, rep, err := LoadFile(context.Background(), path, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rep.SHA256, "a4649ac7eadcce14") {
		t.Fatalf("unexpected file version, sha256 %s", rep.SHA256)
	}
	st := Stats(ps)
	if st.Problems != 150 || st.ByKind["stdin"] != 138 || st.ByKind["call"] != 12 {
		t.Errorf("kinds: %d problems, %v; want 150 = 138 stdin + 12 call", st.Problems, st.ByKind)
	}
	if st.Tests != 959 || st.Solutions != 2312 || st.DuplicateIDs != 0 {
		t.Errorf("tests %d solutions %d duplicate ids %d; want 959, 2312, 0", st.Tests, st.Solutions, st.DuplicateIDs)
	}
	for _, d := range []string{DifficultyIntroductory, DifficultyInterview, DifficultyCompetition} {
		if st.ByDifficulty[d] != 50 {
			t.Errorf("difficulty %s: %d, want 50", d, st.ByDifficulty[d])
		}
	}
	for _, p := range FilterKind(ps, KindCall) {
		if p.FnName == "" || p.StarterCode == "" {
			t.Errorf("call problem %s: fn_name %q starter %q", p.ID, p.FnName, p.StarterCode)
		}
		for _, tc := range p.Tests {
			if !tc.Call || !strings.HasPrefix(tc.Input, "[") {
				t.Errorf("call problem %s: test %+v", p.ID, tc)
			}
		}
	}
	for _, p := range FilterKind(ps, KindStdin) {
		if p.FnName != "" {
			t.Errorf("stdin problem %s has fn_name %q", p.ID, p.FnName)
		}
	}
}

func TestSharedMapCoder(t *testing.T) {
	path := filepath.Join(sharedData(t), "apps", "apps_stdin_mapcoder_teamcoder.jsonl")
	ps, rep, err := LoadFile(context.Background(), path, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	st := Stats(ps)
	if st.Problems != 283 || st.ByKind["stdin"] != 283 || st.Tests != 5890 || st.WithSolutions != 0 {
		t.Errorf("stats %+v", st)
	}
	if st.ByDifficulty[DifficultyIntroductory] != 14 || st.ByDifficulty[DifficultyInterview] != 218 || st.ByDifficulty[DifficultyCompetition] != 51 {
		t.Errorf("difficulties %v", st.ByDifficulty)
	}
	// The file mixes APPS train and test rows, whose problem_ids overlap:
	// 12 ids name two different problems each.
	if len(rep.Duplicates) != 12 || st.DuplicateIDs != 12 {
		t.Errorf("duplicates %d (stats %d), want 12", len(rep.Duplicates), st.DuplicateIDs)
	}
	ren, rep2, err := LoadFile(context.Background(), path, Options{Duplicates: DuplicateRename})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Renamed != 12 || len(IDs(ren)) != 283 {
		t.Errorf("renamed %d, distinct ids %d", rep2.Renamed, len(IDs(ren)))
	}
}

type generation struct {
	PromptID   string `json:"prompt_id"`
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
}

func readGenerations(t *testing.T) []generation {
	t.Helper()
	path := filepath.Join(sharedData(t), "generations", "deepseek-coder-6.7b-base_apps_plus_398.jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	var gs []generation
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var g generation
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatalf("%s: line %d: %v", path, i, err)
		}
		gs = append(gs, g)
	}
	return gs
}

// TestSharedGenerations runs the auto extractor on all 398 released
// completions and checks that every program starts at the stub, that the
// template behind them is TemplateTask, and (with Python) that extraction
// never breaks a program that compiled.
func TestSharedGenerations(t *testing.T) {
	gs := readGenerations(t)
	if len(gs) != 398 {
		t.Fatalf("%d generations", len(gs))
	}
	var raws, progs []string
	for _, g := range gs {
		if !strings.HasPrefix(g.Completion, TemplateTask.Format(g.Prompt)) {
			t.Errorf("%s: completion does not start with the task template", g.PromptID)
		}
		name := StubName(Problem{Stub: g.Prompt})
		if name == "" {
			t.Fatalf("%s: no stub in the prompt", g.PromptID)
		}
		x, err := ExtractorAuto.Extract(g.Prompt, g.Completion)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(x.Program, "def "+name+"():") {
			t.Errorf("%s: program does not start at the stub", g.PromptID)
		}
		raws = append(raws, g.Completion)
		progs = append(progs, x.Program)
	}
	if _, err := os.Stat(systemPython); err != nil {
		return
	}
	rawOK := compiles(t, raws)
	autoOK := compiles(t, progs)
	nRaw, nAuto := 0, 0
	for i := range gs {
		if rawOK[i] {
			nRaw++
		}
		if autoOK[i] {
			nAuto++
		}
		if rawOK[i] && !autoOK[i] {
			t.Errorf("%s: the raw completion compiles but the extracted program does not:\n%s", gs[i].PromptID, progs[i])
		}
	}
	t.Logf("compile: raw %d/398, auto %d/398", nRaw, nAuto)
}

// compiles reports which programs compile, using one Python process.
func compiles(t *testing.T, programs []string) []bool {
	t.Helper()
	in, err := json.Marshal(programs)
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for src in json.load(sys.stdin):
    try:
        compile(src, "<program>", "exec")
        out.append(True)
    except (SyntaxError, ValueError):
        out.append(False)
json.dump(out, sys.stdout)
`
	cmd := exec.Command(systemPython, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var ok []bool
	if err := json.Unmarshal(out, &ok); err != nil || len(ok) != len(programs) {
		t.Fatalf("compile check: %v (%d results)", err, len(ok))
	}
	return ok
}
