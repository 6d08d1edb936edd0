#!/usr/bin/env python3
"""galley's benchmarks (run through bench/run): recipe apply over SSH against Ansible and
plain ssh, dry-run bake by stage, fingerprint skip, start-up with and without class data
sharing, and four specs in parallel. Every comparison interleaves its contenders
(A, B, C, A, B, C, ...) and reports medians, so load from other processes hits all alike.
Everything it creates is labelled org.galley.bench=true and removed at the end."""

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "target" / "bench"
JAR = REPO / "target" / "galley.jar"
JSA = REPO / "target" / "galley.jsa"
BASE_IMAGE = "galley/debian-sshd:bookworm"
BENCH_IMAGE = "galley/bench-sshd:bookworm"
LABEL = "org.galley.bench=true"
# The bench's own Docker namespace: its bakes, skips and image removals never see anyone else's images.
NAMESPACE = f"galley-bench-{os.getpid()}"
ENV = dict(os.environ, TESTCONTAINERS_RYUK_DISABLED="true", TESTCONTAINERS_HOST_OVERRIDE="localhost")
JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# Ansible needs Python on the target; the base image has none and no registry or mirror
# is reachable, so the host's own Debian python3 (+ python3-apt) is copied into a derived image.
PY_PACKAGES = ("python3 python3-minimal python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib"
               " python3-apt python-apt-common distro-info-data media-types libffi8 libsqlite3-0 libncursesw6"
               " libreadline8 libnsl2 libtirpc3 libtirpc-common libdb5.3 libexpat1").split()


def sh(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, text=True, capture_output=True, env=ENV, **kw)


def timed(cmd, **kw):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, text=True, capture_output=True, env=ENV, **kw)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return dt, r


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- preparation

def prepare():
    OUT.mkdir(parents=True, exist_ok=True)
    # bin/galley rebuilds a stale jar and (re)creates the class data sharing archive.
    sh([str(REPO / "bin" / "galley"), "--version"])
    if sh(["docker", "image", "inspect", BENCH_IMAGE], check=False).returncode != 0:
        log(f"building {BENCH_IMAGE}: {BASE_IMAGE} plus the host's python3 for Ansible")
        files = []
        for p in PY_PACKAGES:
            r = sh(["dpkg", "-L", p], check=False)
            files += [f for f in r.stdout.splitlines() if os.path.isfile(f) or os.path.islink(f)]
        tar = OUT / "python.tar"
        (OUT / "python.files").write_text("\n".join(sorted(set(files))) + "\n")
        sh(["tar", "-cf", str(tar), "-T", str(OUT / "python.files")])
        cid = sh(["docker", "create", "--label", LABEL, "--entrypoint", "true", BASE_IMAGE]).stdout.strip()
        try:
            with open(tar, "rb") as f:
                subprocess.run(["docker", "cp", "-", cid + ":/"], stdin=f, check=True, capture_output=True)
            sh(["docker", "commit", "-c", "LABEL " + LABEL, cid, BENCH_IMAGE])
        finally:
            sh(["docker", "rm", "-f", cid], check=False)
    keys = OUT / "keys"
    if not (keys / "client").exists():
        keys.mkdir(exist_ok=True)
        sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "client")])
        sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / "host")])
        shutil.copy(keys / "client.pub", keys / "authorized_keys")
    fp = sh(["ssh-keygen", "-lf", str(keys / "host.pub")]).stdout.split()[1]
    return keys, fp


