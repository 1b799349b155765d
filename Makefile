# SecureCodeRL. On a fresh machine, `make demo` and `make test` are all a user types.
export GOTOOLCHAIN := go1.27.4
export GOEXPERIMENT := simd
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:$(PATH)

GO       ?= go
BIN      := bin/scrl
DATA     ?= $(abspath ../shared/data)
APPS     := $(DATA)/apps/apps_train_codechain150.jsonl
GENS     := $(DATA)/generations/deepseek-coder-6.7b-base_apps_plus_398.jsonl
# notebook 03 needs the shared generations file
NOTEBOOKS := $(if $(wildcard $(GENS)),notebooks/*.ipynb,notebooks/01-apps-dataset.ipynb notebooks/02-reward-stages.ipynb)
DEMO_OUT ?= out/demo

.PHONY: setup build test vet demo lab bench clean generate

setup:
	@bash scripts/setup.sh

build:
	$(GO) build -o $(BIN) ./cmd/scrl

vet:
	$(GO) vet ./...

# The whole suite: unit tests (real Python, real Bandit, real nbconvert), CLI
# checks, and every notebook executed headlessly with its smoke settings.
test: setup vet build
	SCRL_DATA_DIR=$(DATA) $(GO) test -count=1 -timeout 25m ./...
	SCRL_DATA_DIR=$(DATA) $(BIN) notebooks run --smoke --out out/notebooks-smoke $(NOTEBOOKS)

# The main job on embedded defaults (plus the shared APPS data when present).
demo: setup build
	@mkdir -p $(DEMO_OUT)
	@echo "== sandbox isolation"
	$(BIN) sandbox doctor | tee $(DEMO_OUT)/sandbox-doctor.txt
	@echo "== synthetic problem family (the default set of training and evaluation)"
	$(BIN) apps synth --list | tee $(DEMO_OUT)/synth-families.txt
	$(BIN) apps synth --n 2400 --seed 1 --out $(DEMO_OUT)/synth-2400.jsonl
	$(BIN) apps stats --data synth | tee $(DEMO_OUT)/apps-stats-synth.txt
	$(BIN) judge --data synth --solutions --out $(DEMO_OUT)/judge-synth.json | tail -12 | tee $(DEMO_OUT)/judge-synth.txt
	@echo "== embedded problem set"
	$(BIN) apps stats | tee $(DEMO_OUT)/apps-stats-embedded.txt
	$(BIN) judge --solutions --out $(DEMO_OUT)/judge-embedded.json | tail -12 | tee $(DEMO_OUT)/judge-embedded.txt
	@if [ -f "$(APPS)" ]; then \
	  echo "== shared APPS data: $(APPS)"; \
	  $(BIN) apps stats --data $(APPS) | tee $(DEMO_OUT)/apps-stats-codechain150.txt; \
	  $(BIN) apps split --data $(APPS) --heldout 0.2 --seed 1 --json > $(DEMO_OUT)/split-codechain150.json; \
	  $(BIN) judge --data $(APPS) --solutions --kind stdin --out $(DEMO_OUT)/judge-codechain150.json | tail -12 | tee $(DEMO_OUT)/judge-codechain150.txt; \
	else echo "(no shared data at $(DATA): embedded set only)"; fi
	@if [ -f "$(GENS)" ]; then \
	  echo "== 398 real DeepSeek-Coder-6.7B completions: judged on the statements' examples, scanned, rewarded"; \
	  $(BIN) score --completions $(GENS) --scanner bandit --out $(DEMO_OUT)/scored-deepseek-398.jsonl | tee $(DEMO_OUT)/score-deepseek-398.txt; \
	fi
	@echo "== notebooks (default settings)"
	SCRL_DATA_DIR=$(DATA) $(BIN) notebooks run --timeout 2h --out $(DEMO_OUT)/notebooks $(NOTEBOOKS)
	$(BIN) kernel doctor | tee $(DEMO_OUT)/kernel-doctor.txt
	@echo "demo outputs in $(DEMO_OUT)/"

# Jupyter with the project's kernel.
lab: setup build
	$(BIN) kernel install
	jupyter notebook --no-browser --notebook-dir=notebooks

# Regenerate the yaegi symbol tables of the curated packages (a test checks they are fresh).
generate:
	$(GO) generate ./stdlib/symbols

bench: setup build
	$(BIN) bench sandbox $(if $(wildcard $(APPS)),--data $(APPS),)
	$(BIN) bench scan

clean:
	rm -rf bin out
