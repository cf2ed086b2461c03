# mod_appointments: build, run, test, bench, install.
#
#   make            build mod_appointments.so with apxs (warnings are errors)
#   make run        build and start httpd on 127.0.0.1:$(PORT) (SQLite)
#   make stop       stop the server that make run started
#   make test       cmocka unit tests, then the Apache::Test suite on
#                   SQLite and again on PostgreSQL (a throwaway cluster);
#                   AM_TEST_BACKEND=sqlite|pgsql|both (default both)
#                   picks: make test AM_TEST_BACKEND=pgsql
#   make unit       only the cmocka unit tests
#   make dotnet     the .NET client suite (clients/dotnet, mono's mcs),
#                   which t/api/dotnet.t runs against the test server
#   make bench      wrk benchmarks: ratios to a static file of the same size,
#                   lists at 1 M rows against 1 k, recurrence expansion
#   make install    install the module through apxs (and conf/ for a2enmod)
#   make deb        the Debian package libapache2-mod-appointments_*.deb
#                   (debhelper, dh-apache2), checked with lintian

APXS      ?= apxs
CC        ?= gcc
PORT      ?= 8080
RUNDIR    ?= $(CURDIR)/run

PKGS      := json-c libxml-2.0 libical libcrypto sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
APR_CFLAGS := $(shell apr-1-config --cflags --cppflags --includes 2>/dev/null) \
              $(shell apu-1-config --includes 2>/dev/null)
APR_LIBS  := $(shell apr-1-config --link-ld --libs 2>/dev/null) \
             $(shell apu-1-config --link-ld --libs 2>/dev/null)

WARN      := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
             -Wno-unused-parameter -Wno-missing-field-initializers \
             -Wstrict-prototypes -Wshadow
