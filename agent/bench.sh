#!/usr/bin/env bash
# The agent's benchmarks, on the test classpath:
#   agent/bench.sh jmh [JMH arguments]          e.g. agent/bench.sh jmh RecorderBenchmark -prof gc
#   agent/bench.sh run <class> [arguments]      e.g. agent/bench.sh run RenderScale generate /tmp/big 10000000
# JVM options for "run" come from BENCH_JAVA_OPTS (e.g. BENCH_JAVA_OPTS=-Xmx1g).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
cp="target/test-classes:target/classes:$(cat target/bench.cp)"
what="${1:?usage: bench.sh jmh|run ...}"
shift
case "$what" in
  jmh) exec "${JAVA:-java}" -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  run) main="$1"; shift; exec "${JAVA:-java}" ${BENCH_JAVA_OPTS:-} -cp "$cp" "dev.netprof.bench.$main" "$@" ;;
  *) echo "usage: bench.sh jmh|run ..." >&2; exit 2 ;;
esac
