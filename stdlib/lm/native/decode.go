package native

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// State is one batch's KV cache and decoding position. It belongs to one
// caller at a time.
type State struct {
	W       *Weights
	B, C    int // rows, cache capacity in slots (a multiple of 16)
	Next    int // the slot the next token goes to (the same for every row)
	rows    []*rowCache
	scratch []*scratch
}

// rowCache is one row's cache: per layer and KV head, keys as C/16 panels
// of [hd][16 slots] (the score product's packed operand) and values as
// hd/16 panels of [C slots][16 dims] (the output product's).
type rowCache struct {
	k, v  [][]float32 // [layer*KVHeads + g]
	valid []bool      // [C]: false on left padding
	lo    int         // valid is false on [0, lo) and true after; -1 if not such a prefix
	pos   int32       // the position of the row's next token
}

// setLo computes lo from valid.
func (rc *rowCache) setLo() {
	lo := 0
	for lo < len(rc.valid) && !rc.valid[lo] {
		lo++
	}
	rc.lo = lo
	for _, v := range rc.valid[lo:] {
		if !v {
			rc.lo = -1
			return
		}
	}
}

func roundUp16(n int) int { return (n + 15) / 16 * 16 }

func (s *State) newRow() *rowCache {
	cfg := s.W.Config
	n := cfg.Layers * cfg.KVHeads
	rc := &rowCache{k: make([][]float32, n), v: make([][]float32, n), valid: make([]bool, s.C)}
	for i := range rc.k {
		rc.k[i] = make([]float32, s.C*cfg.HeadDim)
		rc.v[i] = make([]float32, s.C*cfg.HeadDim)
	}
	return rc
}

// put stores a key and a value at a slot of cache i (capacity c).
func (rc *rowCache) put(i, c, hd, slot int, k, v []float32) {
	kp := rc.k[i][(slot/16)*hd*16+slot%16:]
	for d, x := range k {
		kp[d*16] = x
	}
	vv := rc.v[i]
	for d, x := range v {
		vv[(d/16)*c*16+slot*16+d%16] = x
	}
}

// Grow raises the capacity to at least c slots (new slots are valid).
func (s *State) Grow(c int) {
	c = roundUp16(c)
	if c <= s.C {
		return
	}
	hd := s.W.Config.HeadDim
	for _, rc := range s.rows {
		for i := range rc.k {
			k := make([]float32, c*hd)
			copy(k, rc.k[i]) // key panels are slot-major: the old ones are a prefix
			v := make([]float32, c*hd)
			for p := 0; p < hd/16; p++ {
				copy(v[p*c*16:], rc.v[i][p*s.C*16:(p+1)*s.C*16])
			}
			rc.k[i], rc.v[i] = k, v
		}
		valid := make([]bool, c)
		copy(valid, rc.valid)
		for j := s.C; j < c; j++ {
			valid[j] = true
		}
		rc.valid = valid
		rc.setLo()
	}
	s.C = c
}

// Compact keeps the given rows, in order; a repeated row is copied (every
// row of a batch is written at each step).
func (s *State) Compact(rows []int) error {
	seen := map[int]bool{}
	out := make([]*rowCache, len(rows))
	for i, k := range rows {
		if k < 0 || k >= s.B {
			return fmt.Errorf("native: compact: row %d of a batch of %d", k, s.B)
		}
		if !seen[k] {
			out[i], seen[k] = s.rows[k], true
			continue
		}
		src := s.rows[k]
		rc := &rowCache{k: make([][]float32, len(src.k)), v: make([][]float32, len(src.v)),
			valid: append([]bool(nil), src.valid...), lo: src.lo, pos: src.pos}
		for j := range src.k {
			rc.k[j] = append([]float32(nil), src.k[j]...)
			rc.v[j] = append([]float32(nil), src.v[j]...)
		}
		out[i] = rc
	}
	s.rows, s.B, s.scratch = out, len(rows), nil
	return nil
}

// scratch holds one worker's activations for up to rows rows (a multiple
// of 4: the padded rows are zeros and their results ignored).
type scratch struct {
	lo, n, rows                      int // batch rows [lo, lo+n), padded to rows
	x, h, qkv, attn, gu, act, logits []float32
	scores                           []float32
}

