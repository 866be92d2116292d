#!/usr/bin/env bash
# Cold-start benchmark of Skyfold's Lambda functions, resizeImage and postMessage: each
# packaged aws jar run by AWS's runtime interface client, pinned to one CPU with Lambda's JVM
# flags, against a plain RequestHandler doing the same work without Spring (the floor).
# Each run is timed in three phases: init (JVM start to the runtime client's first request
# for an event), the first invocation, and the median of the warm invocations after it;
# the Skyfold jar runs without priming and primed at init (SKYFOLD_LAMBDA_PRIMING_ONINIT,
# what a SnapStart restore starts from), each also with an AppCDS archive from a training
# run. resizeImage reads a photo from S3Mock and writes its thumbnail; postMessage stores a
# message in dynalite (npm ci at the repository root installs it). The harnesses are the
# modules' test-scope ColdStartBenchmark classes. Prints figures; never fails on a timing.
# Needs: java 17 (JAVA picks another JDK for the harness and the functions), taskset
# (util-linux), the aws jars and the modules in the local repository
# (./mvnw -q install -DskipTests). MAVEN_ARGS passes options to Maven, e.g. -o.
# Usage: cold-start.sh [PHOTO] [ROUNDS] [WARM]   (default: the corpus's 2.5 MP
# j18_storm_1920x1280.jpg, 5 rounds, 5 warm invocations); FUNCTIONS="resizeImage postMessage"
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
PHOTO=${1:-/tmp/imgcorpus/j18_storm_1920x1280.jpg}
ROUNDS=${2:-5}
WARM=${3:-5}
FUNCTIONS=${FUNCTIONS:-resizeImage postMessage}
JAVA=${JAVA:-java}
[[ -f $PHOTO ]] || PHOTO=$ROOT/image-resizer/image-resizer-core/src/test/resources/images/tall.jpg

TMP=$(mktemp -d /tmp/skyfold-cold-start.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

jar_of() {
	local jar
	jar=$(ls "$ROOT/$1"/target/*-aws.jar 2>/dev/null | head -1 || true)
	[[ -n $jar ]] || { echo "cold-start.sh: no aws jar in $1; build it with ./mvnw -q install -DskipTests" >&2; exit 1; }
	echo "$jar"
}

# The harness's class path, and the floor's: its handler, the SDK and the Lambda libraries only.
classpaths() {
	local module=$1 floor_groups=$2
	./mvnw -q -pl "$module" test-compile dependency:build-classpath -Dspring-javaformat.skip=true \
		-Dmdep.outputFile="$TMP/harness" -Dmdep.includeScope=test
	./mvnw -q -pl "$module" dependency:build-classpath -Dmdep.outputFile="$TMP/floor" \
		-Dmdep.includeScope=test -Dmdep.includeGroupIds="$floor_groups"
}

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $("$JAVA" -version 2>&1 | head -1)"
for function in $FUNCTIONS; do
	case $function in
	resizeImage)
		MODULE=image-resizer/image-resizer-aws
		JAR=$(jar_of $MODULE)
		classpaths $MODULE software.amazon.awssdk,software.amazon.eventstream,org.reactivestreams,org.slf4j,net.coobird,com.amazonaws
		echo "photo     $PHOTO ($(stat -c %s "$PHOTO") bytes)"
		echo "jar       $JAR ($(( $(stat -c %s "$JAR") / 1024 / 1024 )) MB)"
		echo "load      $(uptime | sed 's/.*load average: //') (before resizeImage)"
		"$JAVA" -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$TMP/harness")" \
			dev.skyfold.imageresizer.aws.benchmark.ColdStartBenchmark "$JAR" \
			"$MODULE/target/test-classes:$(cat "$TMP/floor")" "$PHOTO" "$ROUNDS" "$WARM"
		;;
	postMessage)
		MODULE=chat-notifier/chat-notifier-aws
		JAR=$(jar_of $MODULE)
		[[ -x $ROOT/node_modules/.bin/dynalite ]] || { echo "cold-start.sh: no dynalite; run npm ci at $ROOT" >&2; exit 1; }
		classpaths $MODULE software.amazon.awssdk,software.amazon.eventstream,org.reactivestreams,org.slf4j,com.amazonaws,com.fasterxml.jackson.core
		echo "jar       $JAR ($(( $(stat -c %s "$JAR") / 1024 / 1024 )) MB)"
		echo "load      $(uptime | sed 's/.*load average: //') (before postMessage)"
		"$JAVA" -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$TMP/harness")" \
			dev.skyfold.chat.aws.benchmark.ColdStartBenchmark "$JAR" \
			"$MODULE/target/test-classes:$(cat "$TMP/floor")" "$ROUNDS" "$WARM"
		;;
	*) echo "cold-start.sh: no benchmark of $function" >&2; exit 1 ;;
	esac
	echo "load      $(uptime | sed 's/.*load average: //') (after $function)"
done
