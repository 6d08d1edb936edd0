#!/usr/bin/env python3
"""galley's benchmarks (run through bench/run), each against a floor measured in the same run:
the dry-run bake against plain docker doing the same work (bench/docker-floor.sh), an
unchanged `galley dev` iteration against one `ssh host bash -s` running the same checks,
recipe apply over SSH against `ssh host bash -s` (and Ansible), start-up with and without
class data sharing, and four specs in parallel. Every comparison interleaves its contenders
(A, B, A, B, ...) and reports medians, so load from other processes falls on all alike.
Everything it creates is labelled org.galley.bench=true and removed at the end."""

import argparse
import os
import platform
import re
import resource
import signal
import subprocess
import time
from pathlib import Path

from common import (ENV, GALLEY, JAR, JSA, JVM, NAMESPACE, OUT, REPO, Host, bench_spec, galley_build, log, med, prepare,
                    remove_bench_containers, remove_images, sh, ssh_spec, stage_times, timed)

FLOOR = REPO / "bench" / "docker-floor.sh"
FLOOR_REPO = "galley/bench-floor"
GOALS = {"bake": 1.5, "dev": 1.5, "first": 1.3, "again": 1.5}
# galley with GALLEY_RESIDENT=1: the same bin/galley command, run by a resident process of the bench's own.
RESIDENT_ENV = dict(ENV, GALLEY_RESIDENT="1", GALLEY_RESIDENT_DIR=str(OUT / "resident"), GALLEY_RESIDENT_IDLE="10m")


# ---------------------------------------------------------------- SSH apply

def check_applied(host):
    """All contenders must leave the same result, or the comparison is meaningless."""
    n = host.exec("grep -c \"^define(\\`SMART_HOST'\" /etc/mail/sendmail.mc || true").strip()
    ds = host.exec("grep '^DS' /etc/mail/sendmail.cf || true").strip()
    # sendmail daemonizes itself: give it a moment to show up (not timed).
    running = host.exec("for i in $(seq 50); do pgrep sendmail >/dev/null && echo yes && exit; sleep 0.1; done;"
                        " echo no").strip()
    if n != "1" or ds != "DSsmtp.internalsapsailing.com" or running != "yes":
        raise RuntimeError(f"recipe not applied: SMART_HOST lines={n} ds={ds!r} sendmail running={running}")


def galley_apply(host, keys, fp, tag, env=ENV):
    spec = ssh_spec(host, keys, fp)
    logs = OUT / "logs" / tag
    dt, r = timed([str(GALLEY), "build", str(spec), "--target", "ssh", "-q", "--manifest",
                   str(OUT / "ssh-manifest.json"), "--log-dir", str(logs)], env=env)
    if r.returncode != 0:
        raise RuntimeError(f"galley apply failed ({r.returncode}): {r.stdout}{r.stderr}")
    return dt, stage_times(next(logs.glob("*.log")))


def resident(action):
    return timed([str(GALLEY), "resident", action], env=RESIDENT_ENV)[1].stdout.strip()


def start_resident(keys, fp):
    """Starts the bench's resident process and warms it on a builder of its own (not timed)."""
    resident("stop")
    timed([str(GALLEY), "validate", str(REPO / "ami-specs" / "sailing-hvm.yaml")], env=RESIDENT_ENV)
    for _ in range(50):
        if resident("status").startswith("resident process"):
            break
        time.sleep(0.2)
    host = Host(keys)
    try:
        for i in range(3):
            galley_apply(host, keys, fp, f"resident-warm-{i}", env=RESIDENT_ENV)
    finally:
        host.close()
    log("  " + resident("status"))


def known_hosts(host, keys):
    kh = OUT / f"known_hosts-{host.port}"
    kh.write_text(f"[127.0.0.1]:{host.port} " + " ".join((keys / "host.pub").read_text().split()[:2]) + "\n")
    return kh


