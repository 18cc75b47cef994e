# kiosk.mk: build rules of build/haulgate-kiosk, included by the Makefile.
#
# The kiosk is every kiosk/*.c linked with build/libhaulgate-scenario.a (the
# scenario language of its --script) and build/libhaulgate.a.  Only these
# objects see the SDL and espeak-ng flags (pkg-config $(KIOSK_PKGS)): the rest of
# the program builds and tests without SDL.  The ASan+UBSan twin is
# build/asan/haulgate-kiosk, built like build/asan/haulgate.  The
# ThreadSanitizer twin is build/tsan/haulgate-kiosk: the library and the kiosk
# again with -fsanitize=thread in build/tsan/obj/ (TSan cannot share a binary
# with ASan), for tests/cli/test_kiosk_tsan.sh, which runs it live with its
# threads (the card reader, the CUPS printer's follower).  `make test` builds
# it: the test recipe lists $(TUNITS).
#
# `make` builds the kiosk with the CLI (all), and `make test` builds it with
# -Werror before the tests run: test's recipe builds $(UNITS) and $(AUNITS)
# with -Werror, so the kiosk joins those lists.  The kiosk's unit tests
# (tests/kiosk/test_*.c) build to build/tests/ and build/asan/tests/, where
# scripts/run-tests.sh runs every test_* it finds.

KIOSK_PKGS   := sdl2 SDL2_ttf SDL2_image espeak-ng
KIOSK_CFLAGS := $(shell pkg-config --cflags $(KIOSK_PKGS) 2>/dev/null)
KIOSK_LIBS   := $(shell pkg-config --libs $(KIOSK_PKGS) 2>/dev/null)
KIOSK_SRC    := $(sort $(wildcard kiosk/*.c))
KIOSK_OBJ    := $(KIOSK_SRC:%.c=$(B)/obj/%.o)
AKIOSK_OBJ   := $(KIOSK_SRC:%.c=$(A)/obj/%.o)

T            := $(B)/tsan
TSAN         := -fsanitize=thread -fno-omit-frame-pointer -O1 -g
TLIB_OBJ     := $(LIB_SRC:%.c=$(T)/obj/%.o) $(T)/obj/gen/i18n_data.o
TSCN_OBJ     := $(SCN_SRC:%.c=$(T)/obj/%.o)
TSCN_LIB     := $(T)/libhaulgate-scenario.a
TKIOSK_OBJ   := $(KIOSK_SRC:%.c=$(T)/obj/%.o)
TUNITS       := $(T)/haulgate-kiosk

# the kiosk's own tests (tests/kiosk/test_*.c): the screens, the layout and
# speech without SDL's video, linked with the kiosk's files that are not SDL's
KTEST_SRC    := $(sort $(wildcard tests/kiosk/test_*.c))
KTESTS       := $(KTEST_SRC:tests/kiosk/%.c=$(B)/tests/%)
AKTESTS      := $(KTEST_SRC:tests/kiosk/%.c=$(A)/tests/%)
KVIEW_OBJ    := $(filter-out $(B)/obj/kiosk/sdl_%,$(KIOSK_OBJ))
AKVIEW_OBJ   := $(filter-out $(A)/obj/kiosk/sdl_%,$(AKIOSK_OBJ))

all: $(B)/haulgate-kiosk
UNITS  += $(B)/haulgate-kiosk
AUNITS += $(A)/haulgate-kiosk
UNITS += $(KTESTS)
AUNITS += $(AKTESTS)
kiosk-tests: $(KTESTS)
.PHONY: kiosk-tests

# more specific than the Makefile's $(B)/obj/%.o: %.c, so these win for kiosk/
$(B)/obj/kiosk/%.o: kiosk/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KIOSK_CFLAGS) -MMD -MP -c $< -o $@

$(A)/obj/kiosk/%.o: kiosk/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KIOSK_CFLAGS) $(ASAN) -O1 -MMD -MP -c $< -o $@

$(B)/haulgate-kiosk: $(KIOSK_OBJ) $(SCN_LIB) $(B)/libhaulgate.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(KIOSK_OBJ) $(SCN_LIB) $(B)/libhaulgate.a $(KIOSK_LIBS) \
		$(LDLIBS)

$(A)/haulgate-kiosk: $(AKIOSK_OBJ) $(ASCN_LIB) $(A)/libhaulgate.a
	$(CC) $(CFLAGS) $(ASAN) -O1 -o $@ $(AKIOSK_OBJ) $(ASCN_LIB) $(A)/libhaulgate.a $(KIOSK_LIBS) \
		$(LDLIBS)

# the ThreadSanitizer build: the library's objects and the kiosk's
$(T)/obj/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN) -MMD -MP -c $< -o $@

$(T)/obj/kiosk/%.o: kiosk/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KIOSK_CFLAGS) $(TSAN) -MMD -MP -c $< -o $@

$(T)/obj/gen/i18n_data.o: $(GEN_I18N) $(B)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TSAN) -c $(GEN_I18N) -o $@

$(T)/libhaulgate.a: $(TLIB_OBJ) $(B)/.objs-TLIB_OBJ
	@rm -f $@
	ar rcs $@ $(TLIB_OBJ)

$(TSCN_LIB): $(TSCN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(T)/haulgate-kiosk: $(TKIOSK_OBJ) $(TSCN_LIB) $(T)/libhaulgate.a
	$(CC) $(CFLAGS) $(TSAN) -o $@ $(TKIOSK_OBJ) $(TSCN_LIB) $(T)/libhaulgate.a $(KIOSK_LIBS) \
		$(LDLIBS)

# test_pictures draws with the renderer too (SDL's software renderer into a
# surface: no display)
$(B)/tests/test_pictures: KTEST_SDL := $(B)/obj/kiosk/sdl_render.o
$(B)/tests/test_pictures: $(B)/obj/kiosk/sdl_render.o
$(A)/tests/test_pictures: KTEST_SDL := $(A)/obj/kiosk/sdl_render.o
$(A)/tests/test_pictures: $(A)/obj/kiosk/sdl_render.o

$(KTESTS): $(B)/tests/%: tests/kiosk/%.c $(KVIEW_OBJ) $(SCN_LIB) $(B)/libhaulgate.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KIOSK_CFLAGS) -o $@ $< $(KVIEW_OBJ) $(KTEST_SDL) $(SCN_LIB) $(B)/libhaulgate.a \
		$(KIOSK_LIBS) $(LDLIBS) $(TEST_LDLIBS)

$(AKTESTS): $(A)/tests/%: tests/kiosk/%.c $(AKVIEW_OBJ) $(ASCN_LIB) $(A)/libhaulgate.a \
		tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(KIOSK_CFLAGS) $(ASAN) -O1 -o $@ $< $(AKVIEW_OBJ) $(KTEST_SDL) $(ASCN_LIB) \
		$(A)/libhaulgate.a $(KIOSK_LIBS) $(LDLIBS) $(TEST_LDLIBS)

-include $(KIOSK_OBJ:.o=.d) $(AKIOSK_OBJ:.o=.d) $(TKIOSK_OBJ:.o=.d) $(TLIB_OBJ:.o=.d) \
	$(TSCN_OBJ:.o=.d)
