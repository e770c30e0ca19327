# partnermap - build, set up, test.
#
#   make            build ./partnermap
#   make site       install what is missing, build the tool and the example site
#   make test       install what is missing, run every test suite
#   make regress    compare a small site's output with tests/regress/expected
#   make regress-update   rewrite those expected files from the current output
#   make bench-map  benchmark the map stage;  make bench-page [N=...]  home page weight and timings
#   make bench-scale [N="50000 100000 200000"]  check and build a site of
#                   N institutions (default 100000), each size in turn;
#                   TRANSLATED=1 gives each a French translation file
#   make bench-serve [N="1000 10000"]  serve: from a write to the reload
#   make bench-incremental [N="1000 10000"]  clean, no-change and one-edit builds
#   make bench-hugo [N=10000]    the same site built by partnermap and Hugo
#   make install PREFIX=/usr/local   binary, theme, basemap, man page,
#                   bash completion
#   make readme-fields   rewrite README.md's field reference from the tool

PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := libcmark libcjson shapelib libxml-2.0 yaml-0.1 proj zlib nettle icu-uc icu-i18n libmicrohttpd libutf8proc
# Debian packages: to build, and in addition to test.
DEB_BUILD := gcc make pkg-config libcmark-dev libcjson-dev libshp-dev \
	libxml2-dev libyaml-dev libproj-dev proj-data iso-codes zlib1g-dev nettle-dev \
	libicu-dev libutf8proc-dev ca-certificates libmicrohttpd-dev
# The benchmark's rival; the suite checks that its theme still builds
# the generated records.
DEB_HUGO  := hugo
# bindfs: a folder that keeps no modes, as FAT does, for the tests
DEB_TEST  := libcmocka-dev python3 python3-html5lib python3-yaml \
	python3-jsonschema chromium bindfs \
	fonts-dejavu-core fonts-noto-core gzip $(DEB_HUGO)
# Node.js may come from elsewhere than Debian; only its commands matter.
DEB_NODE  := nodejs npm

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CSTD    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Igenerator -Ibuild/gen $(PKG_CFLAGS) \
	-DPM_VERSION='"$(VERSION)"' -DPM_DATADIR='"$(PREFIX)/share/partnermap"'
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
VERSION := 0.1.0

