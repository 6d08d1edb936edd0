#!/usr/bin/env python3
"""Trains bin/galley's class data sharing archive: runs galley's main paths with
-XX:DumpLoadedClassList (validate; an ssh build that connects, applies and verifies, first and
again; apply; a dry-run bake; a dev session with one iteration) and writes the union of the
classes they load to bin/galley.classlist, from which bin/galley dumps a static AppCDS archive
once per jar. Run it through `bench/run --train-cds` after changes that load other classes; a
stale list only costs start-up time (classes it misses load from the jar as usual)."""

import signal
import subprocess
import time
from pathlib import Path

from common import (ENV, GALLEY, JAR, JVM, NAMESPACE, OUT, REPO, Host, bench_spec, log, prepare, remove_bench_containers,
                    remove_images, ssh_spec, timed)

LIST = REPO / "bin" / "galley.classlist"
CHECKS = r"""verify:
  - name: sendmail.cf relays through the smart host
    file:
      path: /etc/mail/sendmail.cf
      matches: "^DSsmtp\\.internalsapsailing\\.com$"
  - name: exactly one SMART_HOST define
    command:
      run: grep -c "^define(\`SMART_HOST'" /etc/mail/sendmail.mc
      output_contains: "1"
"""


def java(listfile):
    return ["java", "-Xshare:off", f"-XX:DumpLoadedClassList={listfile}", *JVM, "-jar", str(JAR)]


def dev_session(listfile):
    d = OUT / "train-dev"
    spec = bench_spec("bench-cds-dev", into=d)
    p = subprocess.Popen(java(listfile) + ["dev", str(spec), "--no-color", "--log-dir", str(OUT / "logs" / "train"),
                                           "--ledger-dir", str(OUT / "ledger"), "--docker-namespace", NAMESPACE],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    touched = False
    for line in p.stdout:
        if "watching" in line and not touched:
            time.sleep(0.2)
            (d / "recipes" / "sendmail-smart-host.yaml").touch()
            touched = True
        elif "iteration 1:" in line and "checks" in line:
            p.send_signal(signal.SIGTERM)
    if p.wait(60) != 0:
        raise RuntimeError("the training dev session failed")


def main():
    keys, fp = prepare()
    lists = []
    n = iter(range(100))

    def listfile():
        f = OUT / f"train-{next(n)}.classlist"
        lists.append(f)
        return f

    try:
        log("training: validate")
        timed(java(listfile()) + ["validate", str(REPO / "ami-specs" / "sailing-hvm.yaml")])
        host = Host(keys)
        try:
            log("training: ssh build (connect, apply, verify), first and again; apply")
            spec = ssh_spec(host, keys, fp, CHECKS)
            for _ in range(2):
                timed(java(listfile()) + ["build", str(spec), "--target", "ssh", "-q", "--manifest",
                                          str(OUT / "train-manifest.json"), "--log-dir", str(OUT / "logs" / "train")])
            timed(java(listfile()) + ["apply", "sendmail-smart-host", "--host", f"root@127.0.0.1:{host.port}",
                                      "-i", str(keys / "client"), "--host-key", fp,
                                      "--with", "smart_host=smtp.internalsapsailing.com", "-q"], cwd=REPO)
        finally:
            host.close()
        log("training: dry-run bake")
        bake = bench_spec("bench-cds-train")
        timed(java(listfile()) + ["build", str(bake), "--force", "-q", "--manifest", str(OUT / "train-manifest.json"),
                                  "--log-dir", str(OUT / "logs" / "train"), "--ledger-dir", str(OUT / "ledger"),
                                  "--docker-namespace", NAMESPACE])
        log("training: dev session with one iteration")
        dev_session(listfile())
    finally:
        remove_images(["bench-cds-train", "bench-cds-dev"])
        remove_bench_containers()
    seen, merged = set(), ["# galley's class list for bin/galley's AppCDS archive; made by bench/run --train-cds."]
    for f in lists:
        for line in Path(f).read_text().splitlines():
            if line.startswith("#") or line in seen:
                continue
            seen.add(line)
            merged.append(line)
    LIST.write_text("\n".join(merged) + "\n")
    log(f"wrote {LIST} ({len(merged) - 1} classes)")


if __name__ == "__main__":
    main()
