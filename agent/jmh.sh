#!/usr/bin/env bash
# Runs the agent's JMH benchmarks: agent/jmh.sh [JMH arguments], e.g. agent/jmh.sh RecorderBenchmark -prof gc
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
exec "${JAVA:-java}" -cp "target/test-classes:target/classes:$(cat target/bench.cp)" org.openjdk.jmh.Main "$@"
