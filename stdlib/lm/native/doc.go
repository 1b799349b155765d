// Package native decodes Llama-family models on the CPU without a graph:
// one generation step (embedding, decoder layers against a KV cache, head)
// as plain Go loops around AVX2/FMA matrix micro-kernels.
//
// A decoding step of a small model is a few hundred tiny operations; the
// pure-Go GoMLX backend spends most of such a step on per-operation
// overhead and on matmul kernels sized for larger shapes. Here the weights
// are packed once into the kernels' panel layout (16 output columns × all
// inputs, contiguous), projections that read the same input are fused
// (q|k|v, gate|up), residual adds are folded into the matmuls that produce
// them, and the KV cache is kept in the layouts the attention products read
// (keys as panels of 16 slots, values as panels of 16 dimensions).
//
// Package lm uses it for Runner.Decode on the pure-Go backend (prefill stays
// a graph: it is one large batch). Results match the graph's up to float
// rounding; lm's tests compare the two.
package native
