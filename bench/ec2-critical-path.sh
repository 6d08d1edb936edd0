#!/usr/bin/env bash
# The EC2 critical path on a simulated cloud: moto (with galley's launcher, which answers the
# image calls moto lacks) behind a delay model of AWS's published durations scaled down 100x,
# the AL2023 stand-in behind an SSH gate. Interleaves galley's bake (first boot verified, one
# copy) with the same calls in Packer amazon-ebs's order and prints medians and their ratio.
# Usage: bench/ec2-critical-path.sh [SAMPLES=5] [SCALE=100]
# Needs moto (bin/setup), Docker and galley/debian-sshd:bookworm.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/moto.sh
java -Dgalley.repo="$PWD" -cp "$BENCH_CP" org.galley.bench.Ec2CriticalPathBench "$MOTO_URL" "${1:-5}" "${2:-100}"
