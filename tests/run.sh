#!/bin/sh
# Run the test suites and print one summary line: "N passed, M failed".
#
#   sh tests/run.sh            every suite
#   sh tests/run.sh unit       only the cmocka unit tests (ASan + UBSan)
#   sh tests/run.sh e2e        only the end-to-end tests
#   sh tests/run.sh regress    only the golden-output comparison
#   sh tests/run.sh browser    only the browser tests
#   sh tests/run.sh fuzz       only the fuzzers, 20 s each (needs clang)
#
# Logs go to tests/out/<suite>.log; a failing suite's log is printed.
set -u
cd "$(dirname "$0")/.."
only=${1:-all}
out=tests/out
mkdir -p "$out"
passed=0
failed=0

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# cmocka: "[  PASSED  ] 12 test(s)." / "[  FAILED  ] 2 test(s), listed below:"
run_unit() {
	for bin in build/asan/unit/test_*; do
		[ -x "$bin" ] || continue
		name=$(basename "$bin")
		log="$out/$name.log"
		"$bin" >"$log" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed, sanitizer report, or no test ran
		fi
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "$name: ran no test" >>"$log"
		fi
		echo "unit $name: $p passed, $f failed"
		[ "$f" -eq 0 ] || { echo "---- $log"; tail -n 60 "$log"; }
		add "$p" "$f"
	done
}

# Suites that print their own "N passed, M failed" last line.
run_counted() {
	label=$1
	shift
	log="$out/$label.log"
	"$@" >"$log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "$label: $p passed, $f failed"
	[ "$f" -eq 0 ] || { echo "---- $log"; tail -n 80 "$log"; }
	add "$p" "$f"
}

case $only in all|unit) run_unit ;; esac
# Debian's python3 carries html5lib and PyYAML (a python3 earlier on PATH
# may not).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
case $only in all|e2e)
	run_counted e2e "$py" tests/e2e/run_e2e.py ;;
esac
case $only in all|regress)
	run_counted regress sh tests/regress/run.sh ;;
esac
# libFuzzer needs clang; without it the fuzzers are skipped, and say so.
case $only in all|fuzz)
	if command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
		run_counted fuzz sh tests/fuzz/run.sh "${PM_FUZZ_SECONDS:-20}"
	else
		echo "fuzz: skipped: ${FUZZ_CC:-clang} is not installed (apt-get install clang)"
	fi ;;
esac
case $only in all|browser)
	if [ -f tests/browser/run.mjs ]; then
		run_counted browser node tests/browser/run.mjs
	fi ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