CORE_SRC  := $(sort $(wildcard src/*.c))
GLUE_SRC  := mod_appointments.c $(sort $(wildcard glue/*.c))
HEADERS   := $(wildcard src/*.h glue/*.h)
# The seed samples compiled in, for the descriptions' examples.
GEN_SRC   := build/gen/seeds.c
SEEDS     := $(sort $(wildcard t/data/seed*.json t/data/seed*.xml))

MODULE    := .libs/mod_appointments.so

all: $(MODULE)

$(GEN_SRC): scripts/embed-seeds $(SEEDS)
	@mkdir -p $(dir $@)
	scripts/embed-seeds $(SEEDS) > $@.tmp && mv $@.tmp $@

$(MODULE): $(GLUE_SRC) $(CORE_SRC) $(GEN_SRC) $(HEADERS)
	$(APXS) -c -o mod_appointments.la \
	    $(foreach f,$(WARN) -O2 -g -Isrc -Iglue $(PKG_CFLAGS),-Wc,$(f)) \
	    $(PKG_LIBS) -laprutil-1 $(GLUE_SRC) $(CORE_SRC) $(GEN_SRC)
	@rm -f mod_appointments.so && ln -s $(MODULE) mod_appointments.so

# ---------------------------------------------------------------- unit tests
UNIT_CFLAGS := $(WARN) -O1 -g -Isrc $(APR_CFLAGS) $(PKG_CFLAGS)
UNIT_LIBS   := $(APR_LIBS) $(PKG_LIBS) -lcmocka -lm
UNIT_TESTS  := $(patsubst tests/%.c,build/unit/%,$(sort $(wildcard tests/test_*.c)))
CORE_OBJ    := $(patsubst src/%.c,build/unit/obj/%.o,$(CORE_SRC)) \
               build/unit/obj/gen_seeds.o

build/unit/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

build/unit/obj/gen_seeds.o: $(GEN_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

build/unit/%: tests/%.c $(CORE_OBJ) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Itests -o $@ $< $(CORE_OBJ) $(UNIT_LIBS)

# The core's descriptions without a server (tools/am-describe.c).
DESCRIBE_TOOL := build/am-describe
$(DESCRIBE_TOOL): tools/am-describe.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(CORE_OBJ) $(UNIT_LIBS)

# One summary line; the output of a failing test program in full
# (UNIT_VERBOSE=1: every program's).
unit: $(UNIT_TESTS) $(DESCRIBE_TOOL)
	@fail=0; n=0; files=0; for t in $(UNIT_TESTS); do \
	    files=$$((files + 1)); \
	    if (cd tests && ../$$t) >$$t.log 2>&1; then \
	        [ -z "$(UNIT_VERBOSE)" ] || cat $$t.log; \
	    else \
	        fail=1; echo "== $$t failed:"; cat $$t.log; \
	    fi; \
	    k=$$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' $$t.log); \
	    n=$$((n + $${k:-0})); \
	done; \
	if [ $$fail = 0 ]; then echo "unit: $$files programs, $$n tests, PASS"; \
	else echo "unit: $$files programs, $$n tests, FAIL"; fi; exit $$fail

# ------------------------------------------------------ .NET client suite
# One mcs invocation; the exe is rebuilt only when a source changes.
DOTNET_SRC := $(sort $(wildcard clients/dotnet/*.cs))
DOTNET_EXE := build/dotnet/pc2client.exe
DOTNET_REFS := -r:System.Net.Http -r:System.Runtime.Serialization \
               -r:System.Xml -r:System.Core

$(DOTNET_EXE): $(DOTNET_SRC)
	@mkdir -p $(dir $@)
	mcs -nologo -warnaserror -debug- -optimize+ -target:exe -out:$@ \
	    $(DOTNET_REFS) $$(pkg-config --libs newtonsoft-json) $(DOTNET_SRC)

dotnet: $(DOTNET_EXE)

# ---------------------------------------------------------- server & tests
# run, test and bench first make sure the Debian packages are there
# (scripts/install-deps is quick when they are), then build in a fresh make
# so that the pkg-config flags are read after the install.
deps:
	@scripts/install-deps

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-server start $(PORT) $(RUNDIR)

stop:
	@scripts/run-server stop $(PORT) $(RUNDIR)

# Which database backend(s) the Apache::Test suite runs on.
AM_TEST_BACKEND ?= both
export AM_TEST_BACKEND

# Quiet: the build's output only when it fails, then one summary line per
# suite (unit, and the Apache::Test suite per backend).
test: deps
	@mkdir -p build; \
	$(MAKE) --no-print-directory all $(UNIT_TESTS) $(DESCRIBE_TOOL) dotnet >build/make-test.log 2>&1 \
	    || { cat build/make-test.log; exit 1; }
	@$(MAKE) --no-print-directory unit
	@scripts/install-node-tools
	@scripts/apache-test

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench
	@scripts/bench-login

install: all
	$(APXS) -i -n appointments mod_appointments.la
	@if [ -d /etc/apache2/mods-available ]; then \
	    install -m 644 conf/appointments.load /etc/apache2/mods-available/; \
	    install -m 644 conf/appointments.conf /etc/apache2/mods-available/; \
	fi

# ------------------------------------------------------- Debian package
# Built from a copy of the tree in build/deb (so that the tree's own
# build stays as it is); the .deb is copied to the top of the tree.
DEB_VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_FILE    := libapache2-mod-appointments_$(DEB_VERSION)_$(DEB_ARCH).deb

deb: deps
	@grep -q '"$(DEB_VERSION)"' src/am.h || { echo "make deb:" \
	    "debian/changelog ($(DEB_VERSION)) and AM_VERSION in src/am.h" \
	    "differ"; exit 1; }
	rm -rf build/deb && mkdir -p build/deb/src
	tar -cf - --exclude=./build --exclude=./run --exclude=./.git \
	    --exclude='./*.deb' --exclude=./.libs --exclude='*.lo' \
	    --exclude='*.slo' --exclude='*.o' --exclude='*.la' \
	    --exclude=./mod_appointments.so . | tar -xf - -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -b -us -uc
	cp build/deb/$(DEB_FILE) .
	lintian --fail-on error $(DEB_FILE)
	@echo "make deb: $(DEB_FILE)"

clean:
	rm -rf .libs *.la *.lo *.slo *.o src/*.lo src/*.slo src/*.o \
	    src/.libs glue/*.lo glue/*.slo glue/*.o glue/.libs build \
	    mod_appointments.so t/logs t/conf/apache_test_config.pm \
	    t/conf/extra.conf t/conf/httpd.conf t/conf/modperl_inc.pl \
	    t/conf/modperl_startup.pl t/htdocs/index.html

.PHONY: all deps unit dotnet run stop test bench install deb clean
# Keep the unit objects between builds (and between concurrent builds).
.SECONDARY:
