# comity: `make demo` and `make test` do all the set-up on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://comity:comity@127.0.0.1:5432/comity
PYTEST_ARGS ?= -n 2 --dist loadfile -q

.PHONY: demo test test-sqlite test-postgres verify lint services postgres chromium redis pango vendor bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo needs the core plus the light optional parts (event analytics on DuckDB, planning, reports).
$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python pango
	$(BIN)/pip install --quiet -e '.[events,planning,reports]'
	touch $@

# Tests install everything: Spark, ML (torch pinned in the same step), browser testing.
$(VENV)/.all-installed: pyproject.toml | $(BIN)/python pango
	$(BIN)/pip install --quiet -e '.[all]'
	touch $@

demo: $(VENV)/.demo-installed
	$(BIN)/comity setup
	$(BIN)/comity demo
	@echo ""
	@echo "comity is serving on http://127.0.0.1:8000/ - sign in as analyst.nld, attache.fin, officer.ukr,"
	@echo "guest or admin with the password comity-demo-2026 (each sees what their nation and clearance allow)."
	$(BIN)/comity serve --port 8000

lint: $(VENV)/.all-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.all-installed services lint test-sqlite test-postgres

test-sqlite: $(VENV)/.all-installed
	COMITY_DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)

# The second pass runs the tests that can reach the database; the rest gave their answer on SQLite
# (src/comity/core/testing/database_passes.py).
test-postgres: $(VENV)/.all-installed postgres
	COMITY_DATABASE_URL=$(PG_URL) COMITY_ONLY_DATABASE_TESTS=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

services: postgres chromium redis

# Debian's PostgreSQL 15, started and given a role that may create the test databases.
postgres:
	@command -v pg_ctlcluster >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)
	@pg_lsclusters -h | grep -q online || pg_ctlcluster 15 main start
	@runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname='comity'" | grep -q 1 || \
		runuser -u postgres -- psql -qc "CREATE ROLE comity LOGIN PASSWORD 'comity' CREATEDB"
	@runuser -u postgres -- psql -qtAc "SELECT 1 FROM pg_database WHERE datname='comity'" | grep -q 1 || \
		runuser -u postgres -- createdb -O comity comity

# Debian's Chromium for the Playwright browser tests (Playwright's own download cannot work here).
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Debian's Pango, which WeasyPrint lays the assessment report's PDF out with.
pango:
	@ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)

# Debian's Redis for the tests of the production channel layer; each test starts its own server on
# a free port, so nothing is started here.
redis:
	@test -x /usr/bin/redis-server || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)

# Refresh the vendored front-end packages from the npm registry (see src/comity/static/vendor/VENDOR.md).
vendor:
	rm -rf build/vendor && mkdir -p build/vendor && cd build/vendor && npm pack --silent htmx.org@2.0.11 leaflet@1.9.4 topojson-client@3.1.0 cytoscape@3.34.4 echarts@5.6.0 swagger-ui-dist@5.35.0 d3-array@3.2.4 d3-geo@3.1.1 d3-geo-projection@4.0.0 >/dev/null
	cd build/vendor && for f in *.tgz; do mkdir -p "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	cp build/vendor/htmx.org-2.0.11/package/dist/htmx.min.js src/comity/static/vendor/htmx/
	cp build/vendor/leaflet-1.9.4/package/dist/leaflet.{js,css} src/comity/static/vendor/leaflet/
	cp build/vendor/leaflet-1.9.4/package/dist/images/* src/comity/static/vendor/leaflet/images/
	cp build/vendor/topojson-client-3.1.0/package/dist/topojson-client.min.js src/comity/static/vendor/topojson-client/
	cp build/vendor/cytoscape-3.34.4/package/dist/cytoscape.min.js src/comity/static/vendor/cytoscape/
	cp build/vendor/echarts-5.6.0/package/dist/echarts.common.min.js build/vendor/echarts-5.6.0/package/LICENSE build/vendor/echarts-5.6.0/package/NOTICE src/comity/static/vendor/echarts/
	cp build/vendor/swagger-ui-dist-5.35.0/package/{swagger-ui-bundle.js,swagger-ui-standalone-preset.js,swagger-ui.css,favicon-32x32.png,LICENSE,NOTICE} src/comity/static/vendor/swagger-ui/
	for d in d3-array-3.2.4 d3-geo-3.1.1 d3-geo-projection-4.0.0; do cp build/vendor/$$d/package/dist/$${d%-*}.min.js build/vendor/$$d/package/LICENSE src/comity/static/vendor/$${d%-*}/; done
	# Source maps are not vendored: drop the comments that name them (the same lines Django's manifest
	# storage follows), or collectstatic fails on the missing .map file. See VENDOR.md.
	find src/comity/static/vendor \( -name '*.js' -o -name '*.css' \) -print0 | \
		xargs -0 sed -i -E -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$$/d'

# The long variants of the promise checks with their figures (docs/security.md): the read and write
# matrices, 1,000 revocation trials, 10,000 label compositions, fuzzing at 25x, crash and load runs.
verify: $(VENV)/.all-installed services
	COMITY_DATABASE_URL=$(PG_URL) COMITY_BENCH_DATABASE_URL=$(PG_URL) $(BIN)/python bench/verify.py

bench: $(VENV)/.all-installed
	for b in bench/*_bench.py; do $(BIN)/python $$b --quick; done

clean:
	rm -rf $(VENV) build
