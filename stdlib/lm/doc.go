// Package lm is a Llama-family decoder-only language model on GoMLX:
// pre-norm RMSNorm, SwiGLU MLP, rotary position embeddings (rope_theta,
// linear rope_scaling, Hugging Face's rotate-half convention), grouped-query
// attention, an lm_head that is tied to the embeddings when the config says
// so, causal and padding masks (batches are left-padded for generation), and
// a KV cache for generation.
//
// # Checkpoints
//
// Load reads a Hugging Face checkpoint directory offline: config.json and
// model.safetensors, or model-0000x-of-0000y.safetensors shards with
// model.safetensors.index.json. Tensor names are Hugging Face's
// (model.embed_tokens.weight, model.layers.N.self_attn.{q,k,v,o}_proj.weight,
// model.layers.N.mlp.{gate,up,down}_proj.weight, input_layernorm,
// post_attention_layernorm, model.norm.weight, lm_head.weight) and so are the
// weight layouts ([out, in]); every tensor's presence, shape and dtype (F32,
// BF16, F16; the config's torch_dtype unless LoadOptions.AllowMixedDTypes)
// is checked and errors name the tensor. Weights are converted to float32.
// Model.Save writes the same layout (optionally sharded, in f32/bf16/f16),
// and NewRandom makes random-weight models from a Config: Preset gives
// "tiny" (≈0.26M parameters, for tests), "small" (≈3.2M, trainable on a
// laptop CPU) and "deepseek-coder-1.3b" (the architecture of
// deepseek-ai/deepseek-coder-1.3b-base).
//
// # Running
//
// A Runner executes the model, with an optional Extension (a LoRA adapter
// from stdlib/lora, unmerged), on GoMLX graphs compiled once per input shape:
// Logits, TokenLogProbs (per-token log-probabilities of a sequence: the raw
// policy), and Prefill/Decode over a KV cache (stdlib/generate builds
// sampling on these). Weights is the graph-level model for callers that
// build their own graphs (the LoRA trainer).
//
// Numerics are checked against an independent NumPy implementation
// (testdata/reference/forward.py) on a random tiny checkpoint: float32 logits
// agree with its float64 ones to about 5e-7 relative.
//
// # Backends
//
// The pure-Go GoMLX backend is the default (build with GOEXPERIMENT=simd for
// its fast matrix multiplications). Binaries built with -tags xla also link
// GoMLX's XLA backend (github.com/gomlx/go-xla, cgo), selected at run time
// with GOMLX_BACKEND=xla:/abs/path/to/pjrt_plugin.so, e.g. the PJRT CUDA
// plugin xla_cuda_plugin.so from JAX's jax-cuda13-pjrt wheel. Generation
// buckets prompt, cache and batch sizes to powers of two, so XLA compiles a
// handful of graphs and reuses them.
package lm
