# sheaf: build, run, test and benchmark. `make run` and `make test` are the two
# commands a new user needs; both install missing Debian packages first.

CC      ?= cc
PKGS    := lua5.4 libcmark-gfm yaml-0.1 libzip cairo pangocairo librsvg-2.0 gdk-pixbuf-2.0 zlib
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

# Debian packages, grouped by what needs them.
DEPS_BUILD := build-essential pkg-config liblua5.4-dev libcmark-gfm-dev libcmark-gfm-extensions-dev \
	libyaml-dev libzip-dev libcairo2-dev libpango1.0-dev librsvg2-dev libgdk-pixbuf-2.0-dev zlib1g-dev \
	fonts-dejavu-core fonts-liberation2 fonts-noto-core python3
DEPS_TEST  := cmark-gfm epubcheck default-jre-headless poppler-utils qpdf libxml2-utils chromium \
	valgrind unzip
DEPS_BENCH := hugo pandoc weasyprint cmark-gfm time bc procps

.PHONY: all deps deps-test deps-bench run test unit asan leakcheck golden-update bench format clean

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

$(BUILD):
	@mkdir -p $(BUILD)

# deps: install whatever Debian packages are missing (root only; otherwise print the command).
deps:
	@sh tools/deps.sh $(DEPS_BUILD)
deps-test:
	@sh tools/deps.sh $(DEPS_BUILD) $(DEPS_TEST)
deps-bench:
	@sh tools/deps.sh $(DEPS_BUILD) $(DEPS_BENCH)

run: deps
	@$(MAKE) --no-print-directory sheaf
	./sheaf build -C . -o out

unit: $(UNITBIN)

test: deps-test
	@$(MAKE) --no-print-directory sheaf unit
	@sh tests/run.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" BIN=build-asan/sheaf build-asan/sheaf unit
	ASAN_OPTIONS=detect_leaks=0 SHEAF_BIN=build-asan/sheaf SHEAF_BUILD=build-asan SHEAF_QUICK=1 sh tests/run.sh

leakcheck: sheaf unit
	SHEAF_VALGRIND=1 SHEAF_QUICK=1 sh tests/run.sh

golden-update: sheaf
	SHEAF_GOLDEN_UPDATE=1 SHEAF_QUICK=1 sh tests/run.sh

bench: deps-bench
	@$(MAKE) --no-print-directory sheaf
	sh tools/bench.sh

format:
	clang-format -i core/*.c core/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build build-asan sheaf
