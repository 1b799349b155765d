package rl

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
)

// CrossEntropy is the SFT (and pretraining) loss: the mean negative
// log-likelihood of the weighted tokens. With CompletionBatch's loss mask the
// prompt and the padding carry no loss and so no gradient.
type CrossEntropy struct{}

// Metrics implements Objective.
func (CrossEntropy) Metrics() []string { return nil }

// Extra implements Objective.
func (CrossEntropy) Extra() []string { return nil }

// Loss implements Objective.
func (CrossEntropy) Loss(f *Forward) (*Node, *Node, []*Node) {
	return Neg(ReduceAllSum(Mul(f.LogP, f.Weights))), ReduceAllSum(f.Weights), nil
}

func clipRatio(ratio *Node, eps float64) *Node {
	g := ratio.Graph()
	// Min/Max rather than Clip: GoMLX v0.28.16 has no gradient for Clamp.
	return Min(Max(ratio, Scalar(g, dtypes.Float32, 1-eps)), Scalar(g, dtypes.Float32, 1+eps))
}

func indicatorF(b *Node) *Node { return ConvertDType(b, dtypes.Float32) }

// wsum is Σ x·w.
func wsum(x, w *Node) *Node { return ReduceAllSum(Mul(x, w)) }

// PPOObjective is PPO's token-level loss with a value head:
//
//	ratio_t = exp(logπ(a_t) − logπ_old(a_t))
//	L_pg    = −min(ratio_t·A_t, clip(ratio_t, 1±ClipEps)·A_t)
//	L_v     = ½·max((V_t − R_t)², (V_old,t + clip(V_t − V_old,t, ±ClipValue) − R_t)²)
//	L       = mean over completion tokens of L_pg + VFCoef·L_v − EntCoef·H_t
//
// Extra inputs: advantages (A_t, GAE, whitened), returns (R_t = A_t + V_old,t
// before whitening), old_logprobs and old_values (from the rollout policy, under
// the same temperature-scaled distribution the trainer computes).
type PPOObjective struct {
	ClipEps   float64
	ClipValue float64 // <= 0: no value clipping
	VFCoef    float64
	EntCoef   float64
}

// Metrics implements Objective.
func (PPOObjective) Metrics() []string {
	return []string{"pg_loss", "vf_loss", "entropy", "clipfrac", "approx_kl", "vf_clipfrac", "value_mean"}
}

// Extra implements Objective.
func (PPOObjective) Extra() []string {
	return []string{"advantages", "returns", "old_logprobs", "old_values"}
}

// Loss implements Objective.
func (o PPOObjective) Loss(f *Forward) (*Node, *Node, []*Node) {
	w := f.Weights
	adv, ret, old, oldV := f.Extra["advantages"], f.Extra["returns"], f.Extra["old_logprobs"], f.Extra["old_values"]
	logRatio := Sub(f.LogP, old)
	ratio := Exp(logRatio)
	pg := Neg(Min(Mul(ratio, adv), Mul(clipRatio(ratio, o.ClipEps), adv)))
	v := f.Values()
	vf := Square(Sub(v, ret))
	vfClipped := ZerosLike(vf)
	if o.ClipValue > 0 {
		g := v.Graph()
		dv := Min(Max(Sub(v, oldV), Scalar(g, dtypes.Float32, -o.ClipValue)), Scalar(g, dtypes.Float32, o.ClipValue))
		vc := Square(Sub(Add(oldV, dv), ret))
		vfClipped = indicatorF(GreaterThan(vc, vf))
		vf = Max(vf, vc)
	}
	vf = MulScalar(vf, 0.5)
	ent := f.Entropy()
	per := Add(pg, MulScalar(vf, o.VFCoef))
	if o.EntCoef != 0 {
		per = Sub(per, MulScalar(ent, o.EntCoef))
	}
	clipped := indicatorF(GreaterThan(Abs(Sub(ratio, OnesLike(ratio))), Scalar(ratio.Graph(), dtypes.Float32, o.ClipEps)))
	approxKL := Sub(Sub(ratio, OnesLike(ratio)), logRatio) // k3: E[(r−1) − log r] ≥ 0
	return wsum(per, w), ReduceAllSum(w), []*Node{
		wsum(pg, w), wsum(vf, w), wsum(ent, w), wsum(clipped, w), wsum(approxKL, w), wsum(vfClipped, w), wsum(v, w),
	}
}

