"""A PostgreSQL cluster of the test's own (``initdb`` + ``pg_ctl`` in a temporary folder, on a
port of its own), that a test may stop and start again. The shared server is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.instances import free_port


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class PrivateCluster:
    def __init__(self, folder: Path) -> None:
        binaries = _binaries()
        if binaries is None:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL's initdb and pg_ctl are required in CI")
            pytest.skip("no PostgreSQL binaries (initdb, pg_ctl): private-cluster tests skipped")
        self.bin, self.folder, self.port = binaries, folder, free_port()
        self.data = folder / "data"
        folder.mkdir(parents=True, exist_ok=True)
        self._as_owner = os.geteuid() == 0  # initdb refuses root: run as postgres then
        if self._as_owner:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                  "-E", "UTF8")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create(self, database: str) -> str:
        from domain.persistence.database import create_database

        url = create_database(self.url(), database)
        assert url is not None, "the private cluster does not answer"
        return url

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self._as_owner:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)
