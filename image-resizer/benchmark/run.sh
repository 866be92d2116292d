#!/usr/bin/env bash
# Thumbnail speed and memory benchmark: the image-resizer's `thumbnail` function (through the
# test-scope harness ThumbnailBenchmark) against the Pillow reference
# (../shared/bench/pillow_thumbnails.py, img.thumbnail((200,200))) over the shared corpus, 1 and
# 2 cores, interleaved in one run; then the packaged local app under -Xmx256m fed the corpus
# over HTTP on 127.0.0.1. Prints seconds per corpus pass, images/s, peak heap and the ratios.
# Needs: git, java 17, the corpus (../shared/bench/make-corpus.sh), /usr/bin/python3 with
# python3-pil, curl; the sibling modules installed in ~/.m2; for the last phase the local app jar
# (./mvnw -q package -DskipTests). Usage: run.sh [CORPUS] [PASSES]  (or CORPUS=... PASSES=...).
# Never fails on a timing; exits non-zero when a prerequisite is missing or the app phase
# does not resize every image.
set -euo pipefail

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$SELF_DIR" rev-parse --show-toplevel)
CORPUS=${1:-${CORPUS:-/tmp/imgcorpus}}
PASSES=${2:-${PASSES:-3}}
# PHASES=app runs only the second phase, the local app (its jar must be built).
PHASES=${PHASES:-all}
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
PY=/usr/bin/python3
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
# A second JDK measured in the same run, like Lambda's Corretto: one that bundles its own
# image libraries (Temurin, found under /usr/lib/jvm unless set; JAVA2=none skips it).
if [[ -z ${JAVA2:-} ]]; then
	JAVA2=$(ls -d /usr/lib/jvm/temurin-*/bin/java 2>/dev/null | sort -V | tail -1 || true)
fi
[[ ${JAVA2:-} == none ]] && JAVA2=""
# JDK 24 and later warn when a class path (not a jar manifest) loads native code.
JAVA2_OPTS=${JAVA2_OPTS:---enable-native-access=ALL-UNNAMED}
MAIN=dev.skyfold.imageresizer.benchmark.ThumbnailBenchmark
CORE=$ROOT/image-resizer/image-resizer-core

die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
[[ $PASSES =~ ^[1-9][0-9]*$ ]] || die "PASSES must be a positive integer, got '$PASSES'"
if [[ ! -d $CORPUS ]]; then
	die "no corpus at $CORPUS; build it first: $(realpath -m "$BENCH_DIR/make-corpus.sh") (CORPUS=$CORPUS)"
