"""The visitors of the permission tests, and the world they share.

The roles: anonymous; a guest (a browser that posted a comment); a member who wrote a
comment; another member; a banned member; a moderator (staff in the Moderators group);
a superuser. `conftest.py` builds the world once per test module; each test's changes
are rolled back after it.
"""

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Block, Comment, ModeratedPhrase, ModerationAction

ROLES = (
    "anonymous",
    "guest",
    "member",
    "other-member",
    "banned-member",
    "moderator",
    "superuser",
)
SIGNED_IN = {"member", "other-member", "banned-member", "moderator", "superuser"}
STAFF = {"moderator", "superuser"}


@dataclass
class World:
    """What every test here reads and acts on."""

    article: Article
    draft: Article
    users: dict  # role → User
    cookies: dict  # role → {name: value}: the session's, or the guest's
    members_comment: Comment  # by "member", approved
    guests_comment: Comment  # by "guest", approved
    held_comment: Comment  # by "member", pending
    featured_comment: Comment  # by "other-member", approved and featured
    decision: ModerationAction
    phrase: ModeratedPhrase
    block: Block

    def visitor(self, role, **client_options):
        """A browser with this role's cookies."""
        client = Client(**client_options)
        for name, value in self.cookies.get(role, {}).items():
            client.cookies[name] = value
        return client


def url(name, *objects, query=""):
    """world → the URL of a named route for objects of the world (attribute names)."""

    def resolve(world):
        args = [getattr(world, attribute).pk for attribute in objects]
        return reverse(name, args=args) + query

    return resolve


def slug_url(name, attribute="article"):
    return lambda world: reverse(name, kwargs={"slug": getattr(world, attribute).slug})


def user_url(name, role):
    return lambda world: reverse(name, args=[world.users[role].pk])


def fixed(path):
    return lambda world: path


def reloaded(instance):
    return type(instance).objects.filter(pk=instance.pk).first()
