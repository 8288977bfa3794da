"""Databases made before the accounts app moved into newsboard/accounts/ need no migration.

The app keeps the label "newsboard" of the app that held the user model before, so the
table, content types, permissions and the rows in django_migrations keep their names.
(The move itself was checked by migrating databases made by the old code, on SQLite and
PostgreSQL; these tests keep the names that check relied on from drifting.)
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django_tasks_db.models import DBTaskResult

from newsboard.accounts.tasks import send_email_confirmation

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

MIGRATED_BEFORE_THE_MOVE = {
    ("newsboard", "0001_initial"),
    ("newsboard", "0002_commenter_standing"),
    ("newsboard", "0003_email_and_notifications"),
    ("newsboard", "0004_email_confirmation_sent"),
}


def test_user_model_keeps_its_label_and_table():
    accounts = apps.get_app_config("newsboard")
    assert accounts.name == "newsboard.accounts"
    assert get_user_model() is accounts.get_model("User")
    assert get_user_model()._meta.db_table == "newsboard_user"


def test_migrations_recorded_before_the_move_are_the_accounts_apps_own():
    executor = MigrationExecutor(connection)
    assert set(executor.loader.disk_migrations) >= MIGRATED_BEFORE_THE_MOVE
    for key in MIGRATED_BEFORE_THE_MOVE:
        assert executor.loader.disk_migrations[key].__module__.startswith(
            "newsboard.accounts.migrations."
        )
    assert set(MigrationRecorder(connection).applied_migrations()) >= MIGRATED_BEFORE_THE_MOVE
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_moderators_permission_keeps_its_name():
    permission = Permission.objects.get(codename="moderate_user")
    assert permission.content_type.app_label == "newsboard"
    assert permission.content_type.model == "user"


def test_models_and_migrations_agree():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_confirmation_emails_queued_before_the_move_are_found_by_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = UserFactory()
    send_email_confirmation.enqueue(member.pk)
    queued = DBTaskResult.objects.get()
    queued.task_path = "newsboard.tasks.send_email_confirmation"  # as main queued it
    queued.save(update_fields=["task_path"])
    rename = import_module("newsboard.accounts.migrations.0005_queued_tasks_follow_the_move")
    rename.rename_task_path(rename.OLD_PATH, rename.NEW_PATH)(apps, None)
    queued.refresh_from_db()
    assert queued.task.func is send_email_confirmation.func
