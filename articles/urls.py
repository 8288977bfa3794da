from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/articles/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/articles/atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
    path("feeds/sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section_rss"),
    path("feeds/sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_atom"),
]
