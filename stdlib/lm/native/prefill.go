package native

import (
	"fmt"
	"runtime"
	"sync"
)

// Prefill runs a left-padded prompt batch (ids and mask [B*T] row-major;
// each row's mask is zeros, then at least one 1 to the end) into a new
// state of capacity ≥ c slots (c ≥ T) and returns each row's next-token
// logits [B*Vocab]. Padding tokens are not computed: their slots stay
// invalid. Each row's tokens go through the projections together (as
// rows of one product), and attend to the slots before them.
func Prefill(w *Weights, b, t int, ids, mask []int32, c int) ([]float32, *State, error) {
	cfg := w.Config
	if len(ids) != b*t || len(mask) != b*t || c < t || b <= 0 || t <= 0 {
		return nil, nil, fmt.Errorf("native: prefill of %d rows × %d tokens: %d ids, %d mask values, capacity %d", b, t, len(ids), len(mask), c)
	}
	s := &State{W: w, B: b, C: roundUp16(c), Next: t}
	start := make([]int, b) // each row's first real token
	for r := 0; r < b; r++ {
		row := mask[r*t : (r+1)*t]
		j := 0
		for j < t && row[j] == 0 {
			j++
		}
		if j == t {
			return nil, nil, fmt.Errorf("%w: prefill row %d has no tokens", ErrPadding, r)
		}
		for k := j; k < t; k++ {
			if row[k] == 0 {
				return nil, nil, fmt.Errorf("%w: prefill row %d is not left-padded (padding at column %d)", ErrPadding, r, k)
			}
			if id := ids[r*t+k]; id < 0 || int(id) >= cfg.Vocab {
				return nil, nil, fmt.Errorf("native: prefill: row %d column %d: token %d outside the vocabulary (%d)", r, k, id, cfg.Vocab)
			}
		}
		start[r] = j
		rc := s.newRow()
		for k := range rc.valid {
			rc.valid[k] = k >= j
		}
		rc.pos = int32(t - j)
		rc.setLo()
		s.rows = append(s.rows, rc)
	}
	out := make([]float32, b*cfg.Vocab)
	end := make([]int, b)
	for i := range end {
		end[i] = t
	}
	split(b, func(lo, hi int) {
		x, _ := s.forwardTokens(lo, hi, t, start, end, ids)
		// The head reads each row's last token only.
		H := cfg.Hidden
		last := make([]float32, (hi-lo)*H)
		k := 0
		for r := lo; r < hi; r++ {
			k += t - start[r]
			copy(last[(r-lo)*H:(r-lo+1)*H], x[(k-1)*H:k*H])
		}
		copy(out[lo*cfg.Vocab:hi*cfg.Vocab], s.headRows(last, hi-lo))
	})
	return out, s, nil
}

// split runs f over row ranges [lo, hi) covering [0, b), one per core
// (a prefill is thousands of token rows).
func split(b int, f func(lo, hi int)) {
	nw := max(1, min(runtime.GOMAXPROCS(0), b))
	per := (b + nw - 1) / nw
	var wg sync.WaitGroup
	for lo := 0; lo < b; lo += per {
		hi := min(b, lo+per)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// headRows applies the final norm and the head to n hidden rows [n*H]:
// logits [n*Vocab].
func (s *State) headRows(x []float32, n int) []float32 {
	cfg := s.W.Config
	n4 := (n + 3) / 4 * 4
	xp, h := make([]float32, n4*cfg.Hidden), make([]float32, n4*cfg.Hidden)
	copy(xp, x[:n*cfg.Hidden])
	rmsNorm(h, xp, s.W.norm, n4, cfg.Hidden, cfg.Eps)
	logits := make([]float32, n4*cfg.Vocab)
	s.W.head.Mul(h, cfg.Hidden, n4, logits, cfg.Vocab, false)
	return logits[:n*cfg.Vocab]
}

// forwardTokens runs the decoder layers over the tokens of rows [lo, hi):
// row r's columns [start[r], end[r]) of ids [*t], at slots equal to their
// columns and positions counted from start[r]. It returns the last layer's
// output (before the final norm), one row per token in row-then-column
// order, and the number of token rows.
func (s *State) forwardTokens(lo, hi, t int, start, end []int, ids []int32) ([]float32, int) {
	cfg := s.W.Config
	H, hd := cfg.Hidden, cfg.HeadDim
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, I := nq+2*nkv, cfg.Intermediate
	m := 0 // token rows
	for r := lo; r < hi; r++ {
		m += end[r] - start[r]
	}
	m4 := (m + 3) / 4 * 4
	x, h := make([]float32, m4*H), make([]float32, m4*H)
	qkv, attn := make([]float32, m4*qkvN), make([]float32, m4*nq)
	gu, act := make([]float32, m4*2*I), make([]float32, m4*I)
	w := &scratch{}
	k := 0
	for r := lo; r < hi; r++ {
		for j := start[r]; j < end[r]; j++ {
			copy(x[k*H:(k+1)*H], s.W.embed[int(ids[r*t+j])*H:])
			k++
		}
	}
	for l, ly := range s.W.layers {
		rmsNorm(h, x, ly.inNorm, m4, H, cfg.Eps)
		ly.qkv.Mul(h, H, m4, qkv, qkvN, false)
		k = 0
		for r := lo; r < hi; r++ {
			rc, k0 := s.rows[r], k
			for j := start[r]; j < end[r]; j++ { // every key first: a token attends to those before it
				s.ropeStore(rc, l, j, int32(j-start[r]), qkv[k*qkvN:(k+1)*qkvN])
				k++
			}
			s.attendRow(w, rc, l, start[r], end[r], qkv, k0, attn)
		}
		ly.o.Mul(attn, nq, m4, x, H, true)
		rmsNorm(h, x, ly.postNorm, m4, H, cfg.Eps)
		ly.gateUp.Mul(h, H, m4, gu, 2*I, false)
		for i := 0; i < m4; i++ {
			siluMul(act[i*I:(i+1)*I], gu[i*2*I:i*2*I+I], gu[i*2*I+I:(i+1)*2*I])
		}
		ly.down.Mul(act, I, m4, x, H, true)
	}
	return x, m
}

// attendRow writes the attention outputs of one row's tokens at slots
// [start, end) (token rows from k0 of qkv and attn) over layer l's cache,
// whose valid slots are [start, ∞): for each head, causal scores against
// the key panels, the softmax over slots [start, j] of the query at slot
// j, and the product with the value panels over the same slots.
func (s *State) attendRow(w *scratch, rc *rowCache, l, start, end int, qkv []float32, k0 int, attn []float32) {
	cfg := s.W.Config
	hd := cfg.HeadDim
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, grp := nq+2*nkv, cfg.Heads/cfg.KVHeads
	n, ld := end-start, roundUp16(end)
	w.scores = grow(w.scores, n*ld)
	p := w.scores
	for g := 0; g < cfg.KVHeads; g++ {
		kc, vc := rc.k[l*cfg.KVHeads+g], rc.v[l*cfg.KVHeads+g]
		for h := g * grp; h < (g+1)*grp; h++ {
			causalScores(qkv, k0*qkvN+h*hd, qkvN, n, start, kc, hd, p, ld)
			causalSoftmax(p, n, start, ld)
			causalMul(p, ld, n, start, vc, s.C*16, hd, attn, k0*nq+h*hd, nq)
		}
	}
}
