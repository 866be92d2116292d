#!/usr/bin/env bash
# Builds the local app's base image offline, with no container engine: a jlink runtime of
# the JDK with the modules the app uses, the glibc and other shared libraries it loads, the
# CA certificates, a non-root user and the data folder, written as a docker-archive tar that
# Jib reads as tar://<file> (and `podman load` or `docker load` can read too).
#
#   infra/kubernetes/base-image/build.sh [OUTPUT_TAR]
#
# OUTPUT_TAR defaults to infra/kubernetes/target/base-image/skyfold-base.tar. JAVA_HOME (or the
# java on the PATH) must be a JDK 17 or newer with its jmods (Debian: openjdk-17-jdk-headless);
# the runtime gets that JDK's feature version. Nothing is downloaded. Takes 10 to 30 s.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
output="${1:-$here/../target/base-image/skyfold-base.tar}"
mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"

# The user the app runs as: no login, no shell, home in the temporary folder.
app_uid=10001
app_gid=10001
java_dir=/opt/java

if [[ -z "${JAVA_HOME:-}" ]]; then
	JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
if [[ ! -x "$JAVA_HOME/bin/jlink" || ! -d "$JAVA_HOME/jmods" ]]; then
	echo "JAVA_HOME=$JAVA_HOME has no jlink or no jmods: install a full JDK (apt-get install openjdk-17-jdk-headless)" >&2
	exit 1
fi

# What the app and its libraries use, by jdeps over the packaged app (its classes and
# BOOT-INF/lib, recursively), plus what jdeps cannot see: crypto providers and DNS lookups
# that are loaded by name, extra charsets, and the JMX and container metrics Micrometer reads.
modules=(
	java.base java.compiler java.desktop java.instrument java.logging java.management java.naming
	java.net.http java.prefs java.scripting java.security.jgss java.security.sasl java.sql java.sql.rowset
	java.transaction.xa java.xml jdk.charsets jdk.crypto.ec jdk.jfr jdk.management jdk.naming.dns jdk.net
	jdk.unsupported jdk.zipfs
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"

"$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods" --add-modules "$(
	IFS=,
	echo "${modules[*]}"
)" \
	--strip-debug --no-man-pages --no-header-files --compress=2 --output "$root$java_dir"

# Debian's JDK links its trust store and security policy files to /etc: put the files there.
for file in "$root$java_dir"/lib/security/*; do
	if [[ -L "$file" ]]; then
		target="$(readlink -f "$file")"
		rm "$file"
		cp "$target" "$file"
	fi
done
if [[ ! -s "$root$java_dir/lib/security/cacerts" ]]; then
	echo "No CA certificates in the runtime: install ca-certificates-java" >&2
	exit 1
fi

# The app runs headless: no X11 toolkit, sound or splash screen (they would pull in X11).
rm -f "$root$java_dir"/lib/{libawt_xawt,libjsound,libsplashscreen}.so

# The shared libraries the runtime loads (glibc, zlib, and Debian's system libjpeg, libpng,
# lcms2 and freetype behind java.desktop) and those the bundled leptonica natives need
# (libstdc++, libgcc_s), each with the libraries they need in turn, and the dynamic loader.
libraries=("$root$java_dir/bin/java")
while IFS= read -r -d '' library; do
	libraries+=("$library")
done < <(find "$root$java_dir" -name '*.so' -print0)
libraries+=(/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1)
{
	for library in "${libraries[@]}"; do
		LD_LIBRARY_PATH="$root$java_dir/lib:$root$java_dir/lib/server" ldd "$library" 2>/dev/null || true
	done
} | awk '/=> \// { print $3 } $1 ~ /^\// { print $1 }' | sort -u >"$work/needed"
for library in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 \
	/lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
	/lib/x86_64-linux-gnu/libresolv.so.2; do
	[[ -e "$library" ]] && echo "$library" >>"$work/needed"
done
sort -u "$work/needed" | while read -r library; do
	case "$library" in "$root"*) continue ;; esac
	real="$(readlink -f "$library")"
	mkdir -p "$root$(dirname "$library")"
	cp "$real" "$root$library"
done
# Debian's merged /usr: /lib and /lib64 are links into /usr, as the loader's path expects.
if [[ -L /lib ]]; then
	for dir in lib lib64; do
		if [[ -d "$root/$dir" ]]; then
			mkdir -p "$root/usr/$dir"
			cp -a "$root/$dir/." "$root/usr/$dir/"
			rm -rf "${root:?}/$dir"
		fi
		ln -s "usr/$dir" "$root/$dir"
	done
fi

# Users, name lookups, time zone, certificates for tools that read /etc/ssl.
mkdir -p "$root/etc" "$root/tmp" "$root/data" "$root/home/skyfold"
cat >"$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
skyfold:x:$app_uid:$app_gid:Skyfold:/home/skyfold:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<GROUP
root:x:0:
skyfold:x:$app_gid:
nogroup:x:65534:
GROUP
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
cp /usr/share/zoneinfo/UTC "$root/etc/localtime" 2>/dev/null || true
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
	mkdir -p "$root/etc/ssl/certs"
	cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi

# One layer: everything owned by root, but the data folder, the home folder and /tmp,
# which the app writes. Fixed times and order, so the same inputs give the same bytes.
layer="$work/layer.tar"
tar_options=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
chmod 1777 "$root/tmp"
chmod 0755 "$root/data" "$root/home/skyfold"
tar -C "$root" "${tar_options[@]}" --owner=0 --group=0 --exclude=./data --exclude=./home/skyfold -cf "$layer" .
tar -C "$root" "${tar_options[@]}" --owner="$app_uid" --group="$app_gid" -rf "$layer" ./data ./home/skyfold
layer_digest="$(sha256sum "$layer" | cut -d' ' -f1)"

java_version="$("$root$java_dir/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ { print $2 }')"
config="$work/config.json"
cat >"$config" <<CONFIG
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
"config":{"User":"$app_uid:$app_gid","WorkingDir":"/home/skyfold",
"Env":["PATH=$java_dir/bin:/usr/bin:/bin","JAVA_HOME=$java_dir","LANG=C.UTF-8","HOME=/home/skyfold"],
"Labels":{"org.opencontainers.image.title":"skyfold-base","org.opencontainers.image.description":"jlink Java runtime $java_version and the libraries it loads"}},
"rootfs":{"type":"layers","diff_ids":["sha256:$layer_digest"]},
"history":[{"created":"1970-01-01T00:00:00Z","created_by":"infra/kubernetes/base-image/build.sh"}]}
CONFIG
config_digest="$(sha256sum "$config" | cut -d' ' -f1)"

archive="$work/archive"
mkdir -p "$archive/$layer_digest"
mv "$layer" "$archive/$layer_digest/layer.tar"
mv "$config" "$archive/$config_digest.json"
cat >"$archive/manifest.json" <<MANIFEST
[{"Config":"$config_digest.json","RepoTags":["skyfold-base:${java_version%%[.+]*}"],"Layers":["$layer_digest/layer.tar"]}]
MANIFEST
tar -C "$archive" "${tar_options[@]}" --owner=0 --group=0 -cf "$output" manifest.json "$config_digest.json" "$layer_digest"

echo "Built $output ($(du -m "$output" | cut -f1) MB, Java $java_version, sha256:$config_digest)"