func (s *State) workers() []*scratch {
	if s.scratch != nil {
		return s.scratch
	}
	// Rows split into at most one worker per core, at least 8 rows each
	// (fewer rows per weight pass read the weights more often).
	nw := max(1, min(runtime.GOMAXPROCS(0), s.B/8))
	cfg := s.W.Config
	per := (s.B + nw - 1) / nw
	for lo := 0; lo < s.B; lo += per {
		n := min(per, s.B-lo)
		r := (n + 3) / 4 * 4
		qkv := (cfg.Heads + 2*cfg.KVHeads) * cfg.HeadDim
		s.scratch = append(s.scratch, &scratch{lo: lo, n: n, rows: r,
			x: make([]float32, r*cfg.Hidden), h: make([]float32, r*cfg.Hidden), qkv: make([]float32, r*qkv),
			attn: make([]float32, r*cfg.Heads*cfg.HeadDim), gu: make([]float32, r*2*cfg.Intermediate),
			act: make([]float32, r*cfg.Intermediate), logits: make([]float32, r*cfg.Vocab)})
	}
	return s.scratch
}

// Decode feeds one token per row at slot Next and returns the next-token
// logits [B*Vocab].
func (s *State) Decode(ids []int32) ([]float32, error) {
	cfg := s.W.Config
	if len(ids) != s.B {
		return nil, fmt.Errorf("native: decode: %d ids for a batch of %d", len(ids), s.B)
	}
	if s.Next >= s.C {
		return nil, fmt.Errorf("native: decode: KV cache full (%d slots)", s.C)
	}
	for i, id := range ids {
		if id < 0 || int(id) >= cfg.Vocab {
			return nil, fmt.Errorf("native: decode: row %d: token %d outside the vocabulary (%d)", i, id, cfg.Vocab)
		}
	}
	out := make([]float32, s.B*cfg.Vocab)
	ws := s.workers()
	if len(ws) == 1 {
		s.run(ws[0], ids, out)
	} else {
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Go(func() { s.run(w, ids, out) })
		}
		wg.Wait()
	}
	s.Next++
	for _, rc := range s.rows {
		rc.pos++
	}
	return out, nil
}

// run decodes one worker's rows.
func (s *State) run(w *scratch, ids []int32, out []float32) {
	cfg := s.W.Config
	H, hd := cfg.Hidden, cfg.HeadDim
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN := nq + 2*nkv
	I := cfg.Intermediate
	for r := 0; r < w.n; r++ {
		copy(w.x[r*H:(r+1)*H], s.W.embed[int(ids[w.lo+r])*H:])
	}
	for i := w.n * H; i < len(w.x); i++ {
		w.x[i] = 0
	}
	for l, ly := range s.W.layers {
		rmsNorm(w.h, w.x, ly.inNorm, w.rows, H, cfg.Eps)
		ly.qkv.Mul(w.h, H, w.rows, w.qkv, qkvN, false)
		for r := 0; r < w.n; r++ {
			rc, qkv := s.rows[w.lo+r], w.qkv[r*qkvN:(r+1)*qkvN]
			s.ropeStore(rc, l, s.Next, rc.pos, qkv)
			s.attend(w, rc, l, s.Next, qkv, w.attn[r*nq:(r+1)*nq])
		}
		ly.o.Mul(w.attn, nq, w.rows, w.x, H, true)
		rmsNorm(w.h, w.x, ly.postNorm, w.rows, H, cfg.Eps)
		ly.gateUp.Mul(w.h, H, w.rows, w.gu, 2*I, false)
		for r := 0; r < w.rows; r++ {
			siluMul(w.act[r*I:(r+1)*I], w.gu[r*2*I:r*2*I+I], w.gu[r*2*I+I:(r+1)*2*I])
		}
		ly.down.Mul(w.act, I, w.rows, w.x, H, true)
	}
	rmsNorm(w.h, w.x, s.W.norm, w.rows, H, cfg.Eps)
	s.W.head.Mul(w.h, H, w.rows, w.logits, cfg.Vocab, false)
	copy(out[w.lo*cfg.Vocab:(w.lo+w.n)*cfg.Vocab], w.logits[:w.n*cfg.Vocab])
}

