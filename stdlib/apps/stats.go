package apps

import (
	"slices"
)

// Summary describes a problem set. Difficulty "" is counted as "unknown".
type Summary struct {
	Problems     int            `json:"problems"`
	ByKind       map[string]int `json:"by_kind"`
	ByDifficulty map[string]int `json:"by_difficulty"`
	// Tests is the total number of tests; TestsPerProblem their
	// distribution over problems.
	Tests           int          `json:"tests"`
	TestsPerProblem Distribution `json:"tests_per_problem"`
	// WithSolutions counts problems with at least one reference solution,
	// Solutions the reference solutions in all.
	WithSolutions int `json:"with_solutions"`
	Solutions     int `json:"solutions"`
	// DuplicateIDs counts IDs shared by more than one problem.
	DuplicateIDs int `json:"duplicate_ids"`
	// BySplit, TiersBySplit, Families and Tempting describe a synthetic set
	// (empty for APPS): problems per split (and per split and tier),
	// distinct families, tempting problems and their insecure references.
	BySplit      map[string]int         `json:"by_split,omitempty"`
	TiersBySplit map[string]map[int]int `json:"tiers_by_split,omitempty"`
	Families     int                    `json:"families,omitempty"`
	Tempting     int                    `json:"tempting,omitempty"`
	Insecure     int                    `json:"insecure_solutions,omitempty"`
}

// Distribution summarises a list of counts. Median is the mean of the two
// middle values for an even number of values. All zero for no values.
type Distribution struct {
	Min    int     `json:"min"`
	Median float64 `json:"median"`
	Max    int     `json:"max"`
}

// Stats summarises problems.
func Stats(problems []Problem) Summary {
	s := Summary{
		Problems:     len(problems),
		ByKind:       map[string]int{},
		ByDifficulty: map[string]int{},
	}
	counts := make([]int, 0, len(problems))
	ids := map[string]int{}
	fams := map[string]bool{}
	for _, p := range problems {
		s.ByKind[string(p.Kind)]++
		d := p.Difficulty
		if d == "" {
			d = "unknown"
		}
		s.ByDifficulty[d]++
		s.Tests += len(p.Tests)
		counts = append(counts, len(p.Tests))
		if len(p.Solutions) > 0 {
			s.WithSolutions++
		}
		s.Solutions += len(p.Solutions)
		ids[p.ID]++
		if p.Split != "" {
			if s.BySplit == nil {
				s.BySplit = map[string]int{}
			}
			s.BySplit[p.Split]++
			if p.Tier > 0 {
				if s.TiersBySplit == nil {
					s.TiersBySplit = map[string]map[int]int{}
				}
				if s.TiersBySplit[p.Split] == nil {
					s.TiersBySplit[p.Split] = map[int]int{}
				}
				s.TiersBySplit[p.Split][p.Tier]++
			}
		}
		if p.Family != "" {
			fams[p.Family] = true
		}
		if p.Tempting {
			s.Tempting++
		}
		s.Insecure += len(p.InsecureSolutions)
	}
	s.Families = len(fams)
	for _, n := range ids {
		if n > 1 {
			s.DuplicateIDs++
		}
	}
	s.TestsPerProblem = distribution(counts)
	return s
}

func distribution(xs []int) Distribution {
	if len(xs) == 0 {
		return Distribution{}
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	med := float64(xs[n/2])
	if n%2 == 0 {
		med = float64(xs[n/2-1]+xs[n/2]) / 2
	}
	return Distribution{Min: xs[0], Median: med, Max: xs[n-1]}
}
