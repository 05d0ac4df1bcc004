#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of the targets in Fuzz/ (run by `compile` with $SRC, $OUT,
# $SANITIZER and $CFLAGS set; the working directory is $SRC/lockstep). Each target lands in $OUT
# with its seed corpus (<target>_seed_corpus.zip), dictionary and options; the orderings target
# once per library scenario as FuzzOrderings_<scenario>, which reads its scenario from its name.

# SWIFTFLAGS: -parse-as-library, the static Swift runtime, -Xswiftc -sanitize=fuzzer,$SANITIZER
# and --sanitize=$SANITIZER; also copies llvm-symbolizer into $OUT.
. precompile_swift

# --sanitize=fuzzer as well: without it SwiftPM links each executable with
# `--defsym main=<Target>_main` and the link fails (libFuzzer brings `main`). The -Xswiftc
# -sanitize=fuzzer,... of SWIFTFLAGS must stay: SwiftPM's own sanitizer flags reach the Swift
# compiler as the last one only, which would leave the Swift modules without coverage.
swift build -c release --package-path Fuzz --scratch-path "$SRC/lockstep/.build-fuzz" $SWIFTFLAGS --sanitize=fuzzer

bin="$SRC/lockstep/.build-fuzz/release"
# A parser taking over 1 s on an input is a finding; a scenario run under the sanitizers takes
# up to about a second by itself (primary-failover), so orderings targets get 10 s.
parser_options='[libfuzzer]\nmax_len = 65536\ntimeout = 1\nrss_limit_mb = 2048\n'
orderings_options='[libfuzzer]\nmax_len = 65536\ntimeout = 10\nrss_limit_mb = 2048\n'

# One orderings target per scenario, named FuzzOrderings_<scenario>; the scenarios travel with
# the binaries. Each is a hard link to one ~60 MB executable (a copy where links are not kept),
# so by default only the scenarios behind the engine mutants, the default fuzz scenario and the
# failover one; LOCKSTEP_ORDERINGS_SCENARIOS="all" (or a list of names) chooses others.
orderings="${LOCKSTEP_ORDERINGS_SCENARIOS:-clean-run ack-gate-pipelined handshake-straddling-checkpoint split-records divergent-response primary-failover}"
[ "$orderings" = all ] && orderings="$(for f in scenarios/*.yaml; do basename "$f" .yaml; done)"
mkdir -p "$OUT/scenarios"
cp scenarios/*.yaml "$OUT/scenarios/"
cp "$bin/FuzzOrderings" "$OUT/FuzzOrderings"
for scenario in $orderings; do
    target="FuzzOrderings_$scenario"
    ln -f "$OUT/FuzzOrderings" "$OUT/$target" 2>/dev/null || cp "$OUT/FuzzOrderings" "$OUT/$target"
    if [ -d "Fuzz/Seeds/FuzzOrderings/$scenario" ]; then
        (cd "Fuzz/Seeds/FuzzOrderings/$scenario" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
    fi
    printf "$orderings_options" > "$OUT/$target.options"
done
# The plain FuzzOrderings fuzzes the built-in default scenario (divergent-response).
(cd Fuzz/Seeds/FuzzOrderings/divergent-response && zip -q -r "$OUT/FuzzOrderings_seed_corpus.zip" .)
printf "$orderings_options" > "$OUT/FuzzOrderings.options"

# The input parsers, with the library and test fixtures among their seeds.
seed_dirs() {
    case "$1" in
        FuzzScenario) echo "scenarios Fuzz/Seeds/$1" ;;
        FuzzQEMUArgs) echo "Fuzz/Seeds/$1 Tests/Fixtures Tests/TeachingTests/Fixtures/figures" ;;
        *) echo "Fuzz/Seeds/$1" ;;
    esac
}
for target in FuzzPcap FuzzChardev FuzzPackets FuzzScenario FuzzQEMUArgs; do
    cp "$bin/$target" "$OUT/$target"
    for directory in $(seed_dirs "$target"); do
        [ -d "$directory" ] && zip -q -j -r "$OUT/${target}_seed_corpus.zip" "$directory"
    done
    [ -f "Fuzz/Seeds/$target.dict" ] && cp "Fuzz/Seeds/$target.dict" "$OUT/$target.dict"
    printf "$parser_options" > "$OUT/$target.options"
done

# The runner image has no libpcap: ship it, and what it pulls in, beside the binaries (SwiftPM
# links executables with rpath $ORIGIN).
for library in $(ldd "$OUT/FuzzPcap" | awk '$3 ~ /^\// {print $3}' | sort -u); do
    case "$(basename "$library")" in
        libc.so*|libm.so*|libpthread.so*|libdl.so*|librt.so*|libresolv.so*|ld-linux*|libgcc_s.so*|libstdc++.so*) ;;
        *) cp -L "$library" "$OUT/" ;;
    esac
done