// ropeStore applies RoPE at position pos to one token's q (also scaled
// by 1/sqrt(hd)) and k, in place in qkv, and stores k and v at a slot of
// layer l's cache.
func (s *State) ropeStore(rc *rowCache, l, slot int, pos int32, qkv []float32) {
	cfg := s.W.Config
	hd, half := cfg.HeadDim, cfg.HeadDim/2
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	var cs [2][256]float32 // cos, sin for hd/2 ≤ 256
	cos, sin := cs[0][:half], cs[1][:half]
	p := float32(pos) / cfg.RopeFactor
	for i := range cos {
		a := float64(p * cfg.InvFreq[i])
		cos[i], sin[i] = float32(math.Cos(a)), float32(math.Sin(a))
	}
	rope := func(x []float32) {
		for i := 0; i < half; i++ {
			x1, x2 := x[i], x[i+half]
			x[i] = x1*cos[i] - x2*sin[i]
			x[i+half] = x2*cos[i] + x1*sin[i]
		}
	}
	sc := float32(1 / math.Sqrt(float64(hd)))
	for h := 0; h < cfg.Heads; h++ {
		q := qkv[h*hd : (h+1)*hd]
		rope(q)
		for i := range q {
			q[i] *= sc
		}
	}
	for g := 0; g < cfg.KVHeads; g++ {
		k := qkv[nq+g*hd : nq+(g+1)*hd]
		rope(k)
		rc.put(l*cfg.KVHeads+g, s.C, hd, slot, k, qkv[nq+nkv+g*hd:nq+nkv+(g+1)*hd])
	}
}

// attend writes one token's attention output [Heads*HeadDim] from its
// (RoPE'd) q in qkv over layer l's cache slots [0, slot].
func (s *State) attend(w *scratch, rc *rowCache, l, slot int, qkv, out []float32) {
	cfg := s.W.Config
	hd := cfg.HeadDim
	grp := cfg.Heads / cfg.KVHeads
	n := slot + 1
	np := (n + 15) / 16
	ld := np * 16
	if cap(w.scores) < grp*ld {
		w.scores = make([]float32, grp*s.C)
	}
	sc := w.scores[:grp*ld]
	for g := 0; g < cfg.KVHeads; g++ {
		kc, vc := rc.k[l*cfg.KVHeads+g], rc.v[l*cfg.KVHeads+g]
		// scores [grp, ld] = q_g [grp, hd] · K [hd, slots]
		panelMul(qkv, g*grp*hd, hd, grp, kc, hd, np, hd*16, sc, 0, ld, false)
		for i := 0; i < grp; i++ {
			softmax(sc[i*ld:i*ld+n], rc)
		}
		// out [grp, hd] = p [grp, slots] · V [slots, hd]
		panelMul(sc, 0, ld, grp, vc, n, hd/16, s.C*16, out, g*grp*hd, hd, false)
	}
}

// softmax turns one head's scores over slots [0, len(x)) into
// probabilities in place; slots that are not valid get 0.
func softmax(x []float32, rc *rowCache) {
	if rc.lo >= 0 { // the invalid slots are a prefix (left padding)
		lo := min(rc.lo, len(x))
		clear(x[:lo])
		x = x[lo:]
		scale(x, 1/expSub(x, maxOf(x)))
		return
	}
	m := float32(math.Inf(-1))
	for j, v := range x {
		if rc.valid[j] && v > m {
			m = v
		}
	}
	var sum float32
	for j, v := range x {
		if !rc.valid[j] {
			x[j] = 0
			continue
		}
		e := exp32(v - m)
		x[j] = e
		sum += e
	}
	scale(x, 1/sum)
}

// rmsNorm writes x / sqrt(mean(x²) + eps) · w for rows rows of n.
func rmsNorm(dst, x, w []float32, rows, n int, eps float32) {
	for r := 0; r < rows; r++ {
		xr, dr := x[r*n:(r+1)*n], dst[r*n:(r+1)*n]
		var ss float32
		for _, v := range xr {
			ss += v * v
		}
		inv := float32(1 / math.Sqrt(float64(ss/float32(n)+eps)))
		for i, v := range xr {
			dr[i] = v * inv * w[i]
		}
	}
}
