from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Section


class ArticleListView(ListView):
    """The front page: latest published articles, newest first."""

    paginate_by = settings.NEWSBOARD_ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().select_related("section")


class SectionView(ArticleListView):
    """One section's latest articles."""

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class ArticleDetailView(DetailView):
    """An article and, through the comments app's template tag, its discussion."""

    def get_queryset(self):
        queryset = Article.objects.select_related("section")
        if self.request.user.is_staff:
            return queryset
        return queryset.published()
