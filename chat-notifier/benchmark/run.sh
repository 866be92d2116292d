#!/usr/bin/env bash
# Chat fan-out benchmark: starts the packaged local app on a loopback port with its data in a
# temporary folder, opens SUBSCRIBERS Server-Sent Events streams on one room, posts RATE
# messages a second for SECONDS through POST /fn/postMessage, and prints delivered, lost and
# duplicated events, end-to-end latency p50/p99/max and the sustained rates (the harness is
# infra/local's test-scope ChatFanoutBenchmark). Never fails on a timing.
# Needs: java 17, the app jar (./mvnw -q package -DskipTests), the modules in ~/.m2 (./mvnw -q install -DskipTests).
# Usage: run.sh [SUBSCRIBERS] [RATE] [SECONDS] [extra app options...]   (defaults 1000 100 60)
# WARMUP_SECONDS (default 10) posts at the same rate before the measured run; 0 measures a cold app.
# APP_JAVA_OPTS passes JVM options to the app (heap, GC, a flight recording).
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
SUBSCRIBERS=${1:-1000}
RATE=${2:-100}
SECONDS_=${3:-60}
shift $(($# < 3 ? $# : 3))
JAR=$(ls "$ROOT"/infra/local/target/skyfold-local-*.jar 2>/dev/null | head -1 || true)
[[ -n $JAR ]] || { echo "run.sh: no app jar; build it with ./mvnw -q package -DskipTests" >&2; exit 1; }

TMP=$(mktemp -d /tmp/skyfold-chat-bench.XXXXXX)
APP_PID=""
cleanup() {
	if [[ -n $APP_PID ]]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT

(cd "$ROOT" && ./mvnw -q -pl infra/local test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/classpath" -Dmdep.includeScope=test)
cp "$JAR" "$TMP/app.jar"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# A client of the app's embedded issuer for this run, with rate limits off: the benchmark
# measures the fan-out, not the limiter.
BENCH_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
java ${APP_JAVA_OPTS:-} -jar "$TMP/app.jar" --server.address=127.0.0.1 --server.port="$PORT" \
	--skyfold.local.data="$TMP/data" --skyfold.security.rate-limits.enabled=false \
	--skyfold.security.clients.bench.secret="{noop}$BENCH_SECRET" --skyfold.security.clients.bench.roles=member \
	"$@" >"$TMP/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
	curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break
	kill -0 "$APP_PID" 2>/dev/null || { tail -20 "$TMP/app.log"; exit 1; }
	sleep 0.5
done

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1)"
echo "app       $JAR ${APP_JAVA_OPTS:-} $*"
# user and system CPU ticks of the app, from /proc
app_cpu() { awk '{print $14, $15}' "/proc/$APP_PID/stat"; }
read -r APP_USER APP_SYSTEM < <(app_cpu)
BENCH_TOKEN=$(curl -fsS -u "bench:$BENCH_SECRET" -d grant_type=client_credentials \
	"http://127.0.0.1:$PORT/oauth2/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export BENCH_TOKEN
java -cp "$ROOT/infra/local/target/test-classes:$(cat "$TMP/classpath")" \
	dev.skyfold.local.benchmark.ChatFanoutBenchmark "http://127.0.0.1:$PORT" "$SUBSCRIBERS" "$RATE" "$SECONDS_" "${WARMUP_SECONDS:-10}"
read -r USER_NOW SYSTEM_NOW < <(app_cpu)
TICKS=$(getconf CLK_TCK)
echo "app CPU   user $(( (USER_NOW - APP_USER) / TICKS )) s, system $(( (SYSTEM_NOW - APP_SYSTEM) / TICKS )) s during the run"
echo "app OOMs  $(grep -c OutOfMemoryError "$TMP/app.log" || true)"
