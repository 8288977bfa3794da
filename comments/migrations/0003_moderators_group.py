from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
# (app label, codename): what a moderator needs, and nothing more. No delete on
# comments: moderation never deletes rows; only superusers may.
PERMISSIONS = [
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "moderate_comment"),
    ("comments", "view_report"),
    ("comments", "view_moderationaction"),
    ("comments", "view_moderatedphrase"),
    ("comments", "add_moderatedphrase"),
    ("comments", "change_moderatedphrase"),
    ("comments", "delete_moderatedphrase"),
    ("comments", "view_block"),
    ("comments", "add_block"),
    ("comments", "change_block"),
    ("comments", "delete_block"),
    ("articles", "view_article"),
    ("newsboard", "view_user"),
    ("newsboard", "moderate_user"),
]


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("articles", "0002_article_close_comments_after_days_article_moderation"),
        ("comments", "0002_moderation"),
        ("newsboard", "0002_commenter_standing"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
