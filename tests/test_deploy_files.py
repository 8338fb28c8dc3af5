"""The files a deployer copies from `deploy/` are valid for the tools that read them.

- The systemd units pass `systemd-analyze verify` (Debian's systemd). verify also checks that
  each ExecStart binary exists and is executable, and the units name the installed paths
  (/opt/tanu/bin/gunicorn, /opt/tanu/bin/tanu, /usr/local/bin/tanu-backup), which do not exist
  on a test machine: the test copies the units into a temporary folder and rewrites those paths
  to /usr/bin/true, leaving everything else (hardening, users, timers) as shipped.
- The nginx site passes `nginx -t` (Debian's nginx) with a self-signed certificate made by
  openssl: the test writes a minimal nginx.conf in a temporary folder that includes the site with
  its certificate, log and static paths rewritten into that folder.
- The backup script keeps 14 daily and 8 weekly backups, each verified by reading it back, run
  against a stand-in `tanu` (TANU_BIN) so that it needs no database.

`.ci/run` installs systemd and nginx when they are missing; a test is skipped (saying which
binary) only when its binary is not on the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
INSTALLED_BINARIES = re.compile(r"/opt/tanu/bin/[A-Za-z0-9_.-]+|/usr/local/bin/tanu-backup")


def need(binary: str) -> str:
    found = shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/sbin/{binary}") if os.access(p, os.X_OK)), None
    )
    if found is None:
        pytest.skip(f"{binary} is not installed (.ci/run installs it from Debian)")
    return found


def units() -> list[Path]:
    return sorted((DEPLOY / "systemd").glob("tanu*"))


def analyze_verify(folder: Path, names: list[str]) -> tuple[int, list[str]]:
    """Exit status of `systemd-analyze verify`, and its lines about our units (warnings such as
    "Failed to parse ..., ignoring" leave the status at 0, so they count as complaints)."""
    result = subprocess.run(
        [need("systemd-analyze"), "verify", "--man=no", *names],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (result.stdout + result.stderr).splitlines()
    return result.returncode, [line for line in output if "tanu" in line.lower()]


def copy_units(folder: Path) -> list[str]:
    names = []
    for unit in units():
        text = INSTALLED_BINARIES.sub("/usr/bin/true", unit.read_text())
        (folder / unit.name).write_text(text)
        names.append(f"./{unit.name}")
    return names


def test_every_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    assert analyze_verify(tmp_path, copy_units(tmp_path)) == (0, [])


def test_a_unit_with_a_mistake_is_caught_by_the_same_check(tmp_path: Path) -> None:
    """The check above is not vacuous: a misspelt hardening value is reported."""
    copy_units(tmp_path)
    web = tmp_path / "tanu-web.service"
    web.write_text(web.read_text().replace("ProtectSystem=strict", "ProtectSystem=strictly"))
    _status, complaints = analyze_verify(tmp_path, ["./tanu-web.service"])
    assert any("ProtectSystem" in line or "protect system" in line for line in complaints)


@pytest.mark.parametrize("unit", [u.name for u in units() if u.suffix == ".service"])
def test_every_service_runs_hardened_as_the_tanu_user(unit: str) -> None:
    text = (DEPLOY / "systemd" / unit).read_text()
    for line in (
        "User=tanu",
        "Group=tanu",
        "EnvironmentFile=/etc/tanu/environment",
        "UMask=0077",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
    ):
        assert line in text.splitlines(), f"{unit} lacks {line}"
    writable = next(line for line in text.splitlines() if line.startswith("ReadWritePaths="))
    assert "/var/lib/tanu" in writable.split("=", 1)[1].split()


def test_there_is_a_timer_for_every_named_task() -> None:
    from tanu.lib.tasks import named_tasks

    timers = {p.name for p in (DEPLOY / "systemd").glob("tanu-schedule-*.timer")}
    assert timers == {f"tanu-schedule-{name}.timer" for name in named_tasks()}


def test_the_nginx_site_passes_nginx_t_with_a_test_certificate(tmp_path: Path) -> None:
    nginx = need("nginx")
    openssl = need("openssl")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=tanu.example.kz",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx/tanu.conf").read_text()
    assert "/etc/ssl/certs/tanu.example.kz.pem" in site
    site = (
        site.replace("/etc/ssl/certs/tanu.example.kz.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/private/tanu.example.kz.key", str(tmp_path / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/var/www/tanu/static/", f"{tmp_path}/static/")
    )
    (tmp_path / "tanu.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"    include {tmp_path}/tanu.conf;\n"
        "}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_nginx_site_redirects_all_but_healthz_and_passes_the_proxy_headers() -> None:
    site = (DEPLOY / "nginx/tanu.conf").read_text()
    plain, tls = site.split("listen 443", 1)
    healthz = plain.split("location = /healthz", 1)[1].split("}", 1)[0]
    assert "proxy_pass" in healthz and "return" not in healthz
    assert "return 301 https://$host$request_uri;" in plain
    for header in ("Host $host", "X-Forwarded-For", "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header}" in tls
    assert "location /static/" in tls


def fake_tanu(folder: Path, *, verify_exit: int = 0) -> Path:
    """A stand-in for /opt/tanu/bin/tanu: `backup FILE` writes FILE, `backup verify` exits as told."""
    script = folder / "tanu"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = verify ]; then exit ' + str(verify_exit) + "; fi\n"
        'echo backup > "$2"\n'
    )
    script.chmod(0o755)
    return script


def run_backup_script(backups: Path, tanu: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TANU_BACKUP_DIR=str(backups), TANU_BIN=str(tanu))
    return subprocess.run(
        ["sh", str(DEPLOY / "tanu-backup")], env=env, capture_output=True, text=True, check=False
    )


def test_the_backup_script_keeps_14_daily_and_8_weekly_verified_backups(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    (backups / "daily").mkdir(parents=True)
    (backups / "weekly").mkdir()
    for day in range(1, 21):
        (backups / "daily" / f"tanu-2020-01-{day:02d}T013000Z.tanu").write_text("old")
    for week in range(1, 11):
        (backups / "weekly" / f"tanu-2020-W{week:02d}.tanu").write_text("old")
    result = run_backup_script(backups, fake_tanu(tmp_path))
    assert result.returncode == 0, result.stderr
    daily = sorted(p.name for p in (backups / "daily").iterdir())
    weekly = sorted(p.name for p in (backups / "weekly").iterdir())
    assert len(daily) == 14 and len(weekly) == 8
    assert "tanu-2020-01-08T013000Z.tanu" in daily and "tanu-2020-01-07T013000Z.tanu" not in daily
    newest = daily[-1]
    assert not newest.startswith("tanu-2020")  # today's backup
    assert "tanu-2020-W04.tanu" in weekly and "tanu-2020-W03.tanu" not in weekly
    assert (backups / "weekly" / weekly[-1]).samefile(backups / "daily" / newest)


def test_a_backup_that_does_not_read_back_fails_the_run_and_is_not_kept_as_a_backup(
    tmp_path: Path,
) -> None:
    backups = tmp_path / "backups"
    result = run_backup_script(backups, fake_tanu(tmp_path, verify_exit=1))
    assert result.returncode != 0
    assert list((backups / "daily").glob("*.tanu")) == []
    assert len(list((backups / "daily").glob("*.tanu.failed"))) == 1
    assert list((backups / "weekly").iterdir()) == []


def test_the_logrotate_file_passes_logrotate_debug(tmp_path: Path) -> None:
    logrotate = need("logrotate")
    text = (DEPLOY / "logrotate/tanu").read_text().replace("/var/log/tanu/", f"{tmp_path}/")
    text = text.replace("create 0600 tanu tanu", "create 0600")
    (tmp_path / "tanu").write_text(text)
    (tmp_path / "access.log").write_text("a line\n")
    result = subprocess.run(
        [logrotate, "--debug", "--state", str(tmp_path / "state"), str(tmp_path / "tanu")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()
