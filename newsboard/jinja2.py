"""The Jinja2 environment for the few templates that Django's template language renders too
slowly: the comment card, which a page of threads repeats thousands of times.

Django's own backend (django.template.backends.jinja2.Jinja2) loads these
templates from the apps' jinja2/ folders. What they can use besides Jinja2's
own filters is what Django's templates offer: `url()` (reverse), `static()`,
and translations through the i18n extension (`_()`, `gettext()`, `ngettext()`,
`{% trans %}`). Values that cost a Django call per use, such as dates in the
reader's time zone, are handed to the template ready to write by the code that
renders it (comments.threads.CardDates), which can remember them for a render.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment


def environment(**options):
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(static=static, url=reverse)
    return env
