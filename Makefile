# usmtkit -- see README.md. `make` builds the three tools natively,
# `make check` runs every test, `make demo` shows them on a generated store.
VERSION    := 0.1.0
BUILD      ?= build
PLATFORM   ?= posix
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
AR         ?= ar
PKG_CONFIG ?= pkg-config
CFLAGS     ?= -O2 -g
LDFLAGS    ?=
PYTHON     ?= python3

WARN := -Wall -Wextra -Wformat=2 -Wvla -Wno-unused-parameter
PKGS := libxml-2.0 sqlite3

# Evaluated once, on first use: pkg-config runs after `deps` installed the packages.
DEP_CFLAGS = $(eval DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS)))$(DEP_CFLAGS)
DEP_LIBS   = $(eval DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS)))$(DEP_LIBS)

ifeq ($(PLATFORM),win32)
EXE        := .exe
OS_CPPFLAGS := -D__USE_MINGW_ANSI_STDIO=1 -D_WIN32_WINNT=0x0A00 -DUNICODE -D_UNICODE
OS_LDFLAGS := -static
# The tools' UK_ENTRY is wmain; unit tests and helpers keep main.
OS_TOOL_LDFLAGS := -municode
OS_LIBS    := -lpthread
OS_EXCLUDE := %_posix.c
else
EXE        :=
OS_CPPFLAGS := -D_GNU_SOURCE
OS_LDFLAGS :=
OS_TOOL_LDFLAGS :=
OS_LIBS    := -lpthread
OS_EXCLUDE := %_win32.c
endif