def ansible_apply(host, keys):
    inv = OUT / f"inventory-{host.port}.ini"
    inv.write_text(f"builder ansible_host=127.0.0.1 ansible_port={host.port} ansible_user=root"
                   f" ansible_ssh_private_key_file={keys / 'client'} ansible_python_interpreter=/usr/bin/python3"
                   f" ansible_ssh_common_args='-o UserKnownHostsFile={known_hosts(host, keys)}"
                   f" -o StrictHostKeyChecking=yes'\n")
    cp = OUT / "ansible-cp"
    sh(["rm", "-rf", str(cp)])  # no ControlPersist master left from an earlier run
    env = dict(ENV, ANSIBLE_SSH_CONTROL_PATH_DIR=str(cp), ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="default",
               ANSIBLE_LOCAL_TEMP=str(OUT / "ansible-tmp"), ANSIBLE_RETRY_FILES_ENABLED="0")
    dt, _ = timed(["ansible-playbook", "-i", str(inv), str(REPO / "bench" / "sendmail-smart-host.yml")], env=env)
    return dt


def ssh_cmd(host, keys):
    return ["ssh", "-i", str(keys / "client"), "-p", str(host.port), "-o", "BatchMode=yes",
            "-o", f"UserKnownHostsFile={known_hosts(host, keys)}", "-o", "StrictHostKeyChecking=yes", "root@127.0.0.1"]


def ssh_apply(host, keys):
    with open(REPO / "bench" / "sendmail-smart-host.sh") as script:
        dt, _ = timed(ssh_cmd(host, keys) + ["bash", "-s"], stdin=script)
    return dt


def bench_ssh(keys, fp, n):
    res = {k: {"first": [], "again": []} for k in ("galley", "resident", "ansible", "ssh")}
    inproc = {"first": [], "again": [], "connect": []}
    start_resident(keys, fp)
    for i in range(n):
        for tool in ("galley", "ssh", "resident", "ansible"):
            host = Host(keys)
            try:
                for phase in ("first", "again"):
                    if tool == "galley":
                        dt, st = galley_apply(host, keys, fp, f"ssh-{i}-{phase}")
                        inproc[phase].append(st.get("apply", float("nan")))
                        if phase == "first":
                            inproc["connect"].append(st.get("connect", float("nan")))
                    elif tool == "resident":
                        dt, _ = galley_apply(host, keys, fp, f"resident-{i}-{phase}", env=RESIDENT_ENV)
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
    log("  " + resident("stop"))
    return res, inproc


# ---------------------------------------------------------------- bakes

def floor_bake(keys):
    dt, r = timed([str(FLOOR), str(keys), FLOOR_REPO])
    stages = {m.group(1): int(m.group(2)) / 1000 for m in re.finditer(r"floor stage ([\w-]+) (\d+)", r.stderr)}
    ids = sh(["docker", "images", "-q", FLOOR_REPO]).stdout.split()
    if ids:
        sh(["docker", "rmi", "-f", *sorted(set(ids))], check=False)
    return dt, stages


def bench_bake(keys, n):
    spec = bench_spec("bench-sailing-hvm")
    remove_images(["bench-sailing-hvm"])
    walls, stages, floors, floor_stages = [], [], [], []
    for i in range(n):
        dt, builds, logs = galley_build([spec], "--force", "--ledger-dir", str(OUT / "ledger"), tag=f"bake-{i}")
        walls.append(dt)
        stages.append(stage_times(logs / (builds[0]["packer_run_uuid"] + ".log")))
        fdt, fst = floor_bake(keys)
        floors.append(fdt)
        floor_stages.append(fst)
        log(f"  bake {i + 1}/{n}: galley {dt:.2f} s, floor {fdt:.2f} s")
    skips = []
    for i in range(n):
        dt, builds, _ = galley_build([spec], tag=f"skip-{i}")
        assert builds[0]["custom_data"]["status"] == "skipped", builds[0]
        skips.append(dt)
    remove_images(["bench-sailing-hvm"])
    return walls, stages, floors, floor_stages, skips


# ---------------------------------------------------------------- dev loop

class Lines:
    """A process's output lines, read with a deadline."""

    def __init__(self, stream):
        self.stream = stream

    def until(self, pattern, timeout=180):
        end = time.time() + timeout
        for line in self.stream:
            m = re.search(pattern, line)
            if m:
                return m
            if time.time() > end:
                break
        raise RuntimeError(f"no line matching {pattern!r}")


