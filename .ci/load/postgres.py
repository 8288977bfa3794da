"""The throwaway PostgreSQL server of the load and fault run."""

import glob
import os
import shutil
import subprocess
import tempfile
import time

from load import Violation, read_log


class Postgres:
    """A throwaway cluster that can be stopped and started again on the same data and port.

    pg_stop in .ci/postgres.sh also deletes the data, so the restart needs this instead.
    """

    def __init__(self, port):
        bins = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda path: int(path.split("/")[-2].split(".")[0]),
        )
        if not bins or not os.access(f"{bins[-1]}/initdb", os.X_OK):
            raise Violation(
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)"
            )
        self.bin = bins[-1]
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="newsboard-pg.")
        self.data = f"{self.dir}/data"
        self.log_path = f"{self.dir}/postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/newsboard"
        self.process = None
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def _as_owner(self, *command):
        # initdb and postgres refuse to run as root.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def init(self):
        result = subprocess.run(
            self._as_owner(
                f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            ),
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode:
            raise Violation(f"initdb failed:\n{result.stdout}{result.stderr}")

    def start(self):
        """Starts the server; returns once it accepts connections."""
        with open(self.log_path, "a") as server_log:
            self.process = subprocess.Popen(
                self._as_owner(
                    f"{self.bin}/postgres", "-D", self.data, "-p", str(self.port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", f"unix_socket_directories={self.dir}",
                    # Speed only: a restart of the server loses nothing committed either way.
                    "-c", "fsync=off", "-c", "full_page_writes=off",
                ),
                stdin=subprocess.DEVNULL,
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.accepts_connections():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_tail = "\n".join(read_log(self.log_path)[-30:])
                raise Violation(f"PostgreSQL did not start; its log:\n{log_tail}")
            time.sleep(0.05)

    def accepts_connections(self):
        command = [f"{self.bin}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run([*command, "-U", "postgres", "-d", "postgres"]).returncode == 0

    def create_database(self):
        subprocess.run(
            [f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "newsboard"],
            check=True,
        )  # fmt: skip

    def stop(self):
        """Fast shutdown (open sessions are ended); returns once the server is gone."""
        if self.process is None:
            return
        stopped = subprocess.run(
            self._as_owner(f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"),
            capture_output=True,
        )
        if stopped.returncode and self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
