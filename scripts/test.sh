#!/usr/bin/env bash
# Runs the whole test suite: unit + golden + integration tests (CTest), then the bounded fuzz runs.
# Expects scripts/setup.sh to have built build/. FINSENT_DATA defaults to ../shared/data's PhraseBank.
set -euo pipefail
cd "$(dirname "$0")/.."
export FINSENT_DATA="${FINSENT_DATA:-$(cd .. && pwd)/shared/data/FinancialPhraseBank-v1.0}"
export FINSENT_MODELS="${FINSENT_MODELS:-$PWD/models}"

if [[ -x scripts/fetch-model.sh ]]; then
  scripts/fetch-model.sh
  # The MPNet tests skip (visibly) without it; a failed download does not stop the suite.
  scripts/fetch-model.sh all-mpnet-base-v2 || echo "test: all-mpnet-base-v2 not fetched; its tests will be skipped" >&2
fi
ctest --test-dir build --output-on-failure --timeout 900 -j "$(nproc)" | tee build/ctest.log
if [[ -x scripts/fuzz.sh ]]; then scripts/fuzz.sh "${FINSENT_FUZZ_SECONDS:-30}"; fi
# Reached only when every test and fuzz run passed (set -e, pipefail): one closing summary line.
total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' build/ctest.log | tail -1)
echo "tests: ${total:-0} passed, 0 failed"
