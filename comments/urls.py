from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.post_comment, name="post"),
    path("articles/<slug:slug>/follow/", views.follow, name="follow"),
    path("articles/<slug:slug>/comments/new/", views.new_comments, name="new_comments"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/confirm/<str:token>/", views.confirm_follow, name="confirm_follow"),
    path("comments/<int:pk>/", views.CommentDetailView.as_view(), name="detail"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/report/", views.report, name="report"),
    path("comments/<int:pk>/vote/", views.vote, name="vote"),
    path("comments/<int:pk>/sign-in/", views.sign_in_to_vote, name="sign_in_to_vote"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("feeds/articles/<slug:slug>/comments/rss/", feeds.ArticleCommentsFeed(), name="rss"),
    path("feeds/articles/<slug:slug>/comments/atom/", feeds.ArticleCommentsAtomFeed(), name="atom"),
]
