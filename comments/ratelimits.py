"""How often a reader may post: per network address and per author.

The limits are NEWSBOARD_RATE_LIMITS (scope -> (comments, seconds)). They
apply to readers posting through the site, not to imports or the admin.
"""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import ngettext

from .models import Comment
from .rules import authored_by


def check_rate_limits(*, user, guest_email, ip_address, now):
    """Refuse a comment over the per-IP or per-author limit (code "rate_limited").

    Counted from the comments table itself, so the limits hold across every
    server process without a shared cache: one query for both limits, each
    count answered from its index (the address's, the author's).
    """
    recent = {}  # scope -> its comments within its window
    if ip_address:
        recent["ip"] = Q(ip_address=ip_address, created_at__gte=now - window("ip"))
    if user is not None or guest_email:
        recent["author"] = authored_by(user, guest_email, created_at__gte=now - window("author"))
    if not recent:
        return
    counts = Comment.objects.filter(reduce(or_, recent.values())).aggregate(
        **{scope: Count("pk", filter=counted) for scope, counted in recent.items()}
    )
    for scope, count in counts.items():
        limit, seconds = settings.NEWSBOARD_RATE_LIMITS[scope]
        if count >= limit:
            raise ValidationError(
                ngettext(
                    "You are posting faster than this site allows. Please wait a minute and "
                    "send it again: your text is still here.",
                    "You are posting faster than this site allows. Please wait %(minutes)s "
                    "minutes and send it again: your text is still here.",
                    max(1, seconds // 60),
                )
                % {"minutes": max(1, seconds // 60)},
                code="rate_limited",
            )


def window(scope):
    return timedelta(seconds=settings.NEWSBOARD_RATE_LIMITS[scope][1])
