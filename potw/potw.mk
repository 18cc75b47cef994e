# potw.mk: build rules of build/haulgate-potw, the plant's server, included
# by the Makefile.
#
# The server is potw/main.c linked with build/libhaulgate-potw.a (every other
# potw/*.c: the config, the store and its backends, TLS and PEM, the HTTPS
# server) and build/libhaulgate.a; no SDL, no scenario library.  Only these
# objects see libmicrohttpd's flags (pkg-config $(POTW_PKGS)); its TLS is
# GnuTLS inside libmicrohttpd, and the certificates are made with the
# libcrypto the library links already.  The ASan+UBSan twin is
# build/asan/haulgate-potw.  `make test` builds both with -Werror (they join
# $(UNITS) and $(AUNITS), as the kiosk does), and tests/unit/test_potw_*.c
# link the archive too (the rules below win over the Makefile's pattern).

POTW_PKGS    := libmicrohttpd
POTW_CFLAGS  := $(shell pkg-config --cflags $(POTW_PKGS) 2>/dev/null)
POTW_LIBS    := $(shell pkg-config --libs $(POTW_PKGS) 2>/dev/null)
POTW_SRC     := $(filter-out potw/main.c,$(sort $(wildcard potw/*.c)))
POTW_OBJ     := $(POTW_SRC:%.c=$(B)/obj/%.o)
APOTW_OBJ    := $(POTW_SRC:%.c=$(A)/obj/%.o)
POTW_LIB     := $(B)/libhaulgate-potw.a
APOTW_LIB    := $(A)/libhaulgate-potw.a
POTW_TESTS   := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_potw_*.c))

all: $(B)/haulgate-potw
UNITS  += $(B)/haulgate-potw
AUNITS += $(A)/haulgate-potw

# more specific than the Makefile's $(B)/obj/%.o: %.c, so these win for potw/
$(B)/obj/potw/%.o: potw/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(POTW_CFLAGS) -MMD -MP -c $< -o $@

$(A)/obj/potw/%.o: potw/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(POTW_CFLAGS) $(ASAN) -O1 -MMD -MP -c $< -o $@

$(POTW_LIB): $(POTW_OBJ) $(B)/.objs-POTW_OBJ
	@rm -f $@
	ar rcs $@ $(POTW_OBJ)

$(APOTW_LIB): $(APOTW_OBJ) $(B)/.objs-APOTW_OBJ
	@rm -f $@
	ar rcs $@ $(APOTW_OBJ)

$(B)/haulgate-potw: $(B)/obj/potw/main.o $(POTW_LIB) $(B)/libhaulgate.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/obj/potw/main.o $(POTW_LIB) $(B)/libhaulgate.a \
		$(LDLIBS) $(POTW_LIBS)

$(A)/haulgate-potw: $(A)/obj/potw/main.o $(APOTW_LIB) $(A)/libhaulgate.a
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $(A)/obj/potw/main.o $(APOTW_LIB) $(A)/libhaulgate.a \
		$(LDLIBS) $(POTW_LIBS)

$(POTW_TESTS:%=$(B)/tests/%): $(B)/tests/%: tests/unit/%.c $(POTW_LIB) $(B)/libhaulgate.a \
		$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(POTW_LIB) $(B)/libhaulgate.a $(LDLIBS) $(POTW_LIBS) $(TEST_LDLIBS)

$(POTW_TESTS:%=$(A)/tests/%): $(A)/tests/%: tests/unit/%.c $(APOTW_LIB) $(A)/libhaulgate.a \
		$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $< $(APOTW_LIB) $(A)/libhaulgate.a $(LDLIBS) \
		$(POTW_LIBS) $(TEST_LDLIBS)

-include $(POTW_OBJ:.o=.d) $(APOTW_OBJ:.o=.d) $(B)/obj/potw/main.d $(A)/obj/potw/main.d

# tests/peers/sync_batch plays a station's side of the sync from a real
# station database for tests/cli/test_potw_sync.sh: it links the library
# (core/merkle.c, core/note.c, core/httpsig.c, host/keyfile.c)
$(B)/peers/sync_batch: tests/peers/sync_batch.c $(B)/libhaulgate.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libhaulgate.a $(LDLIBS)
