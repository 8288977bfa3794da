from django.core.cache import cache

from .models import Section

NAV_SECTIONS_CACHE_KEY = "articles:nav-sections"


def navigation(request):
    """The sections for the site navigation, cached so that pages pay no query for them.

    Kept on the request as well: a page renders some parts on their own
    (render_to_string with the request runs this again), and without a cache
    backend they would each ask the database.
    """
    sections = getattr(request, "_nav_sections", None)
    if sections is None:
        sections = cache.get(NAV_SECTIONS_CACHE_KEY)
        if sections is None:
            sections = [
                {"name": s.name, "url": s.get_absolute_url()} for s in Section.objects.all()
            ]
            cache.set(NAV_SECTIONS_CACHE_KEY, sections, 300)
        request._nav_sections = sections
    return {"nav_sections": sections}
