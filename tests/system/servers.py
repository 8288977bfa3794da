"""The servers that the system tests, .ci/load_and_faults.py and `make bench` start:
gunicorn with the production settings (DEBUG off) and a throwaway redis-server.

    environment = production_environment(directory, DATABASE_URL=url)
    manage(environment, "collectstatic", "--noinput")
    with serve(environment, log_path=directory / "gunicorn.log", workers=2) as site:
        urllib.request.urlopen(site.url + "/healthz")

Ports are taken from a first port up, below Linux's ephemeral range (32768 and up),
where any client's socket may hold a port at any moment. gunicorn is handed its
listening socket already bound (`--bind fd://N`), so no other run can take the port
between the choice and the bind. The throwaway PostgreSQL server is .ci/postgres.sh's.

Only the standard library: the load script and the bench import this module without
Django set up, with the project's root on sys.path. `python -m tests.system.servers DIR`
prints the production variables as shell exports, for bench/run.sh.
"""

import http.client
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_FIRST_PORT = 28100
REDIS_FIRST_PORT = 26400
STARTUP_SECONDS = 60
# The site's own variables, which a server started here never inherits from ours.
SITE_VARIABLES = ("DJANGO_", "NEWSBOARD_", "DATABASE_", "EMAIL_", "REDIS_")


class ServerError(RuntimeError):
    """A server did not start, or a command for it failed; the message holds its output."""


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    port: int
    process: subprocess.Popen
    log_path: Path


def production_variables(directory):
    """The site's variables for the production settings (DEBUG off) relaxed for plain HTTP
    on 127.0.0.1: a new secret key, static files collected into directory/static (see
    production_settings.py) and uploads in directory/media."""
    directory = Path(directory)
    return {
        "DJANGO_SETTINGS_MODULE": "tests.system.production_settings",
        "NEWSBOARD_RUN_STATIC_ROOT": str(directory / "static"),
        "DJANGO_MEDIA_ROOT": str(directory / "media"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
    }


def production_environment(directory, **variables):
    """The environment of an app process: ours without any of the site's variables, the
    production variables above, the project on PYTHONPATH, then `variables`
    (DATABASE_URL among them)."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(SITE_VARIABLES)
    }
    environment.update(production_variables(directory), PYTHONPATH=str(ROOT), **variables)
    return environment


def manage(environment, *args):
    """Runs manage.py with these arguments in that environment; returns what it printed."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port(first):
    """The first port from `first` up that could be bound on 127.0.0.1 just now."""
    for port in count(first):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def listening_socket(first):
    """A socket listening on 127.0.0.1, on the first port from `first` up that is free."""
    for port in count(first):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", port))
        except OSError:
            listener.close()
            continue
        listener.listen(2048)
        return listener


def log_tail(log_path, lines=40):
    with suppress(OSError):
        return "\n".join(Path(log_path).read_text(errors="replace").splitlines()[-lines:])
    return ""


def wait_until(ready, what, process, log_path):
    """Polls ready() until it is true; raises ServerError with the log if the process
    exits or does not get there within STARTUP_SECONDS."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise ServerError(f"{what} did not come up; its log:\n{log_tail(log_path)}")
        time.sleep(0.1)


def stop(process):
    """Stops a server (gunicorn's master stops its workers) and waits for it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answers_200(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # HTTPError (4xx, 5xx) is an OSError
        return False


@contextmanager
def serve(environment, *, log_path, workers=1, options=(), first_port=GUNICORN_FIRST_PORT):
    """gunicorn newsboard.wsgi in that environment, once /healthz answers 200; a Server.

    gunicorn's control socket is off: its default path is one per user, which
    servers running side by side would take from one another. `options` go to
    gunicorn's command line (--timeout, --log-level, --pid ...). Stopped on leaving.
    """
    with listening_socket(first_port) as listener, open(log_path, "a") as log:
        port = listener.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsboard.wsgi",
             "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
             "--no-control-socket", *options],
            cwd=ROOT,
            env=environment,
            pass_fds=[listener.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers_200(f"{url}/healthz"), "gunicorn", process, log_path)
        yield Server(url, port, process, Path(log_path))
    finally:
        stop(process)


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def serve_redis(directory, *, executable="redis-server", first_port=REDIS_FIRST_PORT):
    """A redis-server on 127.0.0.1 that keeps nothing on disk, once it answers PING; its
    redis:// URL. Stopped on leaving. redis-server binds the port itself: when another
    run took it since free_port() saw it free, the next one is tried."""
    directory = Path(directory)
    log_path = directory / "redis.log"
    port = first_port
    for attempt in range(5):
        port = free_port(port)
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory), "--logfile", str(log_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(partial(redis_answers, port), "redis-server", process, log_path)
        except ServerError:
            stop(process)
            if attempt == 4 or "Address already in use" not in log_tail(log_path, lines=5):
                raise
            port += 1
        else:
            break
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


if __name__ == "__main__":
    # bench/run.sh, whose every step runs with these: eval "$(python -m tests.system.servers DIR)"
    for name, value in production_variables(sys.argv[1]).items():
        print(f"export {name}={shlex.quote(value)}")
