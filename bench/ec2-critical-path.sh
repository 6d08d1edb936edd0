#!/usr/bin/env bash
# The EC2 critical path on a simulated cloud: moto (with galley's launcher, which answers the
# image calls moto lacks) behind a delay model of AWS's published durations scaled down 100x,
# the AL2023 stand-in behind an SSH gate. Interleaves galley's bake (first boot verified, one
# copy) with the same calls in Packer amazon-ebs's order and prints medians and their ratio.
# Usage: bench/ec2-critical-path.sh [SAMPLES=5] [SCALE=100]
# Needs moto (bin/setup), Docker and galley/debian-sshd:bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost AWS_EC2_METADATA_DISABLED=true
MOTO=${GALLEY_MOTO:-/opt/galley-moto/bin/moto_server}
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$(dirname "$MOTO")/python3" src/test/resources/moto/galley_moto.py -H 127.0.0.1 -p "$PORT" >target/bench-moto.log 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/moto-api/" && break; sleep 0.1; done
java -Dgalley.repo="$PWD" -cp "target/classes:target/test-classes:$(cat target/bench.cp)" \
  org.galley.bench.Ec2CriticalPathBench "http://127.0.0.1:$PORT" "${1:-5}" "${2:-100}"