fi
mapfile -t FILES < <(find "$CORPUS" -maxdepth 1 -type f ! -name 'MANIFEST*' | LC_ALL=C sort)
((${#FILES[@]} > 0)) || die "corpus $CORPUS holds no images; rebuild it with $(realpath -m "$BENCH_DIR/make-corpus.sh")"
PILLOW=$BENCH_DIR/pillow_thumbnails.py
[[ -f $PILLOW ]] || die "Pillow peer not found at $PILLOW (set BENCH_DIR)"
[[ -x $PY ]] || die "$PY not found: apt-get install -y python3 python3-pil"
"$PY" -c 'import PIL.Image' 2>/dev/null || die "Pillow is not importable by $PY: apt-get install -y python3-pil"
command -v "$JAVA" >/dev/null || die "java not found on PATH (set JAVA)"
TIME_BIN=""
[[ -x /usr/bin/time ]] && TIME_BIN=/usr/bin/time

# ---------------------------------------------------------------- temp dir, cleanup
TMP=$(mktemp -d /tmp/skyfold-bench.XXXXXX)
APP_PID=""
kill_tree() { # PID: that process and its descendants, by id
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
	kill "$1" 2>/dev/null || true
}
cleanup() {
	local rc=$? job
	set +e
	trap - INT TERM
	for job in $(jobs -p); do [[ $job == "$APP_PID" ]] || kill_tree "$job"; done # poller, Pillow pairs
	if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
		kill "$APP_PID"
		for _ in $(seq 1 40); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.25; done
		kill -9 "$APP_PID" 2>/dev/null
	fi
	[[ -z ${CGROUP:-} ]] || { wait "$APP_PID" 2>/dev/null; rmdir "$CGROUP" 2>/dev/null; }
	wait 2>/dev/null
	if [[ ${KEEP:-0} == 1 ]]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$TMP/out" "$TMP/logs" "$TMP/work"
RESULTS=$TMP/results.tsv # key round kind seconds ok fail heap_mb rss_kb
: >"$RESULTS"

# ---------------------------------------------------------------- build (this module only)
if [[ $PHASES == all ]]; then
# Only this module is built; the others come from ~/.m2. By default Maven only resolves the
# classpath and javac compiles the module's main sources plus the harness into the temp dir, so
# nothing is written to target/ that others' builds use (and a concurrent `clean` cannot pull
# classes from under the running harness). BUILD=maven uses test-compile in target/ instead.
echo "== build: image-resizer-core + harness (${BUILD:-javac}), test classpath from ~/.m2"
mvn_core() { (cd "$ROOT" && ./mvnw -q ${MVN_ARGS:-} -Dspring-javaformat.validate.skip=true \
	-pl image-resizer/image-resizer-core "$@" dependency:build-classpath \
	-Dmdep.outputFile="$TMP/classpath.txt" -Dmdep.includeScope=test >"$TMP/logs/build.log" 2>&1) ||
	{ cat "$TMP/logs/build.log" >&2; die "build failed; the sibling modules must be in ~/.m2 (./mvnw -q install -DskipTests once)"; }; }
mkdir -p "$TMP/classes" "$TMP/test-classes"
if [[ ${BUILD:-javac} == maven ]]; then
	mvn_core test-compile
	cp -R "$CORE/target/classes/." "$TMP/classes/" && cp -R "$CORE/target/test-classes/." "$TMP/test-classes/"
else
	mvn_core
	mapfile -t SOURCES < <(find "$CORE/src/main/java" -name '*.java')
	javac -nowarn -proc:none --release 17 -encoding UTF-8 -d "$TMP/classes" -cp "$(cat "$TMP/classpath.txt")" \
		"${SOURCES[@]}" >"$TMP/logs/javac.log" 2>&1 || { cat "$TMP/logs/javac.log" >&2; die "main sources do not compile"; }
	cp -R "$CORE/src/main/resources/." "$TMP/classes/"
	javac -nowarn -proc:none --release 17 -encoding UTF-8 -d "$TMP/test-classes" -cp "$TMP/classes:$(cat "$TMP/classpath.txt")" \
		"$CORE/src/test/java/${MAIN//.//}.java" >>"$TMP/logs/javac.log" 2>&1 || { cat "$TMP/logs/javac.log" >&2; die "the harness does not compile"; }
fi
[[ -f "$TMP/test-classes/${MAIN//.//}.class" ]] || die "no ${MAIN##*.}.class after the build (a concurrent clean of $CORE/target?); run again"
CP=$TMP/classes:$TMP/test-classes:$(cat "$TMP/classpath.txt")

fi
# ---------------------------------------------------------------- machine
echo
echo "== machine"
echo "date      $(date -Is)"
echo "cpus      $(nproc) x $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "java      $("$JAVA" -version 2>&1 | head -1)${JAVA_OPTS:+ (JAVA_OPTS=$JAVA_OPTS)}"
[[ -z $JAVA2 ]] || echo "java2     $JAVA2: $("$JAVA2" -version 2>&1 | head -1) (JAVA2_OPTS=$JAVA2_OPTS)"
echo "pillow    $("$PY" -c 'import PIL; print(PIL.__version__)') ($("$PY" -V 2>&1))"
echo "corpus    $CORPUS: ${#FILES[@]} images, $(du -ch "${FILES[@]}" | tail -1 | cut -f1)"
# Noise check: CPU time used by other processes (and stolen by the hypervisor), from /proc/stat
# minus what this script and its children used (bash's `times`, run in this shell).
HZ=$(getconf CLK_TCK)
cpu_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat; } # busy, steal
own_cpu_s() { # sets OWN_CPU_S; `times` must run in this shell, not in a $(...) subshell
	times >"$TMP/times"
	OWN_CPU_S=$(awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] } } END { printf "%.2f", s }' "$TMP/times")
}
mark() { read -r MARK_BUSY MARK_STEAL < <(cpu_jiffies); own_cpu_s; MARK_OWN=$OWN_CPU_S; MARK_T=$(date +%s.%N); }
others_since_mark() { # WHAT: prints the share of the CPUs that other work took since `mark`
	local busy steal own now
	read -r busy steal < <(cpu_jiffies); own_cpu_s; own=$OWN_CPU_S; now=$(date +%s.%N)
	awk -v b=$((busy - MARK_BUSY)) -v st=$((steal - MARK_STEAL)) -v hz="$HZ" -v own="$own" -v own0="$MARK_OWN" \
		-v t="$now" -v t0="$MARK_T" -v n="$(nproc)" -v what="$1" 'BEGIN {
			other = b / hz - (own - own0); if (other < 0) other = 0; cap = (t - t0) * n
			printf "other work %s: %.1f CPU-s of %.0f (%.0f%%), hypervisor steal %.1f s\n", what, other, cap, 100 * other / cap, st / hz
			if ((other + st / hz) / cap > 0.05) print "WARNING: more than 5% of the machine went to other work; the figures are skewed (the 2-CPU rows most)" }'
}
mark; sleep 2
others_since_mark "in the 2 s before the run"

