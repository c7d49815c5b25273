"""A throwaway PostgreSQL server for the tests, from Debian's `apt-get install postgresql`.

initdb and pg_ctl refuse to run as root, so under root they run as the `postgres` user, on a data
directory that user owns. The server listens on 127.0.0.1 at a free port (and a socket in its own
directory), trusts local connections, and skips fsync: the tests need a real server, not a durable
one. Only the role PASSWORD_ROLE must give its password, so that a refused password can be tested.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import URL

INSTALLED = Path("/usr/lib/postgresql")
PASSWORD_ROLE, PASSWORD = "phuluc_password", "right-password"
SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "listen_addresses": "127.0.0.1"}
HBA = f"""\
host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256
local all all trust
host all all 127.0.0.1/32 trust
"""
MISSING = (f"PostgreSQL's server binaries are not under {INSTALLED}/<version>/bin: install them "
           "with `apt-get install -y postgresql` (the README's test command does)")


def binaries() -> Path | None:
    """The bin folder of the newest installed server (/usr/lib/postgresql/<version>/bin)."""
    found = sorted(INSTALLED.glob("*/bin/pg_ctl"),
                   key=lambda p: tuple(int(n) for n in p.parents[1].name.split(".")))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running server; `stop` ends it and deletes its files."""

    def __init__(self, programs: Path) -> None:
        self.programs = programs
        self.root = Path(tempfile.mkdtemp(prefix="phuluc-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        try:
            self._start()
        except BaseException:
            with contextlib.suppress(RuntimeError):
                self.stop()  # the server, if it started; its files either way
            raise

    def _start(self) -> None:
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        (self.data / "pg_hba.conf").write_text(HBA)
        options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
        self._run("pg_ctl", "-D", self.data, "-l", self.root / "log", "-w", "start",
                  "-o", f"-p {self.port} -k {self.root} {options}")
        self.admin(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(PASSWORD_ROLE), PASSWORD))

    def _run(self, program: str, *args: str | Path) -> None:
        """Run a server program, as `postgres` under root; its output joins the error it raises."""
        command = [str(self.programs / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, check=False)
        if done.returncode:
            log = self.root / "log"
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}"
                               + (log.read_text() if log.exists() else ""))

    def admin(self, statement: sql.Composable) -> None:
        """Run one statement as the superuser, outside a transaction (CREATE DATABASE needs it)."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        return URL.create("postgresql+psycopg", user, password, "127.0.0.1", self.port,
                          database).render_as_string(hide_password=False)

    def create_database(self) -> str:
        """A new, empty database; its name."""
        name = f"phuluc_test_{next(self._names)}"
        self.admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop a test's database, closing any connection it left open."""
        self.admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
