#!/usr/bin/env bash
# Builds the local app's image exactly as `./mvnw package -Pcontainer-image -pl infra/local`
# does (the base image's script, then Jib's buildTar, as that profile declares them), from
# the classes the reactor has just built, for this module's integration test. Writes
# infra/local/target/jib-image.tar.
#
#   infra/kubernetes/build-image.sh offline=true|false LOCAL_REPOSITORY
#
# Whether it is offline and the local repository are the calling build's, so the inner build
# resolves as the outer one does.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ ! -f "$root/infra/local/target/classes/dev/skyfold/local/SkyfoldLocalApplication.class" ]]; then
	echo "The local app is not compiled: build it with ./mvnw verify -pl infra/kubernetes -am" >&2
	exit 1
fi
arguments=(--batch-mode --quiet "-Dmaven.repo.local=$2" -Pcontainer-image --projects infra/local
	org.codehaus.mojo:exec-maven-plugin:exec@base-image com.google.cloud.tools:jib-maven-plugin:buildTar)
if [[ "$1" == offline=true ]]; then
	arguments=(--offline "${arguments[@]}")
fi
cd "$root"
exec ./mvnw "${arguments[@]}"
