#!/usr/bin/env bash
# The loopback overhead benchmark: netprof against no agent and JFR's socket events, on JDK 17 and 25.
#   integration-tests/bench.sh [LoopbackBenchmark options]   e.g. --jdks 17 --workloads pingpong,tls --rounds 6
#   integration-tests/bench.sh run <class> [arguments]        another main of dev.netprof.bench, e.g. run AttachLatency --jdk 25
# Options (defaults): --jdks 17,25 --workloads pingpong,nio,bulk,http,tls (also: connect, a connection per request;
#   connect-deep, the same 200 frames down)
#   --configs none,netprof,netprof-syscalls,jfr-stacks,jfr-nostacks (also: netprof-socket, TCP events only;
#   netprof-baseline, the netprof.jar at $NETPROF_BASELINE_JAR, to measure a change against the build before it)
#   --rounds 6 --warmup 4 --seconds 3
#   --method runs (a fresh JVM per turn; slices: one JVM per config for --rounds-per-jvm 6 rounds, stopped between
#   its turns)
#   --out target/loopback-results.md (relative to integration-tests/)
# The full default run takes about 70 minutes (HTTP children warm up ~20 s each); run it on an otherwise idle machine.
# JAVA must be a JDK 17 (it is the "17" measured); JDK25_HOME defaults to /usr/lib/jvm/temurin-25-jdk-amd64.
set -euo pipefail
if [[ -n "${NETPROF_BASELINE_JAR:-}" ]]; then
  export NETPROF_BASELINE_JAR="$(realpath -m "$NETPROF_BASELINE_JAR")" # named from where bench.sh was called
fi
cd "$(dirname "$0")"
root="$(cd .. && pwd)"
jar="$root/attach-cli/target/netprof.jar"
if [[ ! -f "$jar" || ! -d target/test-classes ]]; then
  (cd "$root" && mvn -B -q -DskipTests install)
fi
(cd "$root" && mvn -B -q -pl integration-tests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp)
cp="target/test-classes:$(cat target/bench.cp)"
java_cmd=("${JAVA:-java}" -Dnetprof.jar="$jar" -Dnetprof.jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" -cp "$cp")
if [[ "${1:-}" == run ]]; then
  main="${2:?usage: bench.sh run <class> [arguments]}"
  shift 2
  exec "${java_cmd[@]}" "dev.netprof.bench.$main" "$@"
fi
exec "${java_cmd[@]}" dev.netprof.bench.LoopbackBenchmark "$@"