// GRPOObjective is GRPO (Shao et al., 2024): no value head; each
// completion's advantage is its reward standardised within its group (the
// completions of the same prompt), given per token; the clipped token-level
// ratio, and a KL penalty to the reference policy in the loss (the k3
// estimator exp(ref−logπ) − (ref−logπ) − 1, unbiased and non-negative).
// The loss is the mean over all completion tokens of the batch.
//
// Extra inputs: advantages, old_logprobs, ref_logprobs.
type GRPOObjective struct {
	ClipEps float64
	KLCoef  float64
	EntCoef float64
}

// Metrics implements Objective.
func (GRPOObjective) Metrics() []string {
	return []string{"pg_loss", "kl_ref", "entropy", "clipfrac", "approx_kl"}
}

// Extra implements Objective.
func (GRPOObjective) Extra() []string { return []string{"advantages", "old_logprobs", "ref_logprobs"} }

// Loss implements Objective.
func (o GRPOObjective) Loss(f *Forward) (*Node, *Node, []*Node) {
	w := f.Weights
	adv, old, ref := f.Extra["advantages"], f.Extra["old_logprobs"], f.Extra["ref_logprobs"]
	logRatio := Sub(f.LogP, old)
	ratio := Exp(logRatio)
	pg := Neg(Min(Mul(ratio, adv), Mul(clipRatio(ratio, o.ClipEps), adv)))
	d := Sub(ref, f.LogP)
	kl := Sub(Sub(Exp(d), d), OnesLike(d))
	per := Add(pg, MulScalar(kl, o.KLCoef))
	ent := f.Entropy()
	if o.EntCoef != 0 {
		per = Sub(per, MulScalar(ent, o.EntCoef))
	}
	clipped := indicatorF(GreaterThan(Abs(Sub(ratio, OnesLike(ratio))), Scalar(ratio.Graph(), dtypes.Float32, o.ClipEps)))
	approxKL := Sub(Sub(ratio, OnesLike(ratio)), logRatio)
	return wsum(per, w), ReduceAllSum(w), []*Node{wsum(pg, w), wsum(kl, w), wsum(ent, w), wsum(clipped, w), wsum(approxKL, w)}
}

// SeqObjective is the study's own PPO variant: one ratio per completion,
// exp(Σ_t logπ − Σ_t logπ_old), clipped, with the completion's advantage
// A = R − mean(R over the batch) (a batch-mean baseline, no value head).
// The loss is the mean over completions. The advantage is given per token
// (the same value on every completion token of a row).
//
// Extra inputs: advantages, old_logprobs.
type SeqObjective struct {
	ClipEps float64
	EntCoef float64
}

// Metrics implements Objective.
func (SeqObjective) Metrics() []string {
	return []string{"pg_loss", "entropy", "clipfrac", "approx_kl"}
}

// Extra implements Objective.
func (SeqObjective) Extra() []string { return []string{"advantages", "old_logprobs"} }

// Loss implements Objective.
func (o SeqObjective) Loss(f *Forward) (*Node, *Node, []*Node) {
	g := f.G
	w := f.Weights
	adv, old := f.Extra["advantages"], f.Extra["old_logprobs"]
	ntok := ReduceSum(w, -1) // [B]
	has := indicatorF(GreaterThan(ntok, ScalarZero(g, dtypes.Float32)))
	seqAdv := Div(ReduceSum(Mul(adv, w), -1), MaxScalar(ntok, 1))
	logRatio := ReduceSum(Mul(Sub(f.LogP, old), w), -1) // [B]
	ratio := Exp(logRatio)
	pg := Neg(Min(Mul(ratio, seqAdv), Mul(clipRatio(ratio, o.ClipEps), seqAdv)))
	// Entropy is averaged per completion so every row weighs 1.
	ent := Div(ReduceSum(Mul(f.Entropy(), w), -1), MaxScalar(ntok, 1))
	per := pg
	if o.EntCoef != 0 {
		per = Sub(per, MulScalar(ent, o.EntCoef))
	}
	clipped := indicatorF(GreaterThan(Abs(Sub(ratio, OnesLike(ratio))), Scalar(g, dtypes.Float32, o.ClipEps)))
	// approx_kl per token (k3 of each token's ratio, averaged over the
	// completion), on the same scale as PPO's and GRPO's so one TargetKL
	// serves all three; the sequence ratio's k3 would be about L times larger.
	tokLR := Mul(Sub(f.LogP, old), w)
	tokK3 := Mul(Sub(Sub(Exp(tokLR), OnesLike(tokLR)), tokLR), w)
	approxKL := Div(ReduceSum(tokK3, -1), MaxScalar(ntok, 1))
	return wsum(per, has), ReduceAllSum(has), []*Node{wsum(pg, has), wsum(ent, has), wsum(clipped, has), wsum(approxKL, has)}
}
