// Package apps loads the APPS and APPS+ code-generation datasets into a single
// [Problem] type and provides the bookkeeping a study built on them needs:
// deterministic filters, samples and train/held-out splits, the prompt
// templates, extraction of runnable programs from raw model completions, and
// summary statistics.
//
// # Sources and schemas
//
// [Load] accepts a local path, an http(s) URL (downloaded once into a cache
// directory, optionally checked against a SHA-256) or "" for the embedded
// default problem set ([Default]). Files may be JSON Lines or a single JSON
// array, optionally gzip-compressed; the format is detected from the content,
// never from the file name.
//
// Two record schemas are understood and detected per file ([SchemaAuto]):
//
//   - APPS rows (the codeparrot/apps release): problem_id, question,
//     solutions (a JSON-encoded list of strings), input_output (a
//     JSON-encoded object {"inputs", "outputs", "fn_name"?}), difficulty,
//     url, starter_code.
//   - APPS+ objects (the StepCoder release's data.json): question or prompt,
//     inputs, outputs, canonical_solution, starter_code, fn_name,
//     difficulty and optionally id/problem_id/task_id. APPS+ stdin problems
//     carry a zero-argument "def NAME():" stub; see [StubName] and
//     [RunnableCanonical].
//
// # Classification
//
// A problem is [KindStdin] only when it has no fn_name and every test input is
// a JSON string (or a list of lines, which is joined with "\n"); problems
// with an fn_name whose inputs are JSON argument lists are [KindCall]. The
// only exception is APPS+, whose stdin problems name their zero-argument stub
// in fn_name; see [Problem.Stub].
//
// # Bad input
//
// A record that cannot be turned into a Problem (malformed JSON, missing or
// mistyped field, no tests, inputs/outputs of different lengths, ...) is
// never dropped silently: it is listed as a [Skip] in the [LoadReport], or,
// with [Options.Strict], returned as a [*RecordError]. Both name the file, the
// record index and the field. Problems that share an ID (the APPS train and
// test splits reuse ids) are reported in [LoadReport.Duplicates].
//
// # Completions
//
// [Extractor] turns a raw model completion into a program ([Extraction]),
// keeping the raw text alongside the notes of every change it made.
package apps