SRC      := $(sort $(wildcard generator/*.c generator/*/*.c))
LIB_SRC  := $(filter-out generator/main.c,$(SRC))
REL_OBJ  := $(SRC:%.c=build/rel/%.o)
ASAN_LIB := $(LIB_SRC:%.c=build/asan/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/unit/%)
HDRS     := $(wildcard generator/*.h generator/*/*.h tests/unit/*.h)
# Files compiled in as C strings (build/gen/*.h): partnermap init writes
# the shipped GitHub recipe as it is.
GEN      := build/gen/github_pages.h build/gen/i18n_en.h
HDRS     += $(GEN)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all site test deps test-deps basemap unit e2e browser fuzz \
	regress regress-update bench-map bench-page bench-scale bench-serve \
	bench-incremental bench-hugo install clean \
	readme-fields

all: partnermap

# V=1 shows the whole compiler command lines.
Q := $(if $(V),,@)

partnermap: $(REL_OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(REL_OBJ) $(PKG_LIBS)

# Each line a C string: backslashes, quotes and '?' (no trigraphs) escaped.
build/gen/github_pages.h: examples/ci/github-pages.yml
build/gen/i18n_en.h: themes/default/i18n/en.yml
build/gen/%.h:
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' \
		-e 's/^/\t"/' -e 's/$$/\\n"/' $^ >$@.tmp && mv $@.tmp $@

build/rel/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC+SAN  $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/asan/partnermap: $(ASAN_LIB) build/asan/generator/main.o
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

build/asan/unit/%: tests/unit/%.c $(ASAN_LIB) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -O1 -o $@ $< $(ASAN_LIB) \
		$(PKG_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# test_heap checks glibc's own heap, which AddressSanitizer's allocator
# replaces: it is built with UndefinedBehaviorSanitizer alone.
build/asan/unit/test_heap: tests/unit/test_heap.c generator/util/heap.c generator/util/heap.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=undefined -fno-sanitize-recover=undefined -O1 \
		-o $@ $< generator/util/heap.c \
		$(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# ---- set-up: Debian packages and the basemap -------------------------------

deps:
	@missing=$$(for p in $(DEB_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "partnermap: installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test-deps: deps
	@missing=$$(for p in $(DEB_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		missing="$$missing $(DEB_NODE)"; fi; \
	if [ -n "$$missing" ]; then \
		echo "partnermap: installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules ]; then \
		cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; fi

basemap: deps
	@sh geodata/fetch-basemap.sh

site: deps basemap partnermap
	./partnermap build
	@echo "partnermap: the example site is in output/; open output/index.html"

# ---- tests -----------------------------------------------------------------

test: test-deps basemap partnermap build/asan/partnermap $(UNIT_BIN)
	@sh tests/run.sh

unit: $(UNIT_BIN)
	@sh tests/run.sh unit

regress: deps basemap build/asan/partnermap
	@sh tests/run.sh regress

# On purpose only: after a change of output, then read `git diff`.
regress-update: deps basemap build/asan/partnermap
	@sh tests/regress/run.sh --update

fuzz:
	@sh tests/fuzz/run.sh

bench-map: deps basemap partnermap
	@sh tests/bench/map.sh

bench-page: deps basemap partnermap
	@N=$(N) sh tests/bench/page.sh

# N institutions (default 100000) made from the example's records.
bench-scale: deps basemap partnermap
	@python3 tests/bench/scale.py $(N)

# Sites of N institutions (default 1000, then 10000) served; times from
# the write of a record to the reload event.
bench-serve: deps basemap partnermap
	@python3 tests/bench/serve.py $(N)

bench-incremental: deps basemap partnermap
	@python3 tests/bench/incremental.py $(N)

# partnermap against Hugo (Debian's) on N institutions (default 10000).
bench-hugo: deps basemap partnermap
	@command -v hugo >/dev/null || { echo "partnermap: installing Debian packages: $(DEB_HUGO)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(DEB_HUGO); }
	@python3 tests/bench/hugo.py $(N)

# README.md's field reference is `partnermap schema --markdown`, between
# its fields:begin and fields:end markers; an e2e test fails when the two
# differ.
readme-fields: partnermap
	@grep -q '^<!-- fields:begin -->$$' README.md && \
		grep -q '^<!-- fields:end -->$$' README.md || \
		{ echo "README.md lacks the fields:begin/fields:end markers"; exit 1; }
	@mkdir -p build
	@./partnermap schema --markdown > build/fields.md
	@awk -v block=build/fields.md ' \
		/^<!-- fields:end -->$$/ { skip = 0 } \
		!skip { print } \
		/^<!-- fields:begin -->$$/ { while ((getline line < block) > 0) print line; skip = 1 }' \
		README.md > build/README.md.new
	@cat build/README.md.new > README.md && rm -f build/README.md.new build/fields.md
	@echo "partnermap: README.md's field reference rewritten"

# ---- install ---------------------------------------------------------------

# The basemap goes with the theme so that `partnermap init` can copy it
# into a new site; the completion goes where bash-completion looks.
install: partnermap basemap
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/partnermap/themes \
		$(DESTDIR)$(PREFIX)/share/partnermap/geodata \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 partnermap $(DESTDIR)$(PREFIX)/bin/partnermap
	install -m 644 generator/partnermap.1 $(DESTDIR)$(PREFIX)/share/man/man1/partnermap.1
	cp -R themes/default $(DESTDIR)$(PREFIX)/share/partnermap/themes/
	install -m 644 geodata/naturalearth_lowres.shp geodata/naturalearth_lowres.shx \
		geodata/naturalearth_lowres.dbf geodata/naturalearth_lowres.prj \
		geodata/naturalearth_lowres.cpg $(DESTDIR)$(PREFIX)/share/partnermap/geodata/
	install -m 644 completion/partnermap.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/partnermap

clean:
	rm -rf build partnermap tests/out