# Two halves of the file list for the two Pillow processes, balanced by bytes (largest first,
# each file to the lighter half).
mapfile -t SPLIT < <("$PY" - "${FILES[@]}" <<'PY'
import os, sys
halves = [[], []]; load = [0, 0]
for f in sorted(sys.argv[1:], key=os.path.getsize, reverse=True):
    i = 0 if load[0] <= load[1] else 1
    halves[i].append(f); load[i] += os.path.getsize(f)
for h in halves: print("\t".join(h))
for l in load: print(l)
PY
)
IFS=$'\t' read -r -a HALF_A <<<"${SPLIT[0]}"
IFS=$'\t' read -r -a HALF_B <<<"${SPLIT[1]}"
echo "pillow x2 halves: ${#HALF_A[@]} files / $((SPLIT[2] / 1048576)) MB and ${#HALF_B[@]} files / $((SPLIT[3] / 1048576)) MB"

# ---------------------------------------------------------------- runners
# Each configuration runs, per round, one warm-up pass (the JIT's, for Java) then one timed pass.
STEP_TIMEOUT=${STEP_TIMEOUT:-600}
timed() { # LOG CMD... : runs CMD (at most STEP_TIMEOUT s) with stdout to LOG, max RSS (KB) in LOG.rss
	local log=$1; shift
	# In the background + wait, so that a signal to this script is handled at once.
	if [[ -n $TIME_BIN ]]; then "$TIME_BIN" -f %M -o "$log.rss" timeout -k 10 "$STEP_TIMEOUT" "$@" >"$log" 2>"$log.err" & wait $!
	else echo - >"$log.rss"; timeout -k 10 "$STEP_TIMEOUT" "$@" >"$log" 2>"$log.err" & wait $!; fi
}
pass_field() { awk -v p="$2" -v f="$3" '$1=="PASS" && $2==p { for (i=1;i<NF;i++) if ($i==f) print $(i+1) }' "$1"; }
check_passes() { # LOG N
	local n
	n=$(grep -c '^PASS ' "$1" || true)
	((n == $2)) || { echo "expected $2 PASS lines in $1, got $n:" >&2; tail -n 20 "$1" "$1.err" >&2; exit 1; }
}

