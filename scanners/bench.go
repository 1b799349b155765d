package scanners

import (
	"context"
	"runtime"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/scanners/bandit"
	"github.com/securecoderl/securecoderl/scanners/native"
)

// BenchStat is the throughput of one scanner configuration.
type BenchStat struct {
	// Files is how many sources were scanned (the corpus may be repeated
	// or, for the CLI, sampled).
	Files       int     `json:"files"`
	Seconds     float64 `json:"seconds"`
	FilesPerSec float64 `json:"files_per_sec"`
	Err         string  `json:"error,omitempty"`
}

// BenchResult compares scanner throughput measured in one run.
type BenchResult struct {
	Corpus int `json:"corpus_files"`
	// NativeSerial scans on one goroutine (one core, like one bandit
	// worker); Native uses Scan's GOMAXPROCS goroutines.
	NativeSerial BenchStat `json:"native_serial"`
	Native       BenchStat `json:"native"`
	// Worker is one long-lived bandit worker process (startup excluded).
	Worker BenchStat `json:"bandit_worker"`
	// CLI runs one `bandit -f json` process per file on a sample of at most
	// BenchCLIFiles files.
	CLI BenchStat `json:"bandit_cli"`
	// Speedups of NativeSerial over Worker and CLI, and of Native (the
	// scanner as it runs by default, on all cores) over one Worker.
	SpeedupVsWorker         float64 `json:"speedup_vs_worker"`
	SpeedupParallelVsWorker float64 `json:"speedup_parallel_vs_worker"`
	SpeedupVsCLI            float64 `json:"speedup_vs_cli"`
	GOMAXPROCS              int     `json:"gomaxprocs"`
}

// Bench tuning.
const (
	// BenchCLIFiles caps the files scanned through the CLI (~0.3 s each).
	BenchCLIFiles = 12
	// BenchMinDuration is how long the fast scanners are repeated for.
	BenchMinDuration = time.Second
)

// Bench measures files/s of the native scanner, the Bandit worker and the
// Bandit CLI on corpus, in one run. Scanners that cannot run report Err.
func Bench(ctx context.Context, corpus []Source) BenchResult {
	res := BenchResult{Corpus: len(corpus), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if len(corpus) == 0 {
		return res
	}
	repeat := func(minDur time.Duration, scan func() (int, error)) BenchStat {
		var st BenchStat
		start := time.Now()
		for {
			n, err := scan()
			st.Files += n
			if err != nil {
				st.Err = err.Error()
				break
			}
			if time.Since(start) >= minDur || ctx.Err() != nil {
				break
			}
		}
		st.Seconds = time.Since(start).Seconds()
		if st.Seconds > 0 {
			st.FilesPerSec = float64(st.Files) / st.Seconds
		}
		return st
	}

	// Native and the worker are measured in alternating rounds so that
	// load from other processes affects both alike.
	ns, nerr := native.New(Options{})
	if nerr != nil {
		res.Native.Err, res.NativeSerial.Err = nerr.Error(), nerr.Error()
	} else {
		defer ns.Close()
		for _, src := range corpus { // warm the parser pool
			ns.ScanOne(src)
		}
	}
	bs := bandit.New(Options{})
	defer bs.Close()
	_, werr := bs.Info(ctx) // start the worker outside the clock
	if werr != nil {
		res.Worker.Err = werr.Error()
	}
	const rounds = 8
	round := BenchMinDuration / rounds
	for r := 0; r < rounds && ctx.Err() == nil; r++ {
		if nerr == nil {
			res.NativeSerial.add(repeat(round, func() (int, error) {
				for _, src := range corpus {
					ns.ScanOne(src)
				}
				return len(corpus), ctx.Err()
			}))
			res.Native.add(repeat(round, func() (int, error) {
				_, err := ns.Scan(ctx, corpus)
				return len(corpus), err
			}))
		}
		if werr == nil {
			res.Worker.add(repeat(round, func() (int, error) {
				_, err := bs.Scan(ctx, corpus)
				return len(corpus), err
			}))
		}
	}
	sample := corpus
	if len(sample) > BenchCLIFiles {
		sample = make([]Source, 0, BenchCLIFiles)
		step := float64(len(corpus)) / BenchCLIFiles
		for i := 0; i < BenchCLIFiles; i++ {
			sample = append(sample, corpus[int(float64(i)*step)])
		}
	}
	res.CLI = repeat(0, func() (int, error) {
		reps, err := bs.ScanCLI(ctx, sample)
		if err == nil {
			for _, r := range reps {
				if strings.HasPrefix(r.Err, "bandit CLI:") {
					return len(sample), errString(r.Err)
				}
			}
		}
		return len(sample), err
	})
	if res.Worker.FilesPerSec > 0 {
		res.SpeedupVsWorker = res.NativeSerial.FilesPerSec / res.Worker.FilesPerSec
		res.SpeedupParallelVsWorker = res.Native.FilesPerSec / res.Worker.FilesPerSec
	}
	if res.CLI.FilesPerSec > 0 {
		res.SpeedupVsCLI = res.NativeSerial.FilesPerSec / res.CLI.FilesPerSec
	}
	return res
}

type errString string

func (e errString) Error() string { return string(e) }

// add merges another measurement into st.
func (st *BenchStat) add(o BenchStat) {
	st.Files += o.Files
	st.Seconds += o.Seconds
	if o.Err != "" {
		st.Err = o.Err
	}
	if st.Seconds > 0 {
		st.FilesPerSec = float64(st.Files) / st.Seconds
	}
}
