# Frontdoor developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
RASA        := $(BIN)/rasa
STAMP       := $(VENV)/.installed-$(shell cat requirements.txt requirements.lock | sha256sum | cut -c1-16)
SPACY_MODEL := build/spacy/en_frontdoor-1
SHARED_DATA ?= ../shared/data

# Quiet, offline, reproducible defaults; every one can be overridden from the environment.
export RASA_TELEMETRY_ENABLED    ?= false
export TF_CPP_MIN_LOG_LEVEL      ?= 2
export HF_HUB_OFFLINE            ?= 1
export TRANSFORMERS_OFFLINE      ?= 1
export TOKENIZERS_PARALLELISM    ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export TF_INTRA_OP_PARALLELISM_THREADS ?= 2
export TF_INTER_OP_PARALLELISM_THREADS ?= 1
export RASA_CACHE_DIRECTORY      ?= $(HOME)/.cache/frontdoor/rasa-graph-cache
export FRONTDOOR_SHARED_DATA     ?= $(SHARED_DATA)
# Embedded default: SQLite files under var/.
export TRACKER_DIALECT           ?= sqlite
export TRACKER_URL               ?= sqlite:///var/tracker.db
export ACTION_ENDPOINT_URL       ?= http://127.0.0.1:5055/webhook

# The model is named after a hash of everything that shapes it, so `make train`
# is a no-op when data, config and code are unchanged. frontdoor/model_hash.py is
# the one definition (the e2e tests read it too); stdlib only, so python3 will do before .venv exists.
MODEL_HASH   = $(shell $(if $(wildcard $(PY)),$(PY),python3) -m frontdoor.model_hash)
MODEL        = models/frontdoor-$(MODEL_HASH).tar.gz

.PHONY: help install spacy kb train run run-production shell validate lint test test-unit test-services \
        test-e2e eval-nlu eval-nlu-dev eval-kb eval-kb-dev eval-conversations bench-banking77 bench-minds14 bench-evi bench-impostors db-upgrade seed clean queue handoff-worker \
        web simulate bench-analytics report bench-evi-slots bench-load bench-scale profile-turn

help:
	@echo "make run             set up (first time), train if needed, start Rasa + actions on 127.0.0.1"
	@echo "make test            lint, validate, unit, action and end-to-end tests"
	@echo "make test-unit       the fast loop: no PostgreSQL, Chromium or trained model needed"
	@echo "make test-services   the unit tests left out of test-unit: PostgreSQL and headless Chromium"
	@echo "make install         create .venv with the pinned set (idempotent)"
	@echo "make train           train the model (skipped when nothing changed)"
	@echo "make shell           talk to the bot in the terminal"
	@echo "make validate        rasa data validate --fail-on-warnings + project lints"
	@echo "make kb              check the knowledge articles, export the encoder, build their search index"
	@echo "make eval-nlu        held-out NLU evaluation -> reports/nlu.json"
	@echo "make eval-nlu-dev    NLU on development data (tuning persona openings) -> reports/nlu_dev.json"
	@echo "make eval-kb         knowledge retrieval, in process and end to end -> reports/kb.json"
	@echo "make eval-kb-dev     the same on the development set tests/kb/dev_questions.yml -> reports/kb_dev.json"
	@echo "make eval-conversations  whole conversations, 240 personas on chat and voice -> reports/conversations.json"
	@echo "make bench-banking77 Banking77 benchmark of our pipeline -> reports/banking77.json"
	@echo "make bench-minds14   MInDS-14 spoken transcripts, mapped to our reasons -> reports/minds14.json"
	@echo "make bench-evi       EVI identity-check benchmark -> reports/evi.json, reports/evi_scores.tsv"
	@echo "make bench-impostors informed-impostor identity-check benchmark, chat and voice -> reports/impostors.json"
	@echo "make bench-evi-slots EVI postcode/name/date-of-birth extraction per turn -> reports/evi_slots.json"
	@echo "make db-upgrade      create missing app-database tables (DATABASE_URL, default var/frontdoor.db)"
	@echo "make seed            load the ZuriSend demo customers and transfers (idempotent)"
	@echo "make run-production  WORKERS=N Rasa workers (default one per core) behind HAProxy, PostgreSQL + Redis;"
	@echo "                    needs VOICE_WEBHOOK_SECRET, RASA_AUTH_TOKEN (docs/deploy.md)"
	@echo "make queue           reference handoff queue on 127.0.0.1:8001 (agent view at /)"
	@echo "make handoff-worker  deliver handoff cases from the outbox to HANDOFF_WEBHOOK_URL"
	@echo "make web             chat page, dashboard and analytics API on 127.0.0.1:8000 (make run starts it too)"
	@echo "make report          deflection summary of the last 7 days as tables (SINCE=7d)"
	@echo "make simulate N=200  drive N realistic conversations through a running assistant (make run)"
	@echo "make bench-analytics ingestion and summary timing on 2,000,000 events -> reports/analytics.json"
	@echo "make bench-load      Frontdoor beside a stock rasa init bot, c=1,8,32 -> reports/load.json (LOAD_ARGS=...)"
	@echo "make profile-turn    where a knowledge turn's time goes inside Rasa (cProfile) -> reports/profile_turn.json"
	@echo "make bench-scale     production mode, 1 then 2 workers behind HAProxy -> reports/scale.json (SCALE_ARGS=...)"

