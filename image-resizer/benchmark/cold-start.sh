#!/usr/bin/env bash
# Cold-start benchmark of resizeImage on Lambda: the packaged aws jar run by AWS's runtime
# interface client, pinned to one CPU with Lambda's JVM flags, from process start to the first
# resized S3 event (S3Mock on loopback), against a plain RequestHandler doing the same S3 read,
# Thumbnailator resize and S3 write without Spring (the floor), and with an AppCDS archive.
# The harness is image-resizer-aws's test-scope ColdStartBenchmark. Never fails on a timing.
# Needs: java 17, taskset (util-linux), the aws jar and the modules in ~/.m2
# (./mvnw -q install -DskipTests).
# Usage: cold-start.sh [PHOTO] [ROUNDS]   (default: the corpus's 2.5 MP j18_storm_1920x1280.jpg, 5)
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
MODULE=$ROOT/image-resizer/image-resizer-aws
PHOTO=${1:-/tmp/imgcorpus/j18_storm_1920x1280.jpg}
ROUNDS=${2:-5}
[[ -f $PHOTO ]] || PHOTO=$ROOT/image-resizer/image-resizer-core/src/test/resources/images/tall.jpg
JAR=$(ls "$MODULE"/target/image-resizer-aws-*-aws.jar 2>/dev/null | head -1 || true)
[[ -n $JAR ]] || { echo "cold-start.sh: no aws jar; build it with ./mvnw -q install -DskipTests" >&2; exit 1; }

TMP=$(mktemp -d /tmp/skyfold-cold-start.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
./mvnw -q -pl image-resizer/image-resizer-aws test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/harness" -Dmdep.includeScope=test
# The floor's class path: its handler, the S3 client, Thumbnailator and the Lambda event types only.
./mvnw -q -pl image-resizer/image-resizer-aws dependency:build-classpath -Dmdep.outputFile="$TMP/floor" \
	-Dmdep.includeScope=test \
	-Dmdep.includeGroupIds=software.amazon.awssdk,software.amazon.eventstream,org.reactivestreams,org.slf4j,net.coobird,com.amazonaws

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1)"
echo "photo     $PHOTO ($(stat -c %s "$PHOTO") bytes)"
echo "jar       $JAR ($(( $(stat -c %s "$JAR") / 1024 / 1024 )) MB)"
java -cp "$MODULE/target/test-classes:$(cat "$TMP/harness")" \
	dev.skyfold.imageresizer.aws.benchmark.ColdStartBenchmark "$JAR" \
	"$MODULE/target/test-classes:$(cat "$TMP/floor")" "$PHOTO" "$ROUNDS"
