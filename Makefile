# haulgate: plain Makefile with pkg-config.  Start with `make help`.
#
#   make          build build/haulgate (the station CLI)
#   make run      install what is missing, build, run the demo
#   make test     install what is missing, build with -Werror, run every test
#                 (unit, CLI, crash), then the unit tests, the CLI's scenarios
#                 and hardware tests under ASan+UBSan, the live kiosk under TSan
#   make bench    build and print the benchmark figures against their budgets
#   make fresh-check  (as root) `make test` of the committed HEAD on a new
#                 minimal Debian 12 root (mmdebstrap): what a fresh machine needs

CC      ?= cc
HOSTCC  ?= cc
# the library's and the CLI's: no SDL (only kiosk/kiosk.mk's KIOSK_PKGS have
# it), so the station CLI and the plant's server build where SDL is not
# installed (tests/cli/test_no_sdl.sh); receipts are drawn with FreeType
PKGS    := sqlite3 libsodium inih libcjson libcrypto libmodbus libnfc libqrencode libgpiod \
           freetype2 libutf8proc libcurl
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
WERROR  ?=
# libcups has no .pc file on Debian 12: cups-config.  Asked once (:=), not
# again for every command that uses the flags.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(shell cups-config --cflags 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(shell cups-config --libs 2>/dev/null)
CFLAGS  += $(CSTD) $(WARN) $(WERROR) $(OPT) $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -lpthread
TEST_LDLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