declare -A DECODER
run_java() { # KEY ROUND THREADS [imageio]  (keys starting with "alt" run on JAVA2)
	local key=$1 round=$2 threads=$3 log="$TMP/logs/$1.r$2" jvm=$JAVA opts=$JAVA_OPTS
	if [[ $key == alt* ]]; then jvm=$JAVA2 opts=$JAVA2_OPTS; fi
	timed "$log" "$jvm" $opts -cp "$CP" "$MAIN" "$CORPUS" "$TMP/out/$key" 2 "$threads" ${4:-} ||
		{ echo "harness failed ($key):" >&2; tail -n 20 "$log" "$log.err" >&2; exit 1; }
	check_passes "$log" 2
	DECODER[$key]=$(awk '$1=="JAVA" { for (i=1;i<NF;i++) if ($i=="decoder") print $(i+1) }' "$log")
	grep -h '^FAIL ' "$log" "$log.err" | sed "s/^/  $key: /" || true
	local p
	for p in 1 2; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$round" "$([[ $p == 1 ]] && echo warm || echo timed)" \
			"$(pass_field "$log" $p TIME_S)" "$(pass_field "$log" $p OK)" "$(pass_field "$log" $p FAIL)" \
			"$(pass_field "$log" $p PEAK_HEAP_MB)" "$(cat "$log.rss")" >>"$RESULTS"
	done
}
run_pil1() { # ROUND
	local round=$1 log="$TMP/logs/pil1.r$1"
	(cd "$TMP/work" && timed "$log" "$PY" "$PILLOW" "$TMP/out/pil1" 2 "${FILES[@]}") ||
		{ echo "pillow failed:" >&2; tail -n 20 "$log" "$log.err" >&2; exit 1; }
	check_passes "$log" 2
	grep -h '^FAIL ' "$log.err" | sed 's/^/  pil1: /' || true
	local p
	for p in 1 2; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t%s\n' pil1 "$round" "$([[ $p == 1 ]] && echo warm || echo timed)" \
			"$(pass_field "$log" $p TIME_S)" "$(pass_field "$log" $p OK)" "$(pass_field "$log" $p FAIL)" \
			"$(cat "$log.rss")" >>"$RESULTS"
	done
}
run_pil2() { # ROUND : two processes started together, one half each; warm-up pair, then timed pair
	local round=$1 kind a b t0 t1 pa pb ta tb
	for kind in warm timed; do
		a="$TMP/logs/pil2a.r$round.$kind" b="$TMP/logs/pil2b.r$round.$kind"
		t0=$(date +%s.%N)
		(cd "$TMP/work" && timed "$a" "$PY" "$PILLOW" "$TMP/out/pil2" 1 "${HALF_A[@]}") & pa=$!
		(cd "$TMP/work" && timed "$b" "$PY" "$PILLOW" "$TMP/out/pil2" 1 "${HALF_B[@]}") & pb=$!
		wait "$pa" || { echo "pillow (half A) failed:" >&2; tail -n 20 "$a" "$a.err" >&2; exit 1; }
		wait "$pb" || { echo "pillow (half B) failed:" >&2; tail -n 20 "$b" "$b.err" >&2; exit 1; }
		t1=$(date +%s.%N)
		check_passes "$a" 1; check_passes "$b" 1
		if [[ $kind == warm && $round == 1 ]]; then grep -h '^FAIL ' "$a.err" "$b.err" | sed 's/^/  pil2: /' || true; fi
		ta=$(pass_field "$a" 1 TIME_S) tb=$(pass_field "$b" 1 TIME_S)
		# Timed like the harness (from first file to last file, interpreter start excluded): the
		# pair's time is the slower half; the wall time including interpreter start is logged.
		printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t%s\n' pil2 "$round" "$kind" "$(awk -v a="$ta" -v b="$tb" 'BEGIN { print (a > b ? a : b) }')" \
			"$(($(pass_field "$a" 1 OK) + $(pass_field "$b" 1 OK)))" "$(($(pass_field "$a" 1 FAIL) + $(pass_field "$b" 1 FAIL)))" \
			"$(paste -d+ "$a.rss" "$b.rss" | sed 's/^-+-$/-/')" >>"$RESULTS"
		printf '%s\t%s\t%s\t%s\n' "$round" "$kind" "$ta" "$tb" >>"$TMP/pil2-halves.tsv"
		if [[ $kind == timed ]]; then
			PIL2_DETAIL=$(awk -v a="$ta" -v b="$tb" -v t0="$t0" -v t1="$t1" \
				'BEGIN { printf "halves %.2fs + %.2fs; wall incl. interpreter start %.2fs", a, b, t1 - t0 }')
		fi
	done
}
last_timed() { awk -F'\t' -v k="$1" -v r="$2" '$1==k && $2==r && $3=="timed" { printf "%.2fs (OK %s FAIL %s)", $4, $5, $6 }' "$RESULTS"; }
last_warm() { awk -F'\t' -v k="$1" -v r="$2" '$1==k && $2==r && $3=="warm" { printf "%.2fs", $4 }' "$RESULTS"; }

