#!/usr/bin/python3
"""Independent NumPy reference forward pass for a Llama-family checkpoint.

Usage: /usr/bin/python3 forward.py CHECKPOINT_DIR INPUT.json OUTPUT.json

CHECKPOINT_DIR holds config.json and model.safetensors (or shards plus
model.safetensors.index.json), read with the tiny safetensors reader below
(F32, BF16 and F16). INPUT.json is {"ids": [[...]], "mask": [[...]]}, a
padded batch (mask 1 on real tokens). OUTPUT.json gets the input plus
"logits" [B][T][V], computed in float64.

Semantics (the same as stdlib/lm): pre-norm RMSNorm, SwiGLU MLP, RoPE with
rope_theta and linear rope_scaling (positions / factor), rotate-half
convention, grouped-query attention (query head h uses KV head h // group),
causal attention that ignores padded keys, positions counted over each row's
real tokens (cumsum(mask) - 1, as Hugging Face generate does), lm_head tied
to the embeddings when tie_word_embeddings is true.

It depends on nothing but NumPy and shares no code with the Go package.
"""
import json
import os
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        raw = data[a:b]
        dt = e["dtype"]
        if dt == "F32":
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float64)
        elif dt == "F16":
            arr = np.frombuffer(raw, dtype="<f2").astype(np.float64)
        elif dt == "BF16":
            u = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = u.view(np.float32).astype(np.float64)
        else:
            raise SystemExit("unsupported dtype %s for %s" % (dt, name))
        out[name] = arr.reshape(e["shape"])
    return out


def read_checkpoint(d):
    idx = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(idx):
        with open(idx) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
        w = {}
        for fn in files:
            w.update(read_safetensors(os.path.join(d, fn)))
        return w
    return read_safetensors(os.path.join(d, "model.safetensors"))


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rope(x, pos, theta, factor):
    # x [B, S, heads, hd], pos [B, S]
    hd = x.shape[-1]
    inv = 1.0 / (theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
    ang = (pos / factor)[..., None] * inv  # [B, S, hd/2]
    ang = np.concatenate([ang, ang], axis=-1)[:, :, None, :]
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    rot = np.concatenate([-x2, x1], axis=-1)
    return x * np.cos(ang) + rot * np.sin(ang)


def forward(cfg, w, ids, mask):
    B, T = ids.shape
    H = cfg["hidden_size"]
    nh = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads") or nh
    hd = cfg.get("head_dim") or H // nh
    eps = cfg["rms_norm_eps"]
    theta = cfg.get("rope_theta", 10000.0)
    rs = cfg.get("rope_scaling") or {}
    factor = rs.get("factor", 1.0) if rs else 1.0
    pos = np.maximum(np.cumsum(mask, axis=1) - 1, 0).astype(np.float64)
    causal = np.tril(np.ones((T, T), dtype=bool))
    allowed = causal[None, :, :] & (mask[:, None, :] != 0)  # [B, T(q), T(k)]
    h = w["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % l
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = (x @ w[p + "self_attn.q_proj.weight"].T).reshape(B, T, nh, hd)
        k = (x @ w[p + "self_attn.k_proj.weight"].T).reshape(B, T, nkv, hd)
        v = (x @ w[p + "self_attn.v_proj.weight"].T).reshape(B, T, nkv, hd)
        q = rope(q, pos, theta, factor)
        k = rope(k, pos, theta, factor)
        rep = nh // nkv
        k = np.repeat(k, rep, axis=2)  # query head h -> kv head h // rep
        v = np.repeat(v, rep, axis=2)
        s = np.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(hd)
        s = np.where(allowed[:, None, :, :], s, -1e30)
        s = s - s.max(axis=-1, keepdims=True)
        pr = np.exp(s)
        pr = pr / pr.sum(axis=-1, keepdims=True)
        a = np.einsum("bhqk,bkhd->bqhd", pr, v).reshape(B, T, nh * hd)
        h = h + a @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        g = x @ w[p + "mlp.gate_proj.weight"].T
        u = x @ w[p + "mlp.up_proj.weight"].T
        h = h + ((g / (1 + np.exp(-g))) * u) @ w[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return h @ head.T


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    ckpt, inp, outp = sys.argv[1:]
    with open(os.path.join(ckpt, "config.json")) as f:
        cfg = json.load(f)
    with open(inp) as f:
        batch = json.load(f)
    ids = np.array(batch["ids"], dtype=np.int64)
    mask = np.array(batch["mask"], dtype=np.int64)
    logits = forward(cfg, read_checkpoint(ckpt), ids, mask)
    batch["logits"] = [[[float("%.9g" % v) for v in row] for row in seq] for seq in logits.tolist()]
    with open(outp, "w") as f:
        json.dump(batch, f)


if __name__ == "__main__":
    main()
