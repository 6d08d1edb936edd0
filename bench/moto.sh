# Sourced by the EC2 benches: compiles the tests, starts the tests' moto (with galley's launcher,
# which answers the calls moto lacks) on a free loopback port as $MOTO_URL, stopped on exit.
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost AWS_EC2_METADATA_DISABLED=true
MOTO=${GALLEY_MOTO:-/opt/galley-moto/bin/moto_server}
mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$(dirname "$MOTO")/python3" src/test/resources/moto/galley_moto.py -H 127.0.0.1 -p "$PORT" >target/bench-moto.log 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/moto-api/" && break; sleep 0.1; done
MOTO_URL="http://127.0.0.1:$PORT"
BENCH_CP="target/classes:target/test-classes:$(cat target/bench.cp)"
