from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Members' accounts: the user model, sign-up, email confirmation and settings.

    The label stays "newsboard", the label of the app that held the user model before it
    moved here: the table (newsboard_user), AUTH_USER_MODEL ("newsboard.User"), content
    types, permissions ("newsboard.moderate_user") and the migration history keep their
    names, so a database made before the move needs no migration at all.
    """

    name = "newsboard.accounts"
    label = "newsboard"
    verbose_name = _("Accounts")
