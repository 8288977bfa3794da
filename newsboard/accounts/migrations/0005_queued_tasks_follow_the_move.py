"""Confirmation e-mails queued before the accounts app moved name the task's old module.

The database task backend stores each task's dotted path; a worker would fail to import
"newsboard.tasks" now that the task is in newsboard.accounts.tasks. No schema changes.
"""

from django.db import migrations

OLD_PATH = "newsboard.tasks.send_email_confirmation"
NEW_PATH = "newsboard.accounts.tasks.send_email_confirmation"


def rename_task_path(old, new):
    def rename(apps, schema_editor):
        task_results = apps.get_model("django_tasks_database", "DBTaskResult")
        task_results.objects.filter(task_path=old).update(task_path=new)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("newsboard", "0004_email_confirmation_sent"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            rename_task_path(OLD_PATH, NEW_PATH),
            rename_task_path(NEW_PATH, OLD_PATH),
            elidable=True,
        ),
    ]
