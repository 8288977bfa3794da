"""Large pieces of a page, joined in once the page is rendered.

Each template that encloses a piece of HTML copies it into its own output:
for a discussion shown whole, megabytes, copied once per level of the page
(the include, the block, the base template), which costs more than a fifth
of the page's time. A view whose response_class is FragmentedTemplateResponse
gives its templates `page_fragments`; a template tag hands a large piece to
it and outputs the short marker it gets back, and the response puts each
piece in place of its marker once, after the whole page is rendered.
"""

import secrets

from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe


class PageFragments:
    """The large pieces of one page, each under a marker no text on the page can match."""

    def __init__(self):
        self._prefix = f"<!--fragment {secrets.token_hex(8)}:"
        self._pieces = {}

    def defer(self, html):
        """The marker to output in place of html (safe HTML), which fill() puts back."""
        marker = f"{self._prefix}{len(self._pieces)}-->"
        self._pieces[marker] = html
        return mark_safe(marker)

    def fill(self, response):
        """Put each piece in place of its marker in the rendered response: in bytes, as
        the response holds them, so that the page is not encoded anew."""
        for marker, html in self._pieces.items():
            before, found, after = response.content.partition(marker.encode())
            if found:
                response.content = b"".join((before, html.encode(response.charset), after))


class FragmentedTemplateResponse(TemplateResponse):
    """A TemplateResponse whose templates may defer large pieces (see PageFragments).

    The pieces are filled in by the first of its post-render callbacks, so
    that any callback added later sees the whole page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_fragments = PageFragments()
        self.add_post_render_callback(self.page_fragments.fill)

    def resolve_context(self, context):
        return super().resolve_context({**(context or {}), "page_fragments": self.page_fragments})