if [[ $PHASES == all ]]; then
# ---------------------------------------------------------------- phase 1: interleaved rounds
CONFIGS=(java1 pil1 java2 pil2 javaio)
[[ -z $JAVA2 ]] || CONFIGS+=(alt1 altio)
mark
echo
echo "== phase 1: thumbnails of the corpus, $PASSES round(s); each configuration per round: a fresh process,"
echo "   one warm-up pass, one timed pass; the order rotates every round"
for ((r = 1; r <= PASSES; r++)); do
	for ((k = 0; k < ${#CONFIGS[@]}; k++)); do
		key=${CONFIGS[$(((k + r - 1) % ${#CONFIGS[@]}))]}
		PIL2_DETAIL=""
		case $key in
		java1) run_java java1 "$r" 1 ;;
		javaio) run_java javaio "$r" 1 imageio ;;
		alt1) run_java alt1 "$r" 1 ;;
		altio) run_java altio "$r" 1 imageio ;;
		java2) run_java java2 "$r" 2 ;;
		pil1) run_pil1 "$r" ;;
		pil2) run_pil2 "$r" ;;
		esac
		printf '  round %d  %-7s warm-up %-7s timed %s%s\n' "$r" "$key" "$(last_warm "$key" "$r")" \
			"$(last_timed "$key" "$r")" "${PIL2_DETAIL:+  [$PIL2_DETAIL]}"
	done
done
for key in java1 java2 ${JAVA2:+alt1}; do
	[[ ${DECODER[$key]} == native ]] ||
		echo "WARNING: $key decoded with ${DECODER[$key]}, not the bundled native decoder (see the app log for why)"
done

# ---------------------------------------------------------------- summary
echo
echo "== summary: median of the $PASSES timed pass(es) per configuration"
others_since_mark "during phase 1"
"$PY" - "$RESULTS" "${#FILES[@]}" "${DECODER[java1]}" "${DECODER[java2]}" "$TMP/pil2-halves.tsv" \
	"$("$JAVA" -XshowSettings:properties -version 2>&1 | awk '$1=="java.version" { print $3 }')" \
	"${JAVA2:+$("$JAVA2" -XshowSettings:properties -version 2>&1 | awk '$1=="java.version" { print $3 }')}" \
	"${DECODER[alt1]:-}" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
images = int(sys.argv[2])
jdk, jdk2 = f"JDK {sys.argv[6]}", f"JDK {sys.argv[7]}"
labels = {
    "java1": f"Java 1 thread ({sys.argv[3]}, {jdk})",
    "javaio": f"Java 1 thread (ImageIO only, {jdk})",
    "java2": f"Java 2 threads ({sys.argv[4]}, {jdk})",
    "pil1": "Pillow 1 process",
    "pil2": "Pillow 2 processes",
}
if sys.argv[7]:
    labels["alt1"] = f"Java 1 thread ({sys.argv[8]}, {jdk2})"
    labels["altio"] = f"Java 1 thread (ImageIO only, {jdk2})"
def num(s):
    try: return float(s)
    except ValueError: return None
stats = {}
for key in labels:
    timed = [r for r in rows if r[0] == key and r[2] == "timed"]
    warm = [r for r in rows if r[0] == key and r[2] == "warm"]
    t = [float(r[3]) for r in timed]
    heap_t = [h for h in (num(r[6]) for r in timed) if h is not None]
    heap_w = [h for h in (num(r[6]) for r in warm) if h is not None]
    rss = [sum(int(x) for x in r[7].split("+")) for r in timed + warm if r[7] != "-"]
    stats[key] = dict(
        median=statistics.median(t), lo=min(t), hi=max(t),
        warm=statistics.median(float(r[3]) for r in warm),
        heap=f"{max(heap_t):.0f} / {max(heap_w):.0f}" if heap_t else "-",
        rss=f"{max(rss) / 1024:.0f}" if rss else "-",
        fail=sum(int(r[5]) for r in timed + warm), ok=min(int(r[4]) for r in timed))
hdr = f"{'configuration':<46} {'s/pass':>7} {'min..max':>12} {'images/s':>9} {'warm-up s':>9} {'peak heap MB':>13} {'max RSS MB':>10} {'fails':>5}"
print(hdr); print("-" * len(hdr))
for key, label in labels.items():
    s = stats[key]
    print(f"{label:<46} {s['median']:>7.2f} {s['lo']:>5.2f}..{s['hi']:<5.2f} {images / s['median']:>9.2f} "
          f"{s['warm']:>9.2f} {s['heap']:>13} {s['rss']:>10} {s['fail']:>5}")
print("peak heap MB = timed / warm-up pass (harness: sum of the heap pools' peaks); max RSS = whole process,")
print("warm-up included (Pillow x2: both processes added up)")
print()
print("throughput ratio = Pillow s/pass / Java s/pass (1.0 = as fast as Pillow, above = faster)")
def ratio(java, peer, label, target=None):
    v = stats[peer]["median"] / stats[java]["median"]
    verdict = "" if target is None else (f"target >= {target}: " + ("met" if v >= target else "NOT met"))
    print(f"  {label:<52} {v:5.2f}   {verdict}")
ratio("java1", "pil1", f"Java 1 thread vs Pillow 1 process, {jdk}", 1.3)
ratio("javaio", "pil1", f"Java 1 thread ImageIO only vs Pillow 1 process, {jdk}")
if "alt1" in labels:
    ratio("alt1", "pil1", f"Java 1 thread vs Pillow 1 process, {jdk2}", 1.3)
    ratio("altio", "pil1", f"Java 1 thread ImageIO only vs Pillow 1 process, {jdk2}")
ratio("java2", "pil1", "Java 2 threads vs Pillow 1 process", 0.9)
ratio("java2", "pil2", "Java 2 threads vs Pillow 2 processes")
# The halves are balanced by bytes, not by decoding work, so one process usually idles at the end
# (the Java pool hands out images one at a time). Show what a perfect split would give.
halves = [l.split("\t") for l in open(sys.argv[5]) if l.strip()]
even = statistics.median((float(a) + float(b)) / 2 for _, kind, a, b in halves if kind == "timed")
print(f"  {'Java 2 threads vs Pillow 2 processes, perfect split':<52} {even / stats['java2']['median']:5.2f}   "
      f"(Pillow x2 if neither half idled: {even:.2f} s/pass)")
bad = [labels[k] for k, s in stats.items() if s["fail"] or s["ok"] != images]
if bad:
    print(f"WARNING: images failed in: {', '.join(bad)} (a failed image is not timed like a resized one)")
PY

fi
# ---------------------------------------------------------------- phase 2: local app under -Xmx256m
echo
# The app starts with the settings the README gives for small containers (APP_OPTS and
# APP_ENV change them; APP_ENV=MALLOC_ARENA_MAX= measures glibc's default of 8 arenas a CPU).
# APP_MEMORY_LIMIT (e.g. 512M) runs it in a memory cgroup of that size, as a container runtime
# would, with the README's container command (the JVM sizes its heap from the limit) unless
# APP_OPTS is set: the kernel kills it if it goes over (needs root and cgroup v1's or v2's
# memory controller).
APP_MEMORY_LIMIT=${APP_MEMORY_LIMIT:-}
if [[ -n $APP_MEMORY_LIMIT ]]; then
	APP_OPTS=${APP_OPTS:-}
else
	APP_OPTS=${APP_OPTS:--Xmx256m}
fi
APP_ENV=${APP_ENV:-MALLOC_ARENA_MAX=1}
echo "== phase 2: local app ($APP_ENV java $APP_OPTS${APP_MEMORY_LIMIT:+ in a $APP_MEMORY_LIMIT memory cgroup});" \
	"${#FILES[@]} uploads, 2 at a time, twice (cold JVM, then warm)"
CGROUP=""
if [[ -n $APP_MEMORY_LIMIT ]]; then
	limit=$(numfmt --from=iec "$APP_MEMORY_LIMIT") || die "APP_MEMORY_LIMIT must be a size such as 512M, not '$APP_MEMORY_LIMIT'"
	if [[ -w /sys/fs/cgroup/memory ]]; then
		CGROUP=/sys/fs/cgroup/memory/skyfold-bench-$$
		mkdir "$CGROUP" && echo "$limit" >"$CGROUP/memory.limit_in_bytes"
	elif [[ -w /sys/fs/cgroup/cgroup.subtree_control ]] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
		CGROUP=/sys/fs/cgroup/skyfold-bench-$$
		mkdir "$CGROUP" && echo "$limit" >"$CGROUP/memory.max"
	else
		die "APP_MEMORY_LIMIT needs root and a cgroup memory controller (v1 at /sys/fs/cgroup/memory, or v2)"
	fi
fi
cgroup_kills() { [[ -n $CGROUP ]] || return 0
	{ cat "$CGROUP/memory.oom_control" "$CGROUP/memory.events" 2>/dev/null || true; } | awk '$1 == "oom_kill" { print $2 }'; }
cgroup_peak_mb() { [[ -n $CGROUP ]] || return 0
	{ cat "$CGROUP/memory.max_usage_in_bytes" "$CGROUP/memory.peak" 2>/dev/null || true; } | awk '{ printf "%.0f", $1 / 1048576; exit }'; }
JAR=$(find "$ROOT/infra/local/target" -maxdepth 1 -name 'skyfold-local-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' \
	-printf '%T@ %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2- || true)
if [[ -z $JAR ]]; then
	echo "SKIPPED: no infra/local/target/skyfold-local-*.jar; build it with: (cd $ROOT && ./mvnw -q package -DskipTests)"
	exit 0
fi
command -v curl >/dev/null || { echo "SKIPPED: curl not found (apt-get install -y curl)"; exit 0; }
APP=$TMP/app
mkdir -p "$APP/data"
cp "$JAR" "$APP/app.jar" # a copy: a concurrent rebuild must not swap the jar under the running JVM
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
echo "jar       $JAR ($(date -r "$JAR" '+%F %T'))"
# A client of the app's embedded issuer for this run, with rate limits off: the benchmark
# measures the resizer, not the limiter.
BENCH_SECRET=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
(cd "$APP" && { [[ -z $CGROUP ]] || echo "$BASHPID" >"$CGROUP/cgroup.procs"; } &&
	exec env $APP_ENV "$JAVA" $APP_OPTS -jar app.jar --server.port="$PORT" --server.address=127.0.0.1 \
	--skyfold.local.data="$APP/data" --skyfold.security.rate-limits.enabled=false \
	--skyfold.security.clients.bench.secret="{noop}$BENCH_SECRET" --skyfold.security.clients.bench.roles=admin \
	>"$APP/app.log" 2>&1) &
APP_PID=$!
up=0 t0=$(date +%s.%N) start=$SECONDS
while ((SECONDS - start < 60)); do
	kill -0 "$APP_PID" 2>/dev/null || break
	if curl -fsS --max-time 2 "$BASE/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; then up=1; break; fi
	sleep 0.5
done
if ((up == 0)); then
	echo "FAILED: the app did not report UP on $BASE within 60 s (pid $APP_PID); log tail:"
	tail -n 30 "$APP/app.log"
	exit 1
fi
TOKEN=$(curl -fsS -u "bench:$BENCH_SECRET" -d grant_type=client_credentials "$BASE/oauth2/token" |
	"$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
AUTH="Authorization: Bearer $TOKEN"
echo "started   pid $APP_PID on $BASE, UP after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

heap_now() { curl -fsS --max-time 2 -H "$AUTH" "$BASE/actuator/metrics/jvm.memory.used?tag=area:heap" 2>/dev/null |
	"$PY" -c 'import json,sys; print(json.load(sys.stdin)["measurements"][0]["value"])' 2>/dev/null || true; }
heap_before=$(heap_now)
# Heap poller: raw replies only (parsed afterwards, to keep its CPU use low); stops on a flag, at most 10 min.
(start=$SECONDS
while ((SECONDS - start < 600)); do
	[[ -f $APP/stop-poll ]] && break
	curl -fsS --max-time 2 -H "$AUTH" "$BASE/actuator/metrics/jvm.memory.used?tag=area:heap" 2>/dev/null && echo
	sleep 0.25
done >"$APP/heap.jsonl") &
POLL_PID=$!

# One curl process uploads the whole corpus, 2 transfers at a time (no process start per file).
# Round "cold" is the app's first contact with images (JIT cold); round "warm" repeats it.
upload_round() { # NAME
	mkdir -p "$APP/$1"
	"$PY" - "$BASE" "$APP/$1" "${FILES[@]}" >"$APP/$1.curlrc" <<'PY'
import os, sys, urllib.parse
base, out = sys.argv[1], sys.argv[2]
q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
for f in sys.argv[3:]:
    name = os.path.basename(f)
    print(f"url = {q(base + '/objects/uploads/' + urllib.parse.quote(name))}")
    print(f"upload-file = {q(f)}")
    print(f"output = {q(os.path.join(out, name + '.json'))}")
PY
	local t0 t1
	t0=$(date +%s.%N)
	curl -sS --parallel --parallel-max 2 --max-time 120 -H 'Expect:' -H "$AUTH" -K "$APP/$1.curlrc" \
		-w '%{url_effective} %{http_code} %{time_total}\n' >"$APP/$1/_status" 2>"$APP/$1/_curl.err" &
	wait $! || true
	t1=$(date +%s.%N)
	echo "$t0 $t1" >"$APP/$1/_wall"
}
upload_round cold
upload_round warm
touch "$APP/stop-poll"
wait "$POLL_PID" || true
heap_after=$(heap_now)
health=$(curl -sS --max-time 5 "$BASE/actuator/health" 2>/dev/null || echo unreachable)
alive=no
kill -0 "$APP_PID" 2>/dev/null && alive=yes
hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status" 2>/dev/null || echo -)
oom=$(grep -c 'OutOfMemoryError' "$APP/app.log" || true)
cg_peak=$(cgroup_peak_mb) cg_kills=$(cgroup_kills)
kill "$APP_PID" 2>/dev/null || true
for _ in $(seq 1 80); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.25; done # at most 20 s
if kill -0 "$APP_PID" 2>/dev/null; then echo "app ignored SIGTERM for 20 s; killing it"; kill -9 "$APP_PID"; fi
wait "$APP_PID" 2>/dev/null || true
APP_PID=""

"$PY" - "$APP" "${#FILES[@]}" "${heap_before:-}" "${heap_after:-}" "$health" "$alive" "$oom" "$hwm" \
	"${APP_MEMORY_LIMIT:-}" "${cg_peak:-}" "${cg_kills:-}" <<'PY'
import json, os, statistics, sys, urllib.parse
app, images, before, after, health, alive, oom, hwm, limit, cg_peak, cg_kills = sys.argv[1:]
images = int(images)
all_resized = True
for rnd in ("cold", "warm"):
    d = os.path.join(app, rnd)
    t0, t1 = (float(x) for x in open(os.path.join(d, "_wall")).read().split())
    wall = t1 - t0
    counts = {"RESIZED": 0, "SKIPPED": 0, "failed": 0}; notes = []; millis = []; latency = []; seen = set()
    for line in open(os.path.join(d, "_status")):
        parts = line.split()
        if len(parts) != 3:
            continue
        url, code, secs = parts
        name = urllib.parse.unquote(url.rsplit("/", 1)[-1]); seen.add(name)
        latency.append(float(secs))
        outcome, why = "failed", f"HTTP {code}"
        try:
            reply = json.load(open(os.path.join(d, name + ".json")))
            note = reply.get("notification") or {}
            result, problem = note.get("result"), note.get("problem")
            if code == "201" and result:
                outcome, why = result["outcome"], result.get("reason") or ""
                millis.append(result["millis"])
            elif problem:
                why = f"HTTP {code} {problem.get('title')}: {problem.get('detail')}"
        except (OSError, ValueError, AttributeError, KeyError) as e:
            why += f", unreadable reply ({type(e).__name__})"
        counts[outcome] += 1
        if outcome != "RESIZED":
            notes.append(f"    {name}: {outcome} {why}")
    counts["failed"] += images - len(seen)
    if images - len(seen):
        notes.append(f"    {images - len(seen)} upload(s) without an answer; curl said: "
                     + open(os.path.join(d, "_curl.err")).read().strip()[:300])
    all_resized &= counts["RESIZED"] == images
    print(f"{rnd:<5} uploads  RESIZED {counts['RESIZED']}  SKIPPED {counts['SKIPPED']}  failed {counts['failed']}  (of {images})")
    if notes:
        print("\n".join(notes))
    print(f"      time     {wall:.2f} s wall, {images / wall:.2f} images/s"
          + (f"; request median {statistics.median(latency):.2f} s, max {max(latency):.2f} s" if latency else "")
          + (f"; resizeImage median {statistics.median(millis):.0f} ms, max {max(millis):.0f} ms" if millis else ""))
heaps = []
for line in open(os.path.join(app, "heap.jsonl")):
    try:
        heaps.append(json.loads(line)["measurements"][0]["value"])
    except (ValueError, KeyError, IndexError):
        pass
heaps += [float(v) for v in (before, after) if v]
print(f"heap      max seen {max(heaps) / 1048576:.0f} MB of 256 MB ({len(heaps)} samples of jvm.memory.used area:heap, every 0.25 s)"
      if heaps else "heap      no sample could be read")
print(f"process   peak RSS {hwm} MB; alive after the run: {alive}; OutOfMemoryError in its log: {oom}")
if limit:
    print(f"cgroup    limit {limit}; peak usage {cg_peak or '-'} MB (page cache included); killed for memory: {cg_kills or '0'} time(s)")
print(f"health    {health}")
ok = all_resized and alive == "yes" and oom == "0" and '"status":"UP"' in health
print("RESULT    " + ("PASS: every image RESIZED (both rounds), app UP and alive, no OutOfMemoryError" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
