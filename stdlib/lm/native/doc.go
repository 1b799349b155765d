// Package native runs Llama-family models on the CPU without a graph:
// decoding steps against a KV cache, prefill, scoring of whole sequences
// (log-probs and values) and a training pass for LoRA adapters (forward
// with a tape, backward to the adapters' gradients), as plain Go loops
// around AVX2/FMA matrix micro-kernels.
//
// A decoding step of a small model is a few hundred tiny operations; the
// pure-Go GoMLX backend spends most of such a step on per-operation
// overhead and on matmul kernels sized for larger shapes. Here the weights
// are packed once into the kernels' panel layout (16 output columns × all
// inputs, contiguous), projections that read the same input are fused
// (q|k|v, gate|up), residual adds are folded into the matmuls that produce
// them, and the KV cache is kept in the layouts the attention products read
// (keys as panels of 16 slots, values as panels of 16 dimensions). Whole
// sequences (prefill, scoring, training) attend in blocks of six queries
// and skip the blocks the causal mask zeroes.
//
// The training pass (Forward, Tape.Backward) keeps the base frozen and
// applies the adapter unmerged, as the graph does; the loss on top of the
// final hidden states is the caller's. Its backward products read the
// weights through transposed packs made once per Weights.
//
// Package lm uses it for Runner.Prefill and Runner.Decode on the pure-Go
// backend, package rl for PPO's forward passes (Score) and for the
// Trainer's gradients (Forward). Results match the graph's up to float
// rounding: lm's and rl's tests compare the two, and train_test.go checks
// the gradients against finite differences.
package native
