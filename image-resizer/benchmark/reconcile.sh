#!/usr/bin/env bash
# Reconcile benchmark: reconcileThumbnails (the test-scope harness ReconcileBenchmark) over a
# bucket of small images, a third of them without thumbnails and a twentieth as many orphans, on
# the folder store and on S3Mock (started by the harness on 127.0.0.1). Prints objects checked
# and thumbnails written per second, the peak heap, and the time of a second, no-op run.
# Needs: java 17 and the sibling modules installed in ~/.m2 (./mvnw -q install -DskipTests).
# Usage: reconcile.sh [IMAGES] [HEAP] [STORES]  (defaults 10000, 256m and folder,s3mock).
# Never fails on a figure.
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
MODULE=$ROOT/image-resizer/image-resizer-aws
IMAGES=${1:-10000}
HEAP=${2:-256m}
STORES=${3:-folder,s3mock}
[[ $IMAGES =~ ^[1-9][0-9]*$ ]] || { echo "reconcile.sh: IMAGES must be a positive integer" >&2; exit 1; }

TMP=$(mktemp -d /tmp/skyfold-reconcile.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
./mvnw -q -pl image-resizer/image-resizer-aws test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/classpath" -Dmdep.includeScope=test

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1), -Xmx$HEAP"
java -Xmx"$HEAP" -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$TMP/classpath")" \
	dev.skyfold.imageresizer.aws.benchmark.ReconcileBenchmark "$IMAGES" "$STORES"