B       := build
LIB_SRC := $(sort $(wildcard core/*.c db/*.c drivers/*.c host/*.c station/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC:= $(sort $(wildcard tests/bench/bench_*.c))
PEER_SRC:= $(sort $(wildcard tests/peers/*.c))
# the scenario language (scenario/): how `haulgate simulate` and the kiosk's
# --script drive a station; an archive of its own, not in libhaulgate.a,
# which the plant's server links (docs/DECISIONS.md, test_scenario_lib.sh)
SCN_SRC := $(sort $(wildcard scenario/*.c))

# The translation files, built into the library: tools/embed (a host tool)
# writes them as C arrays into $(GEN_I18N); the order is enum lang's.
PO      := assets/i18n/en.po assets/i18n/es.po
EMBED   := $(B)/tools/embed
GEN_I18N:= $(B)/gen/i18n_data.c

LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/i18n_data.o
CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
SCN_OBJ := $(SCN_SRC:%.c=$(B)/obj/%.o)
SCN_LIB := $(B)/libhaulgate-scenario.a
UNITS   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
BENCHES := $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
PEERS   := $(PEER_SRC:tests/peers/%.c=$(B)/peers/%)

A       := $(B)/asan
ASAN    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALIB_OBJ:= $(LIB_SRC:%.c=$(A)/obj/%.o) $(A)/obj/gen/i18n_data.o
ASCN_OBJ:= $(SCN_SRC:%.c=$(A)/obj/%.o)
ASCN_LIB:= $(A)/libhaulgate-scenario.a
AUNITS  := $(UNIT_SRC:tests/unit/%.c=$(A)/tests/%)

.PHONY: all deps deps-test run test lint bench clean help fresh-check FORCE
all: $(B)/haulgate

help:
	@sed -n '1,/^$$/p' Makefile

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test

# objects are rebuilt when the flags change (make test adds -Werror)
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CFLAGS)' | cmp -s - $@ || echo '$(CFLAGS)' > $@
FORCE:

$(B)/obj/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# assets/i18n/*.po → C arrays (docs/TRANSLATING.md); a changed .po remakes
# the generated file, its objects and everything linked with the library
$(EMBED): tools/embed.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 $(WARN) $(WERROR) -O2 -o $@ tools/embed.c

$(GEN_I18N): $(EMBED) $(PO)
	@mkdir -p $(dir $@)
	$(EMBED) $@ i18n_po_en assets/i18n/en.po i18n_po_es assets/i18n/es.po

$(B)/obj/gen/i18n_data.o: $(GEN_I18N) $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $(GEN_I18N) -o $@

$(A)/obj/gen/i18n_data.o: $(GEN_I18N) $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN) -O1 -c $(GEN_I18N) -o $@

# an archive is remade when the list of its objects changes (a file moved
# out of the library must leave it, though no object is newer)
$(B)/.objs-%: FORCE
	@mkdir -p $(B)
	@echo '$($*)' | cmp -s - $@ || echo '$($*)' > $@

$(B)/libhaulgate.a: $(LIB_OBJ) $(B)/.objs-LIB_OBJ
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(SCN_LIB): $(SCN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/haulgate: $(CLI_OBJ) $(SCN_LIB) $(B)/libhaulgate.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(SCN_LIB) $(B)/libhaulgate.a $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libhaulgate.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libhaulgate.a $(LDLIBS) $(TEST_LDLIBS)

# the scenario language's unit test links its archive too (before the library)
$(B)/tests/test_scenario: tests/unit/test_scenario.c $(SCN_LIB) $(B)/libhaulgate.a \
		$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(SCN_LIB) $(B)/libhaulgate.a $(LDLIBS) $(TEST_LDLIBS)

$(B)/bench/%: tests/bench/%.c $(B)/libhaulgate.a tests/bench/bench.h tests/bench/bench_potw.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libhaulgate.a $(LDLIBS)

# the test peers (tests/peers/*.c): stand-alone programs playing hardware
$(B)/peers/%: tests/peers/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

# faultproxy ends and opens TLS (tests/cli/test_faultproxy.sh): libssl
# beside the libcrypto everything links
$(B)/peers/faultproxy: private LDLIBS += $(shell pkg-config --libs libssl libcrypto 2>/dev/null)

# tlog_emit writes checkpoints and proofs with the library's core/merkle.c
# and core/note.c for Go's checker (tests/cli/test_tlog_go.sh): it links
# the library, unlike the other peers
$(B)/peers/tlog_emit: tests/peers/tlog_emit.c $(B)/libhaulgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libhaulgate.a $(LDLIBS)

# pin_rehash hashes a PIN with core/pin.c at libsodium's least limits
# (tests/cli/test_sync_offline.sh): it links the library too
$(B)/peers/pin_rehash: tests/peers/pin_rehash.c $(B)/libhaulgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libhaulgate.a $(LDLIBS)

# the checker nobody here wrote: Go's golang.org/x/mod/sumdb/note and
# sumdb/tlog (Debian's golang-golang-x-mod-dev) in GOPATH mode, offline,
# its build cache under build/ (docs/CHECKPOINTS.md)
GO_PEERS := $(B)/peers/tlogcheck
GO_ENV  := GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$(CURDIR)/$(B)/gocache \
	   GOPROXY=off GOFLAGS=
$(B)/peers/tlogcheck: tests/peers/tlogcheck/main.go
	@mkdir -p $(dir $@) $(B)/gocache
	$(GO_ENV) go build -o $@ ./tests/peers/tlogcheck

# ASan + UBSan build of the library and the unit tests
$(A)/obj/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN) -O1 -MMD -MP -c $< -o $@

$(A)/libhaulgate.a: $(ALIB_OBJ) $(B)/.objs-ALIB_OBJ
	@rm -f $@
	ar rcs $@ $(ALIB_OBJ)

$(ASCN_LIB): $(ASCN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(A)/haulgate: $(CLI_SRC:%.c=$(A)/obj/%.o) $(ASCN_LIB) $(A)/libhaulgate.a
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $^ $(LDLIBS)

$(A)/tests/%: tests/unit/%.c $(A)/libhaulgate.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $< $(A)/libhaulgate.a $(LDLIBS) $(TEST_LDLIBS)

$(A)/tests/test_scenario: tests/unit/test_scenario.c $(ASCN_LIB) $(A)/libhaulgate.a \
		$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $< $(ASCN_LIB) $(A)/libhaulgate.a $(LDLIBS) $(TEST_LDLIBS)

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

# `make test`: everything CI runs.  -Werror here, not in a plain `make`.
test: deps-test
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory WERROR=-Werror $(B)/haulgate $(UNITS) $(AUNITS) $(A)/haulgate $(TUNITS) $(PEERS) $(GO_PEERS)
	@scripts/run-tests.sh

lint:
	@scripts/lint.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES) $(PEERS) $(B)/haulgate-potw
	@scripts/bench.sh

# `make test` on a fresh Debian 12 (scripts/fresh-check.sh): mmdebstrap is
# installed for this target only
fresh-check:
	@scripts/fresh-check.sh

clean:
	rm -rf $(B)

# the kiosk (SDL2): its own rules, kept beside its code
include kiosk/kiosk.mk
# the plant's server (libmicrohttpd): likewise
include potw/potw.mk

# bench_nfc times the kiosk's card-reader thread (it compiles kiosk/sdl_nfc.c
# in): the one bench built with the kiosk's SDL flags (private: not passed on
# to the library it links)
$(B)/bench/bench_nfc: private CFLAGS += $(KIOSK_CFLAGS)
$(B)/bench/bench_nfc: private LDLIBS += $(KIOSK_LIBS)

# every object's header dependencies, the ASan CLI's too (a changed cli.h
# must rebuild build/asan/obj/cli/, or the ASan CLI links two layouts of a struct)
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(ALIB_OBJ:.o=.d) $(CLI_SRC:%.c=$(A)/obj/%.d)
-include $(SCN_OBJ:.o=.d) $(ASCN_OBJ:.o=.d)
