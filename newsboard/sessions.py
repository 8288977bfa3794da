from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class SessionStore(db.SessionStore):
    """Django's database sessions, except that the database going away while a session
    is saved stays what it is: an outage, answered 503 with a retry hint, not a 400
    "session interrupted" (the request itself may well have succeeded)."""

    def save(self, must_create=False):
        try:
            super().save(must_create)
        except UpdateError as error:
            if isinstance(error.__context__, OperationalError | InterfaceError):
                raise error.__context__ from None
            raise
