from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsboardConfig(AppConfig):
    name = "newsboard"
    verbose_name = _("Newsboard")
