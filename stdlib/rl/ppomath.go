package rl

import "math"

// GAE computes generalised advantage estimates (Schulman et al., 2016) for
// one episode of T steps: rewards[t] is the reward after action t, values[t]
// the value estimate V(s_t); the episode ends after step T-1 (V(s_T) = 0).
//
//	δ_t = r_t + γ·V(s_{t+1}) − V(s_t)
//	A_t = δ_t + γ·λ·A_{t+1}
//	R_t = A_t + V(s_t)          (the value target)
func GAE(rewards, values []float64, gamma, lambda float64) (adv, ret []float64) {
	n := len(rewards)
	adv = make([]float64, n)
	ret = make([]float64, n)
	last := 0.0
	for t := n - 1; t >= 0; t-- {
		next := 0.0
		if t+1 < n {
			next = values[t+1]
		}
		delta := rewards[t] + gamma*next - values[t]
		last = delta + gamma*lambda*last
		adv[t] = last
		ret[t] = adv[t] + values[t]
	}
	return adv, ret
}

// MeanStd returns the mean and the (population) standard deviation.
func MeanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}

// Whiten standardises xs in place over all its entries: (x − mean)/(std +
// 1e-8); with shiftMean false the mean is added back (only the scale
// changes), as TRL does for rewards.
func Whiten(xs []float64, shiftMean bool) {
	if len(xs) < 2 {
		return
	}
	mean, std := MeanStd(xs)
	for i, x := range xs {
		w := (x - mean) / (std + 1e-8)
		if !shiftMean {
			w += mean
		}
		xs[i] = w
	}
}

// WhitenRows whitens ragged rows jointly (over every entry of every row).
func WhitenRows(rows [][]float64, shiftMean bool) {
	var flat []float64
	for _, r := range rows {
		flat = append(flat, r...)
	}
	Whiten(flat, shiftMean)
	k := 0
	for _, r := range rows {
		copy(r, flat[k:k+len(r)])
		k += len(r)
	}
}

// KLPenaltyRewards turns a completion's score into per-token rewards with a
// per-token KL penalty against the reference policy:
//
//	r_t = −β·(log π_old(a_t) − log π_ref(a_t))     (+ score on the last token)
//
// and returns them with the per-token KL estimates (the k1 estimator, whose
// sum over the completion is an unbiased estimate of KL(π_old ‖ π_ref)).
func KLPenaltyRewards(score float64, oldLogp, refLogp []float64, beta float64) (rewards, kl []float64) {
	n := len(oldLogp)
	rewards = make([]float64, n)
	kl = make([]float64, n)
	for t := range oldLogp {
		kl[t] = oldLogp[t] - refLogp[t]
		rewards[t] = -beta * kl[t]
	}
	if n > 0 {
		rewards[n-1] += score
	}
	return rewards, kl
}

// KLController is the KL coefficient β: fixed, or adaptive as in Ziegler
// et al. (2019): after each batch with mean sequence KL k,
//
//	e = clip(k / Target − 1, −0.2, 0.2);   β ← β·(1 + e·n/Horizon)
//
// where n is the number of completions in the batch.
type KLController struct {
	Coef    float64 `json:"coef"`
	Target  float64 `json:"target"`  // <= 0: fixed coefficient
	Horizon float64 `json:"horizon"` // in completions
}

// Update adapts the coefficient after a batch.
func (k *KLController) Update(meanKL float64, n int) {
	if k.Target <= 0 || k.Horizon <= 0 {
		return
	}
	e := math.Max(-0.2, math.Min(0.2, meanKL/k.Target-1))
	k.Coef *= 1 + e*float64(n)/k.Horizon
}

// GroupAdvantages is GRPO's advantage: each score standardised within its
// group (the completions of one prompt): (r − mean_g)/(std_g + eps). A group
// whose scores are all equal gets zero advantages.
func GroupAdvantages(scores []float64, groups []int) []float64 {
	byG := map[int][]int{}
	for i, g := range groups {
		byG[g] = append(byG[g], i)
	}
	adv := make([]float64, len(scores))
	for _, idx := range byG {
		xs := make([]float64, len(idx))
		for j, i := range idx {
			xs[j] = scores[i]
		}
		mean, std := MeanStd(xs)
		for _, i := range idx {
			adv[i] = (scores[i] - mean) / (std + 1e-4)
		}
	}
	return adv
}

// BatchMeanAdvantages is the study's baseline: A = R − mean(R).
func BatchMeanAdvantages(scores []float64) []float64 {
	mean, _ := MeanStd(scores)
	adv := make([]float64, len(scores))
	for i, s := range scores {
		adv[i] = s - mean
	}
	return adv
}