def bench_dev(keys, n):
    """Unchanged iterations: a recipe saved without a change, so the session re-applies nothing and
    runs the checks again on its open connection; the floor runs the same checks over a new ssh."""
    d = OUT / "dev"
    spec = bench_spec("bench-dev", into=d)
    recipe = d / "recipes" / "sendmail-smart-host.yaml"
    dev = subprocess.Popen([str(GALLEY), "dev", str(spec), "--no-color", "--log-dir", str(OUT / "logs" / "dev"),
                            "--ledger-dir", str(OUT / "ledger"), "--docker-namespace", NAMESPACE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, env=ENV)
    floor = subprocess.Popen([str(FLOOR), "--serve-checks", str(keys)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV)
    walls, own, floors = [], [], []
    try:
        out, fout = Lines(dev.stdout), Lines(floor.stdout)
        out.until(r"watching \d+ files")
        fout.until(r"^ready")
        for i in range(1, n + 1):
            t0 = time.perf_counter()
            recipe.touch()
            m = out.until(rf"iteration {i}: no step changed; (\d+) of (\d+) checks passed in (\d+) ms")
            walls.append(time.perf_counter() - t0)
            own.append(int(m.group(3)) / 1000)
            if m.group(1) != m.group(2):
                raise RuntimeError(f"dev iteration {i}: only {m.group(1)} of {m.group(2)} checks passed")
            t0 = time.perf_counter()
            floor.stdin.write("go\n")
            floor.stdin.flush()
            fout.until(r"^floor checks \d+")
            floors.append(time.perf_counter() - t0)
            log(f"  dev iteration {i}/{n}: galley {walls[-1]:.2f} s ({own[-1]:.2f} s its own), floor {floors[-1]:.2f} s")
    finally:
        dev.send_signal(signal.SIGTERM)
        floor.stdin.close()
        dev.wait(120)
        floor.wait(120)
    remove_images(["bench-dev"])
    return walls, own, floors


# ---------------------------------------------------------------- start-up

def bench_startup(n):
    spec = str(REPO / "ami-specs" / "sailing-hvm.yaml")
    variants = {
        "no CDS (-Xshare:off)": ["java", "-Xshare:off", *JVM, "-jar", str(JAR)],
        "JDK CDS only (-Xshare:auto)": ["java", "-Xshare:auto", *JVM, "-jar", str(JAR)],
        "AppCDS archive": ["java", *JVM, f"-XX:SharedArchiveFile={JSA}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                           "-jar", str(JAR)],
        "bin/galley (AppCDS)": [str(GALLEY)],
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


def ratio(name, g, fl, goal):
    r = g / fl
    return (name, f"{r:.2f}x", f"goal <= {goal}x: " + ("met" if r <= goal else "NOT met") + f" (galley {g:.2f} s,"
                                                                                           f" floor {fl:.2f} s)")


def breakdown(stages, floor_stages):
    """Stage by stage: galley's build log against the floor script's own stamps."""
    g = lambda st: med([s.get(st, float("nan")) for s in stages])
    f = lambda st: med([s.get(st, float("nan")) for s in floor_stages])
    rows = [("provision", g("provision"), f("provision")), ("connect", g("connect"), float("nan")),
            ("apply", g("apply"), f("apply")), ("verify", g("verify"), f("verify")),
            ("snapshot", g("snapshot"), f("snapshot")),
            ("first-boot (with its connect)", g("first-boot") + g("connect#2"), f("first-boot")),
            ("first-boot-verify", g("first-boot-verify"), f("first-boot-verify")),
            ("promote", g("promote"), f("promote")), ("cleanup (floor)", float("nan"), f("cleanup"))]
    out = ["| stage | galley | floor |", "|---|---|---|"]
    out += [f"| {n} | {a:.2f} s | {b:.2f} s |".replace("nan s", "–") for n, a, b in rows]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", "5")), help="samples per measurement")
    ap.add_argument("--only", nargs="*", default=["ssh", "bake", "dev", "startup", "parallel"])
    a = ap.parse_args()
    keys, fp = prepare()
    rows, ratios, extra = [], [], []
    f = lambda x: f"{x:.2f} s"
    load = [os.getloadavg()[0]]
    try:
        if "bake" in a.only:
            log("dry-run bake of sailing-hvm (--force) against the plain-docker floor, then fingerprint skip")
            walls, stages, floors, floor_stages, skips = bench_bake(keys, a.n)
            ratios.append(ratio("dry-run bake of sailing-hvm / plain-docker floor", med(walls), med(floors),
                                GOALS["bake"]))
            rows.append(("dry-run bake of sailing-hvm (CLI wall)", f(med(walls)), ""))
            rows.append(("plain-docker floor of the same bake (bench/docker-floor.sh)", f(med(floors)), ""))
            rows.append(("rebuild skipped by fingerprint (CLI wall)", f(med(skips)), ""))
            extra += ["", "Stage breakdown of the dry-run bake (medians):", ""] + breakdown(stages, floor_stages)
            load.append(os.getloadavg()[0])
        if "dev" in a.only:
            log("galley dev: unchanged iterations against one ssh bash -s of the same checks")
            walls, own, floors = bench_dev(keys, max(a.n, 5))
            ratios.append(ratio("galley dev, unchanged iteration / ssh bash -s of the checks", med(walls), med(floors),
                                GOALS["dev"]))
            rows.append(("galley dev, unchanged iteration (save to summary line)", f(med(walls)),
                         f"as the session times itself: {med(own):.2f} s"))
            rows.append(("the same checks over one ssh bash -s (+ the queue look-up)", f(med(floors)), ""))
            load.append(os.getloadavg()[0])
        if "ssh" in a.only:
            log("recipe apply over SSH (galley, ssh, ansible; fresh builder per sample)")
            res, inproc = bench_ssh(keys, fp, a.n)
            for phase, label in (("first", "first apply"), ("again", "idempotent re-apply")):
                g, rg, an, fl = (med(res[t][phase]) for t in ("galley", "resident", "ansible", "ssh"))
                ratios.append(ratio(f"sailing recipe, {label}: galley CLI / ssh bash -s", g, fl, GOALS[phase]))
                ratios.append(ratio(f"sailing recipe, {label}: galley CLI, GALLEY_RESIDENT=1 / ssh bash -s", rg, fl,
                                    GOALS[phase]))
                rows.append((f"sailing recipe, {label}: galley CLI (wall)", f(g), f"galley/ansible {g / an:.2f}"))
                rows.append((f"sailing recipe, {label}: galley CLI with GALLEY_RESIDENT=1 (wall)", f(rg),
                             f"galley/ansible {rg / an:.2f}"))
                gi = med(inproc[phase])
                rows.append((f"sailing recipe, {label}: galley apply stage (in-process)", f(gi),
                             f"in-process/floor {gi / fl:.2f}"))
                rows.append((f"sailing recipe, {label}: ansible-playbook", f(an), ""))
                rows.append((f"sailing recipe, {label}: ssh host bash -s < script (floor)", f(fl), ""))
            rows.append(("galley connect stage (SSHJ connect + auth + readiness)", f(med(inproc["connect"])), ""))
            load.append(os.getloadavg()[0])
        if "startup" in a.only:
            log("start-up: --version and validate, with and without class data sharing")
            res, cpu = bench_startup(max(a.n, 15))
            for (v, c), xs in res.items():
                rows.append((f"galley {c} ({v})", f(med(xs)), f"CPU time {med(cpu[(v, c)]):.2f} s"))
        if "parallel" in a.only:
            log("four specs in one run: --parallel 4 vs --parallel 1")
            par = bench_parallel(max(2, a.n // 2 + 1))
            rows.append(("4 sailing specs, --parallel 1", f(med(par[1])), ""))
            rows.append(("4 sailing specs, --parallel 4", f(med(par[4])), f"speed-up {med(par[1]) / med(par[4]):.2f}x"))
    finally:
        resident("stop")
        remove_bench_containers()
    table = lambda head, rs: [head, "|---|---|---|"] + [f"| {x} | {y} | {z} |" for x, y, z in rs]
    report = "\n".join([f"Machine: {machine()}",
                        f"Samples: {a.n} per measurement (medians), interleaved; load average during the run:"
                        f" {', '.join(f'{x:.1f}' for x in load)}.", ""]
                       + table("| ratio to its floor | value | goal |", ratios) + [""]
                       + table("| measurement | median | notes |", rows) + extra)
    (OUT / "results.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
