# Arogya's everyday commands. `./run setup` makes .venv first; `./run test` is what CI runs.
PY := .venv/bin/python

.PHONY: test bench bench-quick bench-peer evidence lint

test:  ## the suite twice (SQLite + in-process state, then PostgreSQL + Redis), as CI runs it
	./run test

bench:  ## every benchmark, one table of ratios against same-run baselines (docs/performance.md)
	$(PY) -m bench.all --output var/bench/latest.md

bench-quick:  ## the same at a small scale: 128 sessions 16 at a time (a steady window), 10,000 people
	$(PY) -m bench.all --sessions 128 --concurrency 16 --probe 3 --persons 10000 --output var/bench/quick.md

bench-peer:  ## the ussd_airflow peer alone (its own Python 3.8 virtualenv in var/bench; bench/peer_bench.py)
	$(PY) -m bench.peer_bench

evidence:  ## faults, scale-out, 100,000 fuzz requests, schemathesis, security sweep at full size (docs/evidence.md)
	AROGYA_EVIDENCE=full $(PY) -m pytest -p no:cacheprovider -m evidence -v -s tests/evidence

lint:  ## the linters .ci/run runs before the tests (`./run setup` makes .venv)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports
