"""The operator's side: health check, production settings, static files."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def without_database(request_and_print):
    """Run a test-client request in a process of its own whose database is a real but
    unreachable PostgreSQL (nothing listens on port 9); returns what it printed."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "client = Client(raise_request_exception=False);" + request_and_print
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.split(), result.stderr


def test_healthz_says_unavailable_when_the_database_does_not_answer():
    printed, errors = without_database(
        "r = client.get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    assert printed == ["503", "unavailable"], errors


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "DJANGO_ALLOWED_HOSTS": "news.example.org",
        **extra,
    }


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_http_setups_can_relax_the_secure_defaults():
    env = production_env(
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_production_without_secret_key_stops_with_a_clear_message():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_pages_answer_503_with_a_retry_hint_while_the_database_is_away():
    printed, errors = without_database(
        "r = client.get('/');"
        "print(r.status_code, r['Retry-After'], 'Back in a moment' in r.content.decode())"
    )
    assert printed == ["503", "30", "True"], errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/articles/no-such-story/", 404, "Page not found"),
        ("/comments/999999/", 404, "Page not found"),
    ],
)
def test_error_pages_are_friendly_and_leak_nothing(client, settings, url, status, text):
    settings.DEBUG = False
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert text in html
    assert "Traceback" not in html and "settings" not in html.lower()


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'self'" in policy
    assert "form-action 'self'" in policy
