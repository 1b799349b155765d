package native

import (
	"errors"
	"fmt"
	"math"
)

// ErrPadding: a batch is not padded the way Prefill (left) or Score
// (right) takes it; callers may run it another way.
var ErrPadding = errors.New("native: batch not padded as required")

// Score runs right-padded sequences (ids and mask [B*T]; each row's mask
// ones, then zeros) and returns, for positions p in [from, T-1), the
// log-probability of the next token under softmax(logits/temp) and, when
// vw is not nil, the value h_p·vw + vb of the final-normed hidden state h_p:
// [B][T-1-from] each, column c for p = from+c. Entries whose target is
// padding are 0. This is PPO's forward pass (old and reference log-probs,
// values) without gradients.
func Score(w *Weights, b, t int, ids, mask []int32, from int, temp float64, vw []float32, vb float32) (logp, values [][]float32, err error) {
	cfg := w.Config
	if len(ids) != b*t || len(mask) != b*t || b <= 0 || t < 2 || from < 0 || from >= t-1 || temp <= 0 {
		return nil, nil, fmt.Errorf("native: score of %d rows × %d tokens from %d (temperature %g): %d ids, %d mask values", b, t, from, temp, len(ids), len(mask))
	}
	if vw != nil && len(vw) != cfg.Hidden {
		return nil, nil, fmt.Errorf("native: score: value head of %d weights for hidden size %d", len(vw), cfg.Hidden)
	}
	s := &State{W: w, B: b, C: roundUp16(t)}
	lens, err := rightPadded(cfg, b, t, ids, mask, "score")
	if err != nil {
		return nil, nil, err
	}
	start, end := make([]int, b), make([]int, b)
	for r, n := range lens {
		end[r] = max(n, 1) // a row of padding only: one token, results ignored
		rc := s.newRow()
		for k := range rc.valid {
			rc.valid[k] = true
		}
		rc.setLo()
		s.rows = append(s.rows, rc)
	}
	cols := t - 1 - from
	logp = make([][]float32, b)
	if vw != nil {
		values = make([][]float32, b)
	}
	for r := range logp {
		logp[r] = make([]float32, cols)
		if vw != nil {
			values[r] = make([]float32, cols)
		}
	}
	H, V := cfg.Hidden, cfg.Vocab
	split(b, func(lo, hi int) {
		x, _ := s.forwardTokens(lo, hi, t, start, end, ids)
		// The head runs on the positions that predict a real token.
		var sel []float32
		type at struct{ r, p int }
		var where []at
		k := 0
		for r := lo; r < hi; r++ {
			for p := 0; p < end[r]; p++ {
				if p >= from && p+1 < end[r] {
					sel = append(sel, x[(k+p)*H:(k+p+1)*H]...)
					where = append(where, at{r, p})
				}
			}
			k += end[r]
		}
		if len(where) == 0 {
			return
		}
		n := len(where)
		logits := s.headRows(sel, n)
		var hn []float32
		if vw != nil {
			hn = make([]float32, n*H)
			rmsNorm(hn, sel, s.W.norm, n, H, cfg.Eps)
		}
		inv := 1 / temp
		for i, a := range where {
			row := logits[i*V : (i+1)*V]
			m := Max(row)
			lse := float64(m)*inv + math.Log(ExpScaled(nil, row, m, float32(inv)))
			logp[a.r][a.p-from] = float32(float64(row[ids[a.r*t+a.p+1]])*inv - lse)
			if vw != nil {
				var v float32
				for j, h := range hn[i*H : (i+1)*H] {
					v += h * vw[j]
				}
				values[a.r][a.p-from] = v + vb
			}
		}
	})
	return logp, values, nil
}

// rightPadded returns each row's token count of a right-padded batch (ids
// and mask [b*t]; each row's mask ones, then zeros), checking the padding
// (ErrPadding) and the token ids; what names the caller in errors.
func rightPadded(cfg Config, b, t int, ids, mask []int32, what string) ([]int, error) {
	lens := make([]int, b)
	for r := range lens {
		row := mask[r*t : (r+1)*t]
		n := 0
		for n < t && row[n] != 0 {
			n++
		}
		for k := n; k < t; k++ {
			if row[k] != 0 {
				return nil, fmt.Errorf("%w: row %d has a token at column %d after padding", ErrPadding, r, k)
			}
		}
		for k := 0; k < n; k++ {
			if id := ids[r*t+k]; id < 0 || int(id) >= cfg.Vocab {
				return nil, fmt.Errorf("native: %s: row %d column %d: token %d outside the vocabulary (%d)", what, r, k, id, cfg.Vocab)
			}
		}
		lens[r] = n
	}
	return lens, nil
}
