#!/usr/bin/env bash
# One bake against a local moto with an sshd container standing in for the instance;
# prints the number of AWS API calls (by action) and the EC2 orchestration time outside
# waits. Needs moto (.ci/setup-machine.sh), Docker and galley/debian-sshd:bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/moto.sh
java -Dgalley.repo="$PWD" -cp "$BENCH_CP" org.galley.bench.Ec2MotoBench "$MOTO_URL"
