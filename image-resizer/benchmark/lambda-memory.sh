#!/usr/bin/env bash
# Memory benchmark of resizeImage on Lambda: the packaged aws jar under AWS's runtime interface
# client with the JVM limits Lambda derives from the memory setting, one fresh process per photo
# (S3Mock on loopback); prints each process's peak resident memory, what Lambda reports as Max
# Memory Used. The harness is image-resizer-aws's test-scope LambdaMemoryBenchmark. Never fails
# on a figure. Needs: java 17, the aws jar and the modules in ~/.m2 (./mvnw -q install -DskipTests).
# Usage: lambda-memory.sh [MEMORY_MB] [PHOTO...]   (default 1024 and the corpus's largest image
# in pixels and in bytes)
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
MODULE=$ROOT/image-resizer/image-resizer-aws
MEMORY=${1:-1024}
shift $(($# > 0 ? 1 : 0))
PHOTOS=("$@")
if ((${#PHOTOS[@]} == 0)); then
	PHOTOS=(/tmp/imgcorpus/j01_painting-colors_6000x4000.jpg "$(ls -S /tmp/imgcorpus/*.jpg /tmp/imgcorpus/*.png 2>/dev/null | head -1)")
fi
for photo in "${PHOTOS[@]}"; do
	[[ -f $photo ]] || { echo "lambda-memory.sh: no photo at $photo (build the corpus with ../shared/bench/make-corpus.sh)" >&2; exit 1; }
done
JAR=$(ls "$MODULE"/target/image-resizer-aws-*-aws.jar 2>/dev/null | head -1 || true)
[[ -n $JAR ]] || { echo "lambda-memory.sh: no aws jar; build it with ./mvnw -q install -DskipTests" >&2; exit 1; }

TMP=$(mktemp -d /tmp/skyfold-lambda-memory.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
./mvnw -q -pl image-resizer/image-resizer-aws test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/harness" -Dmdep.includeScope=test

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1)"
echo "jar       $JAR ($(( $(stat -c %s "$JAR") / 1024 / 1024 )) MB)"
java -cp "$MODULE/target/test-classes:$(cat "$TMP/harness")" \
	dev.skyfold.imageresizer.aws.benchmark.LambdaMemoryBenchmark "$JAR" "$MEMORY" "${PHOTOS[@]}"