install: $(STAMP)

$(STAMP): requirements.txt requirements.lock
	@py=$$(PYTHON="$(PYTHON)" sh scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
		rm -rf $(VENV) && echo "Creating $(VENV) with $$py" && "$$py" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check "pip>=23,<25"
	@echo "Installing the pinned set into $(VENV) (about 3 minutes on a fresh machine, most of it downloads)..."
	@# One resolver call for everything: a later separate install breaks Rasa's pins. No bytecode compiling
	@# of the whole 7 GB set at install: Python compiles what it imports, once.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt -c requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

spacy: $(SPACY_MODEL)/meta.json

$(SPACY_MODEL)/meta.json: | $(STAMP)
	$(PY) -m frontdoor.nlu.spacy_pipeline --path $(SPACY_MODEL)

# Validates every article and table, exports the sentence encoder to ONNX under build/encoder/ (cached by the
# weights' hash; the action server serves it), then embeds the chunks once (cached by content hash).
kb: $(STAMP)
	$(PY) -m frontdoor.knowledge build

train: $(STAMP) spacy kb
	@if [ -f $(MODEL) ]; then echo "Model up to date: $(MODEL)"; else \
		echo "Training $(MODEL) (about 4 minutes on 2 cores: the encoder fine-tune, then DIET)..." && \
		$(RASA) train --fixed-model-name frontdoor-$(MODEL_HASH) --out models && \
		ls -t models/frontdoor-*.tar.gz | tail -n +4 | xargs -r rm -f; fi

var:
	@mkdir -p var/log

run: train | var
	$(PY) -m frontdoor.db seed --if-empty
	$(PY) -m frontdoor.launcher --model $(MODEL)

run-production: train | var
	DATABASE_URL=$${DATABASE_URL_PG:-postgresql://postgres@127.0.0.1:5432/test} $(PY) -m frontdoor.db seed --if-empty
	DATABASE_URL=$${DATABASE_URL_PG:-postgresql://postgres@127.0.0.1:5432/test} \
	TRACKER_URL=$${TRACKER_URL_PG:-postgresql://postgres@127.0.0.1:5432/test} \
	REDIS_HOST=$${REDIS_HOST:-127.0.0.1} REDIS_PORT=$${REDIS_PORT:-6379} \
	$(PY) -m frontdoor.launcher --model $(MODEL) --production $(if $(WORKERS),--workers $(WORKERS))

shell: train | var
	@echo "Start the action server in another terminal with: make actions"
	$(RASA) shell --model $(MODEL) --endpoints endpoints.yml

actions: $(STAMP)
	SANIC_HOST=127.0.0.1 $(PY) -m rasa_sdk --actions actions --port 5055

queue: $(STAMP) | var
	$(PY) -m frontdoor.queue --host 127.0.0.1 --port 8001

handoff-worker: $(STAMP) | var
	$(PY) -m frontdoor.handoff.worker

web: $(STAMP) | var
	$(PY) -m frontdoor.web --host 127.0.0.1 --port 8000

SINCE ?= 7d
report: $(STAMP) | var
	$(PY) -m frontdoor report --since $(SINCE)

N ?= 200
simulate: $(STAMP)
	$(PY) -m benchmarks.simulate --conversations $(N)

bench-analytics: $(STAMP) | var
	$(PY) -m benchmarks.bench_analytics

# Both systems on free loopback ports; the stock bot is trained once into build/stock-bot/.
# A quick check that it works: make bench-load LOAD_ARGS="--concurrency 1,2 --runs 1 --min-users 2 --out /tmp/load.json"
bench-load: train | var
	$(PY) -m benchmarks.bench_load --model $(MODEL) $(LOAD_ARGS)

# Production mode (PostgreSQL, Redis, HAProxy) with 1 then 2 workers; the full run wants an idle machine.
# A quick check that it works: make bench-scale SCALE_ARGS="--concurrency 2 --runs 1 --min-users 2 --out /tmp/scale.json"
# cProfile inside the Rasa process: per-message time of each stage of a turn (PROFILE_ARGS="--scenario hello").
profile-turn: train | var
	$(PY) -m benchmarks.profile_turn --model $(MODEL) $(PROFILE_ARGS)

bench-scale: train | var
	$(PY) -m benchmarks.bench_scale --model $(MODEL) $(SCALE_ARGS)

validate: $(STAMP)
	$(PY) -m frontdoor.rasa.validate
	$(PY) -m frontdoor.lint
	$(PY) -m frontdoor.knowledge check

lint: $(STAMP)
	$(BIN)/ruff check frontdoor actions benchmarks tests
	$(BIN)/mypy frontdoor actions

UNIT_TESTS := tests/unit tests/integration tests/components tests/actions
test-unit: $(STAMP)
	$(BIN)/pytest $(UNIT_TESTS) -q -m "not postgres and not browser and not redis"

test-services: $(STAMP)
	$(BIN)/pytest $(UNIT_TESTS) -q -m "postgres or browser or redis"

test-e2e: train | var
	$(BIN)/pytest tests/e2e -q

test: lint validate test-unit test-services test-e2e

eval-nlu: train | var
	$(PY) -m benchmarks.eval_nlu --model $(MODEL)

# Development data for NLU choices (the DIET seed, data edits): the tuning personas' openings.
eval-nlu-dev: train | var
	$(PY) -m benchmarks.eval_nlu_dev --model $(MODEL)

# In process, then every question through the channels of fresh servers (ports 25005/25055/28001);
# RASA_URL=http://127.0.0.1:5005 asks a running `make run` instead.
eval-kb: train kb | var
	$(PY) -m benchmarks.eval_kb --e2e --model $(MODEL) $(if $(RASA_URL),--rasa-url $(RASA_URL))

# The development set (tests/kb/README.md): read its misses and tune on it, never on questions.yml's even half.
eval-kb-dev: train kb | var
	$(PY) -m benchmarks.eval_kb --e2e --model $(MODEL) --questions tests/kb/dev_questions.yml \
		--out reports/kb_dev.json $(if $(RASA_URL),--rasa-url $(RASA_URL))

# Starts its own servers on a fresh seeded database; RASA_URL=http://127.0.0.1:5005 QUEUE_URL=http://127.0.0.1:8001
# reuses a running `make run` (its database then keeps the cancellations and corrections).
QUEUE_URL ?= http://127.0.0.1:8001
eval-conversations: train | var
	$(PY) -m benchmarks.eval_conversations --model $(MODEL) $(if $(RASA_URL),--rasa-url $(RASA_URL) --queue-url $(QUEUE_URL))

bench-minds14: train | var
	$(PY) -m benchmarks.minds14 --model $(MODEL)

bench-banking77: $(STAMP) spacy | var
	$(PY) -m benchmarks.banking77

bench-evi: $(STAMP) | var
	$(PY) -m benchmarks.bench_evi

bench-impostors: $(STAMP) | var
	$(PY) -m benchmarks.bench_impostors

bench-evi-slots: $(STAMP) | var
	$(PY) -m benchmarks.bench_evi_slots

db-upgrade: $(STAMP) | var
	$(PY) -m frontdoor.db upgrade

seed: $(STAMP) | var
	$(PY) -m frontdoor.db seed

clean:
	rm -rf models build .rasa results var/log
