import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# Characters that must not appear raw inside a <script> element ("</script>", "<!--").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data, more=None):
    """Structured data, with the properties `more` adds (such as those of a discussion),
    as JSON for a <script type="application/ld+json"> element that no text in it can
    close."""
    if more:
        data = {**data, **more}
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))
