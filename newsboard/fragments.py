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

    def fill(self, page):
        for marker, html in self._pieces.items():
            before, found, after = page.partition(marker)
            if found:
                page = "".join((before, html, after))
        return page


class FragmentedTemplateResponse(TemplateResponse):
    """A TemplateResponse whose templates may defer large pieces (see PageFragments)."""

    @property
    def rendered_content(self):
        fragments = PageFragments()
        template = self.resolve_template(self.template_name)
        context = self.resolve_context({**(self.context_data or {}), "page_fragments": fragments})
        return fragments.fill(template.render(context, self._request))