ALL_CPPFLAGS = -Icommon $(MOD_CPPFLAGS) -DUK_VERSION='"$(VERSION)"' $(OS_CPPFLAGS) $(DEP_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=gnu11 $(WARN) $(CFLAGS)
ALL_LIBS     = $(DEP_LIBS) $(OS_LIBS) $(LIBS)

COMMON_SRC := $(filter-out $(addprefix common/,$(OS_EXCLUDE)),$(wildcard common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
LIB        := $(BUILD)/lib/libusmtkit.a

# log/: the LoadState/ScanState log reader, a library standing on common/
# (libusmtlog.a). Only report/, the unit tests and the fuzzers see its headers.
LOG_SRC    := $(wildcard log/*.c)
LOG_OBJ    := $(LOG_SRC:%.c=$(BUILD)/obj/%.o)
LOGLIB     := $(BUILD)/lib/libusmtlog.a
$(BUILD)/obj/log/%.o $(BUILD)/obj/report/%.o: private MOD_CPPFLAGS := -Ilog
# The libraries a tool links besides libusmtkit.a.
TOOL_LIBS_report := $(LOGLIB)

TOOLS := $(patsubst %/main.c,%,$(wildcard verify/main.c report/main.c purge/main.c rescue/main.c))
BINS  := $(TOOLS:%=$(BUILD)/bin/usmt-%$(EXE))

# test_*_win32.c / test_*_posix.c test what only that OS has.
UNIT_SRC  := $(filter-out tests/unit/test_$(OS_EXCLUDE),$(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%$(EXE))
HELPER_SRC  := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/%$(EXE))

.PHONY: all deps deps-test lib unit-tests check check-native check-windows \
	check-sanitize check-valgrind check-fuzz demo bench bench-scale fuzz windows install clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory binaries

.PHONY: binaries
binaries: $(BINS)

deps:
	@scripts/deps.sh build

deps-test: deps
	@scripts/deps.sh test

lib: $(LIB) $(LOGLIB)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(COMMON_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(LOGLIB): $(LOG_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

# A '%' written in the rule itself would be taken for the stem: keep it in a function.
tool_objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(1)/*.c))

# Tool objects are prerequisites found through a function: without
# .SECONDARY make deletes them as intermediates and rebuilds every time.
.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/bin/usmt-%$(EXE): $$(call tool_objs,$$*) $$(TOOL_LIBS_$$*) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(OS_LDFLAGS) $(OS_TOOL_LDFLAGS) -o $@ $(filter %.o,$^) \
		$(TOOL_LIBS_$*) $(LIB) $(ALL_LIBS)

# Unit tests may include a tool's logic file: tests/unit/test_report_*.c
# links report/*.o except main.o (see TOOL_OBJ_FOR).
tool_of = $(firstword $(filter $(TOOLS),$(word 2,$(subst _, ,$(1)))))
TOOL_OBJ_FOR = $(if $(call tool_of,$(1)),$(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out %/main.c,$(wildcard $(call tool_of,$(1))/*.c))))

# Unit tests see log/ too (test_usmtlog*, test_win32err, the report's tests).
$(BUILD)/tests/%$(EXE): private MOD_CPPFLAGS := -Ilog
$(BUILD)/tests/%$(EXE): tests/unit/%.c $$(call TOOL_OBJ_FOR,$$*) $(LOGLIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(OS_LDFLAGS) -o $@ $< \
		$(call TOOL_OBJ_FOR,$*) $(LOGLIB) $(LIB) -lcmocka $(ALL_LIBS)

$(BUILD)/tests/%$(EXE): tests/helpers/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(OS_LDFLAGS) -o $@ $< $(LIB) $(ALL_LIBS)

unit-tests: $(UNIT_BINS) $(HELPER_BINS)

# ---- tests -------------------------------------------------------------
# check = every suite; each suite is also a target of its own.
check: deps-test
	@$(MAKE) --no-print-directory check-native
	@$(MAKE) --no-print-directory check-windows
	@$(MAKE) --no-print-directory check-sanitize
	@$(MAKE) --no-print-directory check-valgrind
	@$(MAKE) --no-print-directory check-fuzz
	@echo "make check: all suites passed"

check-native: binaries unit-tests
	@UK_BUILD=$(BUILD) tests/run.sh native

# Reports go to log files (a test may ignore an exit code or check stderr);
# any report fails the suite, and a distinct exit code fails the test too.
SAN_LOGS = $(abspath $(BUILD))/asan/sanitizer-logs
VG_LOGS  = $(abspath $(BUILD))/valgrind-logs
fail_on_logs = for f in $(1)/*; do [ -s "$$f" ] || continue; \
	echo "$(2) report: $$f"; head -n 60 "$$f"; rc=1; done; exit $$rc

check-sanitize:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CC=clang \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" binaries unit-tests
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@UK_BUILD=$(BUILD)/asan UK_SUITE_NAME=sanitize \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86:log_path=$(SAN_LOGS)/asan \
		UBSAN_OPTIONS=print_stacktrace=1:exitcode=86:log_path=$(SAN_LOGS)/ubsan \
		tests/run.sh native; rc=$$?; $(call fail_on_logs,$(SAN_LOGS),sanitizer)

check-valgrind: binaries
	@rm -rf $(VG_LOGS) && mkdir -p $(VG_LOGS)
	@UK_BUILD=$(BUILD) UK_SUITE_NAME=valgrind \
		UK_RUN="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$(VG_LOGS)/vg.%p" \
		tests/run.sh scenario; rc=$$?; $(call fail_on_logs,$(VG_LOGS),valgrind)

check-windows:
	@scripts/check-windows.sh

check-fuzz:
	@UK_BUILD=$(BUILD) tests/fuzz/run.sh brief

fuzz:
	@scripts/deps.sh fuzz
	@UK_BUILD=$(BUILD) tests/fuzz/run.sh long

windows:
	@scripts/deps.sh build windows
	@scripts/build-windows.sh

demo: deps-test
	@$(MAKE) --no-print-directory binaries
	@UK_BUILD=$(BUILD) samples/demo.sh

bench: deps-test
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory binaries
	@UK_BUILD=$(BUILD) bench/run.sh

# bench/scale.sh alone: verify and purge at 10 k, 100 k and 1 M files.
bench-scale: deps-test
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory binaries
	@UK_BUILD=$(BUILD) bench/scale.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/doc/usmtkit
	install -m 644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/usmtkit/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
