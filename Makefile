# Parley: plain make + pkg-config. `make` builds build/parley.
# make check | make demo | make bench | make sanitize | make fuzz | make clean

PKGS     := libmicrohttpd sqlite3 md4c inih libsodium zlib libbrotlienc expat gumbo libxxhash
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
            -Wno-unused-parameter -Wformat=2 -Wvla
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*/*.c))
MAIN     := src/main.c
EMBEDDED := $(sort $(wildcard templates/default/*.html templates/default/*.css) $(wildcard demo/*.md demo/*.txt demo/*.svg))
UNIT     := $(sort $(wildcard tests/unit/test_*.c))

OBJ      := $(SRC:%.c=build/obj/%.o) build/obj/embed_data.o
SOBJ     := $(SRC:%.c=build/san/%.o) build/san/embed_data.o

.PHONY: all deps check demo bench sanitize unit clean fuzz format
all: build/parley

deps:
	@sh scripts/deps.sh

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

build/gen/embed_data.c: build/tools/embed $(EMBEDDED)
	@mkdir -p $(@D)
	build/tools/embed $@ $(EMBEDDED)

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(PKG_CFLAGS) -Isrc -MMD -MP -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) $(WARN) $(PKG_CFLAGS) -Isrc -MMD -MP -c -o $@ $<

build/obj/embed_data.o: build/gen/embed_data.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

build/san/embed_data.o: build/gen/embed_data.c
	@mkdir -p $(@D)
	$(CC) -O1 $(SAN) -Isrc -c -o $@ $<

build/parley: build/obj/src/main.o $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/parley-san: build/san/src/main.o $(SOBJ)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(PKG_CFLAGS) -Isrc -o $@ $^ $(PKG_LIBS) -lcmocka

build/tests-san/%: tests/unit/%.c $(SOBJ)
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) $(WARN) $(PKG_CFLAGS) -Isrc -o $@ $^ $(PKG_LIBS) -lcmocka

FUZZ         := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY  := $(FUZZ:tests/fuzz/fuzz_%.c=build/fuzz/replay_%)
FUZZ_BIN     := $(FUZZ:tests/fuzz/fuzz_%.c=build/fuzz/fuzz_%)

# Replay binaries run each fuzz target over its regression inputs in the
# normal test run (no libFuzzer needed); `make fuzz` builds real fuzzers.
build/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(SOBJ)
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SAN) $(WARN) $(PKG_CFLAGS) -Isrc -o $@ $^ $(PKG_LIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SRC) build/gen/embed_data.c
	@mkdir -p $(@D)
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -D_GNU_SOURCE -Isrc -o $@ $^ $(PKG_LIBS)

UNIT_BIN     := $(UNIT:tests/unit/%.c=build/tests/%)
UNIT_SAN_BIN := $(UNIT:tests/unit/%.c=build/tests-san/%)

unit: $(UNIT_BIN)
sanitize: build/parley-san $(UNIT_SAN_BIN) $(FUZZ_REPLAY)
fuzz: $(FUZZ_BIN)
	@echo 'run e.g.: build/fuzz/fuzz_markdown tests/fuzz/regression/markdown -max_total_time=60'

check: deps
	$(MAKE) all unit sanitize
	sh tests/run

# Parley against nginx serving the same bytes; writes bench/RESULTS.md.
# Installs nginx itself if missing. BENCH_ARGS=--scale adds the scale run.
bench: deps
	$(MAKE) all
	/usr/bin/python3 bench/bench.py $(BENCH_ARGS)

demo: deps
	$(MAKE) all
	@test -d demo-site || build/parley init demo-site --demo
	build/parley serve demo-site --listen 127.0.0.1:8080

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
