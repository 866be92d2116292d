#!/usr/bin/env bash
# Chaos benchmark of the local app (the harness is infra/local's test-scope ChaosBenchmark):
# kills the packaged app with SIGKILL at random moments while it takes posts, then runs two
# instances on one PostgreSQL and one Redis and stops and restarts Redis and PostgreSQL under
# posts, live streams and probes. Prints messages acknowledged / stored / lost / duplicated,
# what the live streams saw, and the latency of posts and of unaffected probes. Never fails on
# a figure.
# Needs: java 17, the app jar (./mvnw -q package -DskipTests), the modules in ~/.m2
# (./mvnw -q install -DskipTests), Debian's postgresql and redis-server for the outages.
# Usage: chaos.sh [KILL_ROUNDS] [OUTAGE_ROUNDS] [OUTAGE_SECONDS]   (defaults 10 3 10)
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
JAR=$(ls "$ROOT"/infra/local/target/skyfold-local-*.jar 2>/dev/null | head -1 || true)
[[ -n $JAR ]] || { echo "chaos.sh: no app jar; build it with ./mvnw -q package -DskipTests" >&2; exit 1; }
TMP=$(mktemp -d /tmp/skyfold-chaos.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

(cd "$ROOT" && ./mvnw -q -pl infra/local test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/classpath" -Dmdep.includeScope=test)
echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1)"
java -cp "$ROOT/infra/local/target/test-classes:$(cat "$TMP/classpath")" \
	dev.skyfold.local.benchmark.ChaosBenchmark "$JAR" "${1:-10}" "${2:-3}" "${3:-10}"
