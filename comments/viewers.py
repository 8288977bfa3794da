"""Who is reading a discussion: an account, or a guest known by the cookie their browser keeps.

A guest's cookie holds the name and email they gave last, filled into the
next form, and the ids of the comments they posted, which they see while
those await moderation and may edit or delete. It is a signed cookie of its
own rather than a database session, so that a guest's post costs no session
read or write; the signature keeps anyone from claiming comments that are
not theirs. Its name is the NEWSBOARD_GUEST_COOKIE_NAME setting, which
NEWSBOARD_PERSONAL_COOKIES lists: a guest's page is their own, never the
page kept for everyone.
"""

import json

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone

from .models import Comment, Vote

GUEST_COOKIE_SALT = "comments.guest"
GUEST_COMMENTS_REMEMBERED = 200


class Viewer:
    """Who is looking at a discussion, and so which comments they see besides approved ones.

    Authors see their own comments in any status but deleted: an account its
    comments, a guest the comments their cookie lists (guest_state()).
    Moderators see every comment, so they can decide in context.
    """

    def __init__(self, user=None, guest_comment_ids=()):
        self.user = user if user is not None and user.is_authenticated else None
        # Only staff reach the moderation tools; asking staff alone saves readers two queries.
        self.is_moderator = bool(
            self.user and self.user.is_staff and self.user.has_perm("comments.moderate_comment")
        )
        self.guest_comment_ids = frozenset(guest_comment_ids)

    @property
    def sees_only_public(self):
        """Whether this viewer sees exactly what everyone sees (so a cached page will do)."""
        return self.user is None and not self.guest_comment_ids

    def own_comments_q(self):
        if self.is_moderator:
            return Q(pk__isnull=False)
        not_deleted = ~Q(status=Comment.Status.DELETED)
        if self.user is not None:
            return Q(user=self.user) & not_deleted
        return Q(pk__in=self.guest_comment_ids) & not_deleted

    def owns(self, comment):
        if self.user is not None:
            return comment.user_id == self.user.pk
        return comment.pk in self.guest_comment_ids

    def can_see(self, comment):
        if comment.is_approved or self.is_moderator:
            return True
        return self.owns(comment) and comment.status != Comment.Status.DELETED


def viewer_for(request):
    """The Viewer for this request: an account, or a guest with the comments they posted."""
    if request.user.is_authenticated:
        return Viewer(request.user)
    return Viewer(guest_comment_ids=guest_state(request).get("comments", ()))


def guest_state(request):
    """What the guest's cookie says: {"name", "email", "comments"}, or {} for a reader
    without a valid one."""
    value = request.get_signed_cookie(
        settings.NEWSBOARD_GUEST_COOKIE_NAME,
        default=None,
        salt=GUEST_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
    )
    return json.loads(signing.b64_decode(value.encode())) if value else {}


def remember_guest(response, request, data, comment):
    """Keep the name and email the guest gave, and their new comment, in their cookie."""
    posted = guest_state(request).get("comments", [])
    if comment.pk not in posted:
        posted = [*posted, comment.pk][-GUEST_COMMENTS_REMEMBERED:]
    state = {"name": data["name"], "email": data["email"], "comments": posted}
    response.set_signed_cookie(
        settings.NEWSBOARD_GUEST_COOKIE_NAME,
        # base64: names and addresses may hold characters a cookie cannot
        signing.b64_encode(json.dumps(state, separators=(",", ":")).encode()).decode(),
        salt=GUEST_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_guest(response):
    """Drop the guest's cookie, as signing out drops the session."""
    response.delete_cookie(settings.NEWSBOARD_GUEST_COOKIE_NAME, samesite="Lax")


def attach_viewer_state(comments, viewer):
    """Set `my_vote` (1, -1 or 0), `viewer_owns` and `editable` on each comment for the viewer.

    One query, for signed-in readers only.
    """
    mine = {}
    if viewer.user is not None and comments:
        mine = dict(
            Vote.objects.filter(user=viewer.user, comment__in=[c.pk for c in comments]).values_list(
                "comment_id", "value"
            )
        )
    now = timezone.now()
    for comment in comments:
        comment.my_vote = mine.get(comment.pk, 0)
        comment.viewer_owns = viewer.owns(comment) and comment.status != Comment.Status.DELETED
        comment.editable = comment.viewer_owns and comment.is_editable_at(now)
    return comments