class Host:
    """One fresh builder with a fixed host key and the bench's client key, sshd on a loopback port."""

    def __init__(self, keys):
        self.name = f"galley-bench-{os.getpid()}-{time.monotonic_ns()}"
        sh(["docker", "run", "-d", "--rm", "--name", self.name, "--label", LABEL, "-p", "127.0.0.1::22",
            "--hostname", "bench.galley.test",
            "-v", f"{keys / 'host'}:/etc/ssh/bench_host_key:ro",
            "-v", f"{keys / 'authorized_keys'}:/root/.ssh/authorized_keys:ro",
            "--entrypoint", "/bin/sh", BENCH_IMAGE, "-c",
            "mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -h /etc/ssh/bench_host_key"])
        self.port = int(sh(["docker", "port", self.name, "22/tcp"]).stdout.strip().splitlines()[0].rsplit(":", 1)[1])
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    if s.recv(8).startswith(b"SSH-2.0"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("bench sshd did not answer")

    def exec(self, cmd):
        return sh(["docker", "exec", self.name, "sh", "-c", cmd]).stdout

    def close(self):
        sh(["docker", "rm", "-f", self.name], check=False)


def check_applied(host):
    """All three contenders must leave the same result, or the comparison is meaningless."""
    n = host.exec("grep -c \"^define(\\`SMART_HOST'\" /etc/mail/sendmail.mc || true").strip()
    ds = host.exec("grep '^DS' /etc/mail/sendmail.cf || true").strip()
    # sendmail daemonizes itself: give it a moment to show up (not timed).
    running = host.exec("for i in $(seq 50); do pgrep sendmail >/dev/null && echo yes && exit; sleep 0.1; done;"
                        " echo no").strip()
    if n != "1" or ds != "DSsmtp.internalsapsailing.com" or running != "yes":
        raise RuntimeError(f"recipe not applied: SMART_HOST lines={n} ds={ds!r} sendmail running={running}")


# ---------------------------------------------------------------- SSH apply

def galley_apply(host, keys, fp, tag):
    spec = OUT / "specs" / "bench-ssh.yaml"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(f"""name: bench-ssh
builders:
  ssh:
    host: 127.0.0.1
    port: {host.port}
    user: root
    identity_file: {keys / 'client'}
    host_key: "{fp}"
recipes:
  - use: sendmail-smart-host
    with:
      smart_host: smtp.internalsapsailing.com
""")
    logs = OUT / "logs" / tag
    dt, r = timed([str(REPO / "bin" / "galley"), "build", str(spec), "--target", "ssh", "-q", "--output", "json",
                   "--manifest", str(OUT / "ssh-manifest.json"), "--log-dir", str(logs)])
    build = json.loads(r.stdout)["builds"][0]
    stages = stage_times(logs / (build["packer_run_uuid"] + ".log"))
    return dt, stages


def stage_times(logfile):
    out = {}
    for line in Path(logfile).read_text().splitlines():
        m = re.match(r"\S+ stage ([\w-]+) finished in (\d+) ms", line)
        if m:
            out[m.group(1)] = int(m.group(2)) / 1000
    return out


def ansible_apply(host, keys):
    inv = OUT / f"inventory-{host.port}.ini"
    kh = OUT / f"known_hosts-{host.port}"
    kh.write_text(f"[127.0.0.1]:{host.port} " + (keys / "host.pub").read_text().split(" ", 2)[0] + " "
                  + (keys / "host.pub").read_text().split()[1] + "\n")
    inv.write_text(f"builder ansible_host=127.0.0.1 ansible_port={host.port} ansible_user=root"
                   f" ansible_ssh_private_key_file={keys / 'client'} ansible_python_interpreter=/usr/bin/python3"
                   f" ansible_ssh_common_args='-o UserKnownHostsFile={kh} -o StrictHostKeyChecking=yes'\n")
    cp = OUT / "ansible-cp"
    shutil.rmtree(cp, ignore_errors=True)  # no ControlPersist master left from an earlier run
    env = dict(ENV, ANSIBLE_SSH_CONTROL_PATH_DIR=str(cp), ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="default",
               ANSIBLE_LOCAL_TEMP=str(OUT / "ansible-tmp"), ANSIBLE_RETRY_FILES_ENABLED="0")
    t0 = time.perf_counter()
    r = subprocess.run(["ansible-playbook", "-i", str(inv), str(REPO / "bench" / "sendmail-smart-host.yml")],
                       text=True, capture_output=True, env=env)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError("ansible-playbook failed:\n" + r.stdout[-3000:] + r.stderr[-2000:])
    return dt


def ssh_apply(host, keys):
    kh = OUT / f"known_hosts-{host.port}"
    kh.write_text(f"[127.0.0.1]:{host.port} " + " ".join((keys / "host.pub").read_text().split()[:2]) + "\n")
    with open(REPO / "bench" / "sendmail-smart-host.sh") as script:
        t0 = time.perf_counter()
        r = subprocess.run(["ssh", "-i", str(keys / "client"), "-p", str(host.port), "-o", "BatchMode=yes",
                            "-o", f"UserKnownHostsFile={kh}", "-o", "StrictHostKeyChecking=yes",
                            "root@127.0.0.1", "bash", "-s"], stdin=script, text=True, capture_output=True)
        dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError("ssh script failed:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    return dt


def bench_ssh(keys, fp, n):
    res = {k: {"first": [], "again": []} for k in ("galley", "ansible", "ssh")}
    inproc = {"first": [], "again": [], "connect": []}
    for i in range(n):
        for tool in ("galley", "ansible", "ssh"):
            host = Host(keys)
            try:
                for phase in ("first", "again"):
                    if tool == "galley":
                        dt, st = galley_apply(host, keys, fp, f"ssh-{i}-{phase}")
                        inproc[phase].append(st.get("apply", float("nan")))
                        if phase == "first":
                            inproc["connect"].append(st.get("connect", float("nan")))
                    elif tool == "ansible":
                        dt = ansible_apply(host, keys)
                    else:
                        dt = ssh_apply(host, keys)
                    res[tool][phase].append(dt)
                    check_applied(host)
            finally:
                host.close()
        log(f"  ssh apply round {i + 1}/{n}: " + ", ".join(
            f"{t} {res[t]['first'][-1]:.2f}/{res[t]['again'][-1]:.2f} s" for t in res))
    return res, inproc


# ---------------------------------------------------------------- bakes

def bench_spec(name, src="ami-specs/sailing-hvm.yaml"):
    """A copy of a spec under its own name and repository, so the bench never re-tags or
    removes anyone else's images; the work is the same."""
    text = (REPO / src).read_text()
    text = re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1)
    text = re.sub(r"(?m)^(\s+)repository: .*$", rf"\1repository: galley/{name}", text, count=1)
    p = OUT / "specs" / f"{name}.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    # Files the spec names relative to itself (the dry run's test credential) go along.
    dry = REPO / Path(src).parent / "dry-run"
    if dry.is_dir():
        shutil.copytree(dry, p.parent / "dry-run", dirs_exist_ok=True)
    return p


def galley_build(specs, *extra, tag):
    logs = OUT / "logs" / tag
    dt, r = timed([str(REPO / "bin" / "galley"), "build", *map(str, specs), "-q", "--output", "json",
                   "--manifest", str(OUT / "bake-manifest.json"), "--log-dir", str(logs),
                   "--docker-namespace", NAMESPACE, *extra])
    builds = json.loads(r.stdout)["builds"]
    return dt, builds, logs


def remove_images(spec_names):
    for name in spec_names:
        ids = sh(["docker", "images", "-q", "--filter", f"label=org.galley.spec={name}",
                  "--filter", f"label=org.galley.namespace={NAMESPACE}"]).stdout.split()
        if ids:
            sh(["docker", "rmi", "-f", *sorted(set(ids))], check=False)


def bench_bake(n):
    spec = bench_spec("bench-sailing-hvm")
    remove_images(["bench-sailing-hvm"])
    walls, stages = [], []
    for i in range(n):
        dt, builds, logs = galley_build([spec], "--force", tag=f"bake-{i}")
        walls.append(dt)
        stages.append(stage_times(logs / (builds[0]["packer_run_uuid"] + ".log")))
        log(f"  bake {i + 1}/{n}: {dt:.2f} s {stages[-1]}")
    skips = []
    for i in range(n):
        dt, builds, _ = galley_build([spec], tag=f"skip-{i}")
        assert builds[0]["custom_data"]["status"] == "skipped", builds[0]
        skips.append(dt)
    remove_images(["bench-sailing-hvm"])
    return walls, stages, skips


def bench_parallel(n):
    names = [f"bench-par-{c}" for c in "abcd"]
    specs = [bench_spec(x) for x in names]
    res = {1: [], 4: []}
    for i in range(n):
        for par in (4, 1):
            remove_images(names)
            dt, builds, _ = galley_build(specs, "--force", "--parallel", str(par), tag=f"par{par}-{i}")
            assert [b["custom_data"]["status"] for b in builds] == ["baked"] * 4, builds
            res[par].append(dt)
            log(f"  4 specs --parallel {par}: {dt:.2f} s")
    remove_images(names)
    return res


# ---------------------------------------------------------------- start-up

def bench_startup(n):
    spec = str(REPO / "ami-specs" / "sailing-hvm.yaml")
    variants = {
        "no CDS (-Xshare:off)": ["java", "-Xshare:off", *JVM, "-jar", str(JAR)],
        "JDK CDS only (-Xshare:auto)": ["java", "-Xshare:auto", *JVM, "-jar", str(JAR)],
        "AppCDS archive": ["java", *JVM, f"-XX:SharedArchiveFile={JSA}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                           "-jar", str(JAR)],
        "bin/galley (AppCDS)": [str(REPO / "bin" / "galley")],
    }
    res = {(v, c): [] for v in variants for c in ("--version", "validate")}
    cpu = {k: [] for k in res}
    for _ in range(n):
        for v, cmd in variants.items():
            for c, args in (("--version", ["--version"]), ("validate", ["validate", spec])):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                dt, _ = timed(cmd + args)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                res[(v, c)].append(dt)
                cpu[(v, c)].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return res, cpu


# ---------------------------------------------------------------- report

def machine():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    java = sh(["java", "-version"]).stderr.splitlines()[1]
    ans = sh(["ansible", "--version"]).stdout.splitlines()[0]
    docker = sh(["docker", "version", "-f", "{{.Server.Version}}"]).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}; "
            f"{java}; {ans}; Docker {docker}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", "5")), help="samples per measurement")
    ap.add_argument("--only", nargs="*", default=["ssh", "bake", "startup", "parallel"])
    a = ap.parse_args()
    keys, fp = prepare()
    rows = []
    f = lambda x: f"{x:.2f} s"
    try:
        if "ssh" in a.only:
            log("recipe apply over SSH (galley, ansible, ssh; fresh builder per sample)")
            res, inproc = bench_ssh(keys, fp, a.n)
            for phase, label in (("first", "first apply"), ("again", "idempotent re-apply")):
                g, an, fl = (med(res[t][phase]) for t in ("galley", "ansible", "ssh"))
                rows.append((f"sailing recipe, {label}: galley CLI (wall)", f(g),
                             f"galley/floor {g / fl:.2f} (goal <= 1.3), galley/ansible {g / an:.2f} (goal <= 0.25)"))
                gi = med(inproc[phase])
                rows.append((f"sailing recipe, {label}: galley apply stage (in-process)", f(gi),
                             f"in-process/floor {gi / fl:.2f}, in-process/ansible {gi / an:.2f}"))
                rows.append((f"sailing recipe, {label}: ansible-playbook", f(an), ""))
                rows.append((f"sailing recipe, {label}: ssh host bash -s < script (floor)", f(fl), ""))
            rows.append(("galley connect stage (SSHJ connect + auth)", f(med(inproc["connect"])), ""))
        if "bake" in a.only:
            log("dry-run bake of sailing-hvm (--target docker --force), then fingerprint skip")
            walls, stages, skips = bench_bake(a.n)
            rows.append(("dry-run bake of sailing-hvm (CLI wall)", f(med(walls)), ""))
            for st in ("provision", "connect", "apply", "verify", "snapshot"):
                rows.append((f"  stage {st}", f(med([s.get(st, float('nan')) for s in stages])), ""))
            rows.append(("rebuild skipped by fingerprint (CLI wall)", f(med(skips)), ""))
        if "startup" in a.only:
            log("start-up: --version and validate, with and without class data sharing")
            res, cpu = bench_startup(max(a.n, 15))
            for (v, c), xs in res.items():
                goal = "goal < 0.6 s: " + ("met" if med(xs) < 0.6 else "NOT met")
                rows.append((f"galley {c} ({v})", f(med(xs)), f"{goal}; CPU time {med(cpu[(v, c)]):.2f} s"))
        if "parallel" in a.only:
            log("four specs in one run: --parallel 4 vs --parallel 1")
            par = bench_parallel(max(2, a.n // 2 + 1))
            rows.append(("4 sailing specs, --parallel 1", f(med(par[1])), ""))
            rows.append(("4 sailing specs, --parallel 4", f(med(par[4])), f"speed-up {med(par[1]) / med(par[4]):.2f}x"))
    finally:
        for c in sh(["docker", "ps", "-aq", "--filter", "label=" + LABEL]).stdout.split():
            sh(["docker", "rm", "-f", c], check=False)
    table = ["| measurement | median | notes |", "|---|---|---|"] + [f"| {a_} | {b} | {c} |" for a_, b, c in rows]
    report = "\n".join([f"Machine: {machine()}", f"Samples: {a.n} per measurement (medians), interleaved.", ""] + table)
    (OUT / "results.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
