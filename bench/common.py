"""What bench.py and train_cds.py share: running commands, the bench's keys and images, a fresh
sshd builder, renamed copies of the sailing spec, and reading stage times from build logs.
Everything the bench creates is labelled org.galley.bench=true."""

import json
import os
import re
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
GALLEY = REPO / "bin" / "galley"
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


def timed(cmd, env=ENV, **kw):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, text=True, capture_output=True, env=env, **kw)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return dt, r


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def prepare():
    """The jar and its class data sharing archive, the bench image with Python, and fixed keys."""
    OUT.mkdir(parents=True, exist_ok=True)
    # bin/galley rebuilds a stale jar and (re)creates the class data sharing archive.
    sh([str(GALLEY), "--version"])
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


def ssh_spec(host, keys, fp, checks=""):
    """A spec for the ssh target: the sailing recipe on the bench host, optionally with checks."""
    spec = OUT / "specs" / "bench-ssh.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
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
{checks}""")
    return spec


def bench_spec(name, src="ami-specs/sailing-hvm.yaml", into=None):
    """A copy of a spec under its own name and repository, so the bench never re-tags or
    removes anyone else's images; the work is the same. With `into`, the recipes are copied
    beside it too (a dev session may then touch them)."""
    text = (REPO / src).read_text()
    text = re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1)
    text = re.sub(r"(?m)^(\s+)repository: .*$", rf"\1repository: galley/{name}", text, count=1)
    d = into or OUT / "specs"
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{name}.yaml"
    p.write_text(text)
    # Files the spec names relative to itself (the dry run's test credential) go along.
    dry = REPO / Path(src).parent / "dry-run"
    if dry.is_dir():
        shutil.copytree(dry, d / "dry-run", dirs_exist_ok=True)
    if into:
        shutil.copytree(REPO / "recipes", d / "recipes", dirs_exist_ok=True)
    return p


def galley_build(specs, *extra, tag, java=None):
    """`galley build` through bin/galley (or `java` args instead), with its log in OUT/logs/tag."""
    logs = OUT / "logs" / tag
    cmd = (java or [str(GALLEY)]) + ["build", *map(str, specs), "-q", "--output", "json",
                                     "--manifest", str(OUT / "bake-manifest.json"), "--log-dir", str(logs),
                                     "--docker-namespace", NAMESPACE, *extra]
    dt, r = timed(cmd)
    builds = json.loads(r.stdout)["builds"]
    return dt, builds, logs


def stage_times(logfile):
    out = {}
    for line in Path(logfile).read_text().splitlines():
        m = re.match(r"\S+ stage ([\w-]+) finished in (\d+) ms", line)
        if m:
            # A stage that runs twice (connect, before and after the first boot) gets "#2".
            name = m.group(1) if m.group(1) not in out else m.group(1) + "#2"
            out[name] = int(m.group(2)) / 1000
    return out


def remove_images(spec_names):
    for name in spec_names:
        ids = sh(["docker", "images", "-q", "--filter", f"label=org.galley.spec={name}",
                  "--filter", f"label=org.galley.namespace={NAMESPACE}"]).stdout.split()
        if ids:
            sh(["docker", "rmi", "-f", *sorted(set(ids))], check=False)


def remove_bench_containers():
    for c in sh(["docker", "ps", "-aq", "--filter", "label=" + LABEL]).stdout.split():
        sh(["docker", "rm", "-f", c], check=False)
    for n in sh(["docker", "network", "ls", "-q", "--filter", "label=" + LABEL]).stdout.split():
        sh(["docker", "network", "rm", n], check=False)
