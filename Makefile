# The two commands of the quick start: `make run` and `make test`. Everything installs from the lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
THUCTHI_DATABASE_URL ?= sqlite:///thucthi.db
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk
PDFSIG := /usr/bin/pdfsig
CERTUTIL := /usr/bin/certutil
SOFTHSM := /usr/bin/softhsm2-util
ZBARIMG := /usr/bin/zbarimg
LIBERATION := /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
PG_AUTOCTL := /usr/bin/pg_autoctl
PG_MAJOR ?= 15
SCALE ?= city
CANDIDATES ?= 1000000
export THUCTHI_DATABASE_URL

.PHONY: run test lint typecheck pytest chromium wrk poppler zbar nss-tools softhsm fonts pg-auto-failover bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## run: install, load the demo year into an empty database, serve on http://$(HOST):$(PORT)
run: $(STAMP) fonts
	$(BIN)/thucthi demo --if-empty --demo-ca
	$(BIN)/thucthi serve --host $(HOST) --port $(PORT)

## test: ruff, mypy --strict and the whole pytest suite
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Two xdist workers, tests handed out one by one (--dist load): README, "Tests", says why and what
# it costs in PostgreSQL connections.
pytest: $(STAMP) chromium wrk poppler zbar nss-tools softhsm fonts pg-auto-failover
	$(BIN)/pytest -n 2 --dist load

# $(call apt,PACKAGE,WHAT NEEDS IT): Debian's package with apt-get, or how to do without it here
define apt
	@if command -v apt-get >/dev/null; then \
		echo "installing $(1) for $(2) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
	else \
		echo "$(1) is missing and there is no apt-get here to install it: install it by hand;" \
			"until then $(2) skip (and fail when CI=true)." >&2; \
	fi
endef

## chromium: Debian's Chromium for tests/browser, installed with apt-get if missing (never downloaded)
chromium: $(CHROMIUM)

$(CHROMIUM):
	$(call apt,chromium,the browser tests)

## wrk: Debian's HTTP load generator for the benchmarks (and the small bench in the tests)
wrk: $(WRK)

$(WRK):
	$(call apt,wrk,the bench test and make bench)

## poppler: Debian's Poppler tools; pdfsig checks the signed documents in the tests, independently of
## the library that signed them, pdftotext and pdffonts read the PDFs back, pdftoppm renders their pages
poppler: $(PDFSIG)

$(PDFSIG):
	$(call apt,poppler-utils,the signed documents' tests)

## zbar: Debian's zbar-tools; zbarimg reads a filed document's QR code back from its page rendered
## by pdftoppm, and the tests open the address it holds
zbar: $(ZBARIMG)

$(ZBARIMG):
	$(call apt,zbar-tools,the filed documents' tests)

## nss-tools: certutil, which makes the NSS database that tells pdfsig to trust the demo CA
nss-tools: $(CERTUTIL)

$(CERTUTIL):
	$(call apt,libnss3-tools,the signed documents' tests)

## softhsm: SoftHSM, a PKCS#11 token kept in files, on which the tests sign as with an HSM or a USB token
softhsm: $(SOFTHSM)

$(SOFTHSM):
	$(call apt,softhsm2,the PKCS#11 signing test)

## fonts: Debian's Liberation Serif 2 (Times New Roman's metrics, every Vietnamese letter), embedded
## in the documents' PDFs (adapters/pdf.py) and their signatures' text; never downloaded
fonts: $(LIBERATION)

$(LIBERATION):
	$(call apt,fonts-liberation2,signing documents and their tests)

## pg-auto-failover: Debian's pg_auto_failover (pg_autoctl and the monitor's extension for
## PostgreSQL $(PG_MAJOR)) for tests/cluster's primary and synchronous standby, installed if missing
pg-auto-failover: $(PG_AUTOCTL)

$(PG_AUTOCTL):
	$(call apt,pg-auto-failover-cli postgresql-$(PG_MAJOR)-auto-failover,the failover tests (tests/cluster))

## bench: every figure against its baseline on PostgreSQL (SCALE=small|city|nation), page loads,
## the duplicate search through its store and at CANDIDATES petitions (default a million), the
## documents' PDFs typeset per second (with fpdf2 and WeasyPrint beside, where installed), documents
## signed and checked per second against hashing the same bytes
bench: $(STAMP) chromium wrk fonts poppler
	$(BIN)/python -m bench --scale $(SCALE)
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.candidates --size $(CANDIDATES)
	$(BIN)/python -m bench.pdf_libraries
	$(BIN)/python -m bench.documents

## lock: re-resolve requirements.lock from pyproject.toml (needs network)
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
