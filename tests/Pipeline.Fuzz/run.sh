#!/usr/bin/env bash
# Usage: tests/Pipeline.Fuzz/run.sh TARGET SECONDS
# Builds the fuzz harness, instruments Pipeline.Core with SharpFuzz, runs afl-fuzz on TARGET (csv, png, svg, jwt, webhook, verify-input, revoke-csv)
# for SECONDS from the seed corpus in corpus/TARGET, prints the executions, and fails if afl-fuzz found a crash
# (the crashing inputs are left in findings/TARGET/default/crashes; replay one with
#  dotnet tests/Pipeline.Fuzz/bin/fuzz/run/Pipeline.Fuzz.dll TARGET FILE).
# Needs afl-fuzz (apt-get install afl++) and the SharpFuzz tool (dotnet tool install --global SharpFuzz.CommandLine).
set -euo pipefail
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/bin/fuzz"
findings="$here/findings/$target"
export PATH="$PATH:$HOME/.dotnet/tools"

dotnet build "$here/Pipeline.Fuzz.csproj" -c Release -o "$out/build" --nologo -v quiet >/dev/null
# SharpFuzz rewrites the assembly in place: instrument a fresh copy of the build every run.
rm -rf "$out/run"
cp -r "$out/build" "$out/run"
sharpfuzz "$out/run/Pipeline.Core.dll" >/dev/null

rm -rf "$findings"
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
timeout $((seconds + 60)) afl-fuzz -i "$here/corpus/$target" -o "$findings" -t 10000 -m none -V "$seconds" \
  -- dotnet "$out/run/Pipeline.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  echo "fuzz $target: afl-fuzz did not run; see $findings/afl.log" >&2
  tail -20 "$findings/afl.log" >&2
  exit 1
fi
execs=$(awk -F': *' '$1 ~ /^execs_done/ {print $2}' "$stats")
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
paths=$(awk -F': *' '$1 ~ /^corpus_count/ {print $2}' "$stats")
echo "fuzz $target: ${seconds}s, ${execs} executions, ${paths} paths, ${crashes} crashes, ${hangs} hangs"
[ "$crashes" -eq 0 ]
