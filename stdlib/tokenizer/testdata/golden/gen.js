#!/usr/bin/env node
// Regenerates the golden ids of stdlib/tokenizer (golden/<variant>.json) from
// corpus.json and variants.json. Run through gen.sh, which installs the npm
// packages pinned in package.json into the cache directory first.
//
// Expected ids come from the Hugging Face `tokenizers` Rust library (npm
// `tokenizers`, a Node binding of the Rust crate that transformers' fast
// tokenizers use): that is the reference. The ids of @lenml/tokenizers (a
// transformers.js port) are recorded as well, under "tjs_ids", only where they
// differ from the reference.
//
// usage: node gen.js NPM_DIR    (NPM_DIR holds node_modules/)
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const npmDir = path.resolve(process.argv[2] || path.join(require("os").homedir(), ".cache/securecoderl/npm"));
const req = (m) => require(path.join(npmDir, "node_modules", m));
const { Tokenizer } = req("tokenizers");
const { TokenizerLoader } = req("@lenml/tokenizers");
const here = __dirname;
const corpus = JSON.parse(fs.readFileSync(path.join(here, "corpus.json"), "utf8")).cases;
const variants = JSON.parse(fs.readFileSync(path.join(here, "variants.json"), "utf8")).variants;

// applyPatch mirrors applyVariant in golden_test.go.
function applyPatch(tj, v) {
  for (const [key, val] of Object.entries(v.set || {})) {
    const parts = key.split(".");
    let o = tj;
    for (const p of parts.slice(0, -1)) o = o[p];
    o[parts[parts.length - 1]] = val;
  }
  for (const [content, flags] of Object.entries(v.added_tokens || {})) {
    const t = tj.added_tokens.find((a) => a.content === content);
    if (!t) throw new Error(`${v.name}: no added token ${content}`);
    Object.assign(t, flags);
  }
  return tj;
}

// withConfigTemplate mimics transformers' fast tokenizers: when
// tokenizer_config.json sets add_bos_token/add_eos_token (LlamaTokenizerFast
// defaults add_bos_token to true) the post-processor becomes
// "[bos] $A [eos]". See configTemplate in tokenizer.go.
function withConfigTemplate(tj, cfg) {
  if (!cfg) return null;
  const tokName = (t) => (t && typeof t === "object" ? t.content : t) || null;
  let bos = cfg.add_bos_token, eos = cfg.add_eos_token;
  if (/^(Llama|CodeLlama)Tokenizer(Fast)?$/.test(cfg.tokenizer_class || "")) {
    if (bos === undefined) bos = true;
    if (eos === undefined) eos = false;
  }
  if (bos === undefined && eos === undefined) return null;
  const idOf = (c) => tj.added_tokens.find((a) => a.content === c).id;
  const single = [], special = {};
  const sp = (c) => { single.push({ SpecialToken: { id: c, type_id: 0 } }); special[c] = { id: c, ids: [idOf(c)], tokens: [c] }; };
  if (bos) sp(tokName(cfg.bos_token));
  single.push({ Sequence: { id: "A", type_id: 0 } });
  if (eos) sp(tokName(cfg.eos_token));
  return { ...tj, post_processor: { type: "TemplateProcessing", single, pair: single, special_tokens: special } };
}

async function main() {
  const sources = {};
  for (const v of variants) {
    let file, cfgFile;
    if (v.package) {
      file = path.join(npmDir, "node_modules", v.package, "models/tokenizer.json");
      cfgFile = path.join(npmDir, "node_modules", v.package, "models/tokenizer_config.json");
    } else if (v.file) {
      file = path.join(here, v.file);
    }
    let raw, tj, cfg = null, sha = null;
    if (file) {
      raw = fs.readFileSync(file);
      sha = crypto.createHash("sha256").update(raw).digest("hex");
      tj = JSON.parse(raw.toString("utf8"));
      if (cfgFile && fs.existsSync(cfgFile)) cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8"));
    } else {
      const b = sources[v.base];
      tj = applyPatch(JSON.parse(JSON.stringify(b.tj)), v);
      cfg = null;
      sha = b.sha;
    }
    sources[v.name] = { tj, sha, cfg };

    const rust = Tokenizer.fromString(JSON.stringify(tj));
    const tmpl = withConfigTemplate(tj, cfg);
    const rustSpecial = tmpl ? Tokenizer.fromString(JSON.stringify(tmpl)) : rust;
    let tjs = null;
    try {
      tjs = TokenizerLoader.fromPreTrained({ tokenizerJSON: tj, tokenizerConfig: cfg || { tokenizer_class: "PreTrainedTokenizerFast" } });
    } catch (e) {
      console.error(`${v.name}: transformers.js cannot load it: ${e.message}`);
    }
    const out = { variant: v.name, reference: "tokenizers (Hugging Face, Rust) 0.23.2 via npm", tokenizer_json_sha256: sha, cases: {} };
    let tjsDiff = 0, decodeDiff = 0;
    for (const c of corpus) {
      const enc = await rust.encode(c.text, null, { addSpecialTokens: false });
      const ids = enc.getIds();
      const encS = await rustSpecial.encode(c.text, null, { addSpecialTokens: true });
      const rec = { ids };
      const idsSpecial = encS.getIds();
      if (JSON.stringify(idsSpecial) !== JSON.stringify(ids)) rec.ids_special = idsSpecial;
      const dec = await rust.decode(ids, false);
      if (dec !== c.text) { rec.decoded = dec; decodeDiff++; }
      const decSkip = await rust.decode(ids, true);
      if (decSkip !== dec) rec.decoded_skip_special = decSkip;
      if (tjs) {
        const j = Array.from(tjs.encode(c.text, { add_special_tokens: false }));
        if (JSON.stringify(j) !== JSON.stringify(ids)) { rec.tjs_ids = j; tjsDiff++; }
      }
      out.cases[c.name] = rec;
    }
    fs.mkdirSync(path.join(here, "ids"), { recursive: true });
    fs.writeFileSync(path.join(here, "ids", v.name + ".json"), JSON.stringify(out) + "\n");
    console.log(`${v.name}: ${corpus.length} cases; transformers.js differs on ${tjsDiff}; decode != text on ${decodeDiff}`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
