// Package rl trains SecureCodeRL's code models on GoMLX: pretraining of the
// base model (and of its BPE tokenizer), supervised fine-tuning (SFT) on reference
// solutions, and reinforcement learning from execution and security
// feedback (PPO, the study's own sequence-level variant, GRPO), with
// checkpoints that resume exactly, crash-safe logs, and evaluation on fixed
// held-out problems (Table IV with bootstrap confidence intervals).
//
// # Trainer
//
// Trainer runs optimiser steps on a policy: an lm.Model, optionally a LoRA
// adapter (lora.Adapter, PEFT format) and optionally a value head (a linear
// map of the final normed hidden state). The base is frozen (LoRA) or
// trained (TrainerConfig.Full: full fine-tuning). A step accumulates the
// gradients of several micro-batches (gradient accumulation), clips their
// global L2 norm and applies AdamW (decoupled weight decay on matrices
// only); Schedule gives linear warmup then cosine decay. The loss is an
// Objective over per-token quantities (Forward: log-probs, entropy, values),
// so SFT, PPO, the study's variant and GRPO share one trainer. State /
// SetState and SaveCheckpoint / LoadCheckpoint cover everything a resumed
// run needs: parameters, AdamW moments, step count and the dropout RNG.
//
// # SFT
//
// RunSFT trains on (prompt, reference solution) pairs of the training
// problems (apps.Split: held-out problems are never trained on). The loss
// covers completion tokens only: CompletionBatch's loss mask is 0 on the
// prompt and on padding, so neither carries gradient (TestSFTLossMasking).
// The held-out loss is computed every EvalEvery steps on solutions of
// held-out problems.
//
// # PPO
//
// RunPPO trains a LoRA adapter initialised from an SFT run (or, for
// ppo-continue, from a PPO run). Each step:
//
//  1. Rollouts from the current policy, in generation batches; each batch is
//     handed to a scoring goroutine (sandbox judging and the security scanner
//     run concurrently on it) while the next batch is generated, and the
//     policy/reference forward passes run while the last batch is scored, so
//     scoring does not idle the trainer (timings in every metrics row:
//     generate_s, score_s, score_wait_s, forward_s, optimise_s).
//  2. Rewards R = α·R_func + β·R_sec (stdlib/reward).
//  3. AlgoPPO: per-token rewards −β_KL·(log π_old − log π_ref) plus R on the
//     last token, where π_ref is the frozen SFT policy (not the base),
//     optionally whitened: R centred on the batch mean, then the per-token
//     rewards rescaled jointly after the penalty is added (as TRL; dividing R
//     by std(R) before adding the penalty would shrink β_KL's weight by
//     std(R), 10–20× on a batch of similar rewards); values
//     from the value head; GAE(γ, λ) with γ = λ = 1 by default (every token
//     of a completion gets its whole return, less the value estimate; with
//     λ = 0.95 the first of 100 tokens got 0.6% of the terminal reward
//     while the value head was still near 0); advantages whitened; several epochs of
//     shuffled minibatches of the clipped surrogate, a clipped value loss and
//     an entropy bonus; early stop when a minibatch's approximate KL exceeds
//     1.5·TargetKL; β_KL fixed or adaptive (KLController).
//     AlgoStudy: one ratio per sequence, A = R − β_KL·KL − batch mean, no
//     value head. AlgoGRPO: several completions per prompt, advantages
//     standardised within each group, KL to the reference in the loss.
//     A batch without a score difference (every score equal for PPO and the
//     study's objective, every group constant for GRPO: a binary reward that
//     nobody earns, a syntax reward that everybody earns) takes no optimiser
//     step and moves no weight (EqualScores; equal_scores in the metrics):
//     whitening would otherwise scale the KL term alone — rounding noise at
//     the first steps — to unit variance and train on it.
//
// Which log-probabilities the ratio uses. The study's code computed the
// "old" log-probabilities from the sampler's processed scores (after
// temperature and top-p) and the new ones from the raw model logits, so its
// ratio compared two different distributions and was not 1 even before the
// first update. Here the policy is the distribution that samples:
// softmax(logits / T) with no top-k/top-p/repetition penalty during RL
// rollouts, and the trainer computes log-probabilities (and entropy) of that
// same tempered distribution (TrainerConfig.Temperature = PPOConfig.Temperature).
// π_old is recomputed by a forward pass of the rollout policy (the same
// weights and tempered softmax as the loss, though a separate graph with its
// own batching and padding, so the first minibatch's ratio is 1 up to float32
// rounding) and compared with the sampler's own log-probabilities; their mean
// absolute difference is logged as logprob_drift (about 1e-6). LoRA dropout is switched off during
// RL for the same reason: the ratio must compare the same function.
//
// Variants (VariantByName) are configurations: ppo-simple (SFT init,
// SyntaxOnly reward), ppo-fresh (SFT init, partial credit + security, α 0.6
// β 0.4), ppo-continue (init from a ppo-simple run), and the ablations
// ppo-binary, ppo-partial-nosec (β = 0) and ppo-binary-sec. The algorithm is
// chosen separately (PPOConfig.Algorithm: "ppo", "study", "grpo").
//
// # Run directories, logs and resumption
//
// A run directory holds run.json (kind, configuration, base model, init and
// reference policies), ckpt/ (the latest checkpoint, swapped in atomically:
// adapter in PEFT format or full weights, value head, AdamW moments, RNG
// state, step, data position, KL coefficient), metrics.jsonl and
// metrics.csv (one row per step), and for PPO rollouts.jsonl: every scored
// rollout (prompt id, completion and its tokens, program, verdicts, stage,
// R_func, findings, R_sec, R, step), appended and fsynced per generation
// batch, so a kill -9 loses none of them. A finished run also has
// adapter/ (or model/) and value_head.safetensors at its top level.
//
// With Resume, a run continues from its checkpoint: the metrics rows of
// later steps are dropped; the rollouts of the step being redone that were
// logged as complete generation batches are kept and reused (not generated
// again), the rest dropped; everything else is deterministic in the seed,
// the step and the batch, so a resumed run ends with the same rollouts,
// metrics and weights as one that was never interrupted (TestPPOKillResume).
//
// # Data, splits and prompts
//
// LoadSplits reads problem sources (files, "synth[:n=N:seed=S]" for the
// synthetic family of stdlib/apps/synth, "embedded"): a synthetic set is
// split by its problems' split field (train, valid, test,
// test-unseen-family), an APPS file by apps.Split into train and
// "heldout". SFT and PPO train on train; SFT's held-out loss, and any
// tuning, use valid; only the final tables read the held-out splits.
// Prompting keeps every statement's Input, Output and Examples sections
// (apps.CompactStatement shortens the story of a long APPS statement). The
// tokenizer is the model directory's tokenizer.json (LoadTokenizer), or the
// byte tokenizer for byte-vocabulary models.
//
// # Evaluation
//
// Evaluate samples N completions per problem for a fixed set of held-out
// problems (HeldoutProblems: the synthetic held-out splits, or apps.Split
// with a fixed seed, so every checkpoint sees the same problems), scores
// them and reports the study's Table IV row through stdlib/evaluation
// (Syntax %, ≥1-test-pass %, all-tests-pass %, Security-clean %, mean
// R_func, R_sec, R, each with a bootstrap 95% CI), rows per split and per
// difficulty, per-family pass rates, the insecure-shortcut share on
// tempting problems (Shortcut), unbiased pass@k, and best-of-k where the
// selection uses only the statement's example tests (the tests a model
// could see), not the hidden ones. EvaluateCached stores the result and its
// samples keyed by the policy's weights, the configuration (not the row's
// display name) and the problems.
//
// Compare pairs two policies' evaluations by problem and seed (the same
// problems, the same sampling seed: every policy sees the same draws) and
// gives each endpoint — pass@1 on all hidden tests first, pass@k, syntax,
// ≥ 1 test, security-clean, R, and the shortcut share on tempting problems
// — as A − B with a paired bootstrap interval over problems and seeds
// (evaluation.PairedBootstrap), overall and per split. Unpaired
// per-policy intervals that overlap say little when both policies solve
// the same easy problems; the paired interval says whether A − B is
// distinguishable from 0. Evaluations of different problems or seeds are
// refused. stdlib/experiment builds the study's arms × seeds on it.
//
// # The base model
//
// Pretrain trains a byte-level BPE tokenizer (tokenizer.TrainBPE) and then
// a small Llama (BaseConfig, sized in DefaultPretrainConfig) on the Python
// standard library sources of the machine and the train split of the
// synthetic family, each problem a Python file whose docstring is the
// statement (PretrainDoc); `scrl train pretrain --out DIR` reproduces
// models/scrl-base, whose README and pretrain.json record the command,
// seed, data digest, tokenizer and losses.
package rl
