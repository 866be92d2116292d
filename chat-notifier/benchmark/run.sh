#!/usr/bin/env bash
# Chat fan-out benchmark: starts the packaged local app on a loopback port with its data in a
# temporary folder, opens SUBSCRIBERS Server-Sent Events streams on one room, posts RATE
# messages a second for SECONDS through POST /fn/postMessage, and prints delivered, lost and
# duplicated events, end-to-end latency p50/p99/max (for the whole run, its first 10 s, the rest
# and each 10 s), the sustained rates, both sides' CPU and the app's resident memory (the
# harness is infra/local's test-scope ChatFanoutBenchmark). Never fails on a timing.
# Needs: java 17, the app jar (./mvnw -q package -DskipTests), the modules in ~/.m2 (./mvnw -q install -DskipTests).
# Usage: run.sh [SUBSCRIBERS] [RATE] [SECONDS] [extra app options...]   (defaults 1000 100 60)
# WARMUP_SECONDS (default 10) posts at the same rate before the measured run; 0 measures a cold app.
# CLIENT_THREADS (default 1) threads read the streams, each with its own share of the connections.
# HARNESS_WARM_UP_SECONDS (default 5, 0 skips) runs the harness on a loopback stand-in first.
# APP_CPUS and CLIENT_CPUS (e.g. 0 and 1) pin the app and the harness to CPUs with taskset.
# APP_JAVA_OPTS passes JVM options to the app (heap, GC, a flight recording); APP_LOG keeps its log;
# APP_JAR runs another build of the app (an earlier commit's, to compare).
# The benchmark client holds every stream, so the app runs with a per-caller stream cap and a
# connection limit above SUBSCRIBERS; the product's defaults (20 streams a caller, Tomcat's
# 8192 connections) stay as they are.
set -euo pipefail

ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
SUBSCRIBERS=${1:-1000}
RATE=${2:-100}
SECONDS_=${3:-60}
shift $(($# < 3 ? $# : 3))
JAR=${APP_JAR:-$(ls "$ROOT"/infra/local/target/skyfold-local-*.jar 2>/dev/null | head -1 || true)}
[[ -n $JAR ]] || { echo "run.sh: no app jar; build it with ./mvnw -q package -DskipTests" >&2; exit 1; }

TMP=$(mktemp -d /tmp/skyfold-chat-bench.XXXXXX)
APP_PID=""
cleanup() {
	if [[ -n $APP_PID ]]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
	[[ -z ${APP_LOG:-} ]] || cp "$TMP/app.log" "$APP_LOG" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
APP_PINNED=() CLIENT_PINNED=()
[[ -z ${APP_CPUS:-} ]] || APP_PINNED=(taskset -c "$APP_CPUS")
[[ -z ${CLIENT_CPUS:-} ]] || CLIENT_PINNED=(taskset -c "$CLIENT_CPUS")

(cd "$ROOT" && ./mvnw -q -pl infra/local test-compile dependency:build-classpath \
	-Dmdep.outputFile="$TMP/classpath" -Dmdep.includeScope=test)
cp "$JAR" "$TMP/app.jar"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# A client of the app's embedded issuer for this run, with rate limits off: the benchmark
# measures the fan-out, not the limiter.
BENCH_SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
STARTED=$(date +%s%N)
"${APP_PINNED[@]}" java ${APP_JAVA_OPTS:-} -jar "$TMP/app.jar" --server.address=127.0.0.1 --server.port="$PORT" \
	--skyfold.local.data="$TMP/data" --skyfold.security.rate-limits.enabled=false \
	--skyfold.local.max-streams-per-caller="$SUBSCRIBERS" --server.tomcat.max-connections=$((SUBSCRIBERS + 1000)) \
	--skyfold.security.clients.bench.secret="{noop}$BENCH_SECRET" --skyfold.security.clients.bench.roles=member \
	"$@" >"$TMP/app.log" 2>&1 &
APP_PID=$!
# Health answers 200 once the app is ready: after its warm-up, unless that is switched off.
for _ in $(seq 1 600); do
	curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break
	kill -0 "$APP_PID" 2>/dev/null || { tail -20 "$TMP/app.log"; exit 1; }
	sleep 0.1
done
READY_MS=$(( ($(date +%s%N) - STARTED) / 1000000 ))

echo "date      $(date -Iseconds)"
echo "machine   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java      $(java -version 2>&1 | head -1)"
echo "app       $JAR ${APP_JAVA_OPTS:-} $*"
echo "cpus      app ${APP_CPUS:-any}, harness ${CLIENT_CPUS:-any}; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ready     $READY_MS ms after start, RSS $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$APP_PID/status") MB"
# user and system CPU ticks of the app, from /proc
app_cpu() { awk '{print $14, $15}' "/proc/$APP_PID/stat"; }
read -r APP_USER APP_SYSTEM < <(app_cpu)
BENCH_TOKEN=$(curl -fsS -u "bench:$BENCH_SECRET" -d grant_type=client_credentials \
	"http://127.0.0.1:$PORT/oauth2/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export BENCH_TOKEN
"${CLIENT_PINNED[@]}" java -cp "$ROOT/infra/local/target/test-classes:$(cat "$TMP/classpath")" \
	dev.skyfold.local.benchmark.ChatFanoutBenchmark "http://127.0.0.1:$PORT" "$SUBSCRIBERS" "$RATE" "$SECONDS_" \
	"${WARMUP_SECONDS:-10}" "${CLIENT_THREADS:-1}"
read -r USER_NOW SYSTEM_NOW < <(app_cpu)
TICKS=$(getconf CLK_TCK)
echo "app CPU   user $(( (USER_NOW - APP_USER) / TICKS )) s, system $(( (SYSTEM_NOW - APP_SYSTEM) / TICKS )) s during the run"
echo "app RSS   peak $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$APP_PID/status") MB (VmHWM), now $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$APP_PID/status") MB, $(awk '/Threads/ {print $2}' "/proc/$APP_PID/status") threads"
echo "app OOMs  $(grep -c OutOfMemoryError "$TMP/app.log" || true)"
echo "load      $(cut -d' ' -f1-3 /proc/loadavg) after the run"
