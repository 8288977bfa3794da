"""The Jinja2 environment for the few templates that Django's template language renders too
slowly: the comment card, which a page of threads repeats thousands of times.

Django's own backend (django.template.backends.jinja2.Jinja2) loads these
templates from the apps' jinja2/ folders. What they can use besides Jinja2's
own filters is what Django's templates offer: `url()` (reverse), `static()`,
translations through the i18n extension (`_()`, `gettext()`, `ngettext()`,
`{% trans %}`), and the `localtime` and `date` filters, which together write a
datetime in the current time zone as Django's |date filter does.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from jinja2 import Environment


def date(value, format_name="DATETIME_FORMAT"):
    """value in a format or a named one (DATETIME_FORMAT), as Django's |date writes it.

    Like |date, it writes the value as it is: Django's templates put datetimes
    in the current time zone before any filter sees them, here |localtime does
    (c.created_at|localtime|date).
    """
    return formats.date_format(value, format_name)


def environment(**options):
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(static=static, url=reverse)
    env.filters.update(date=date, localtime=timezone.localtime)
    return env
