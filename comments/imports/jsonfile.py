"""Newsboard's own comments file, written by export_comments and read by import_comments.

    {"format": "newsboard-comments", "version": 1, "articles": [
      {"slug": "…", "headline": "…", "url": "https://…/articles/…/", "published_at": "…Z",
       "comments": [
         {"id": 12, "parent": null,
          "author": {"name": "…", "email": "…", "account": "username" | null},
          "body": "Markdown, as typed", "status": "approved",
          "created_at": "…Z", "edited_at": null}]}]}

Times are ISO 8601 in UTC. An author whose account was deleted with their
comments kept has a null name. No passwords, votes, reports or IP addresses.
"""

import json
from datetime import UTC

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from comments.models import Comment

from .engine import BadExport, Post, Thread, chunks, guest_author, parse_moment

FORMAT = "newsboard-comments"
VERSION = 1


def write_export(write, articles, *, site_url):
    """Write the file for these articles, one comment at a time; returns the comments written."""
    written = 0
    write(f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "articles": [')
    for number, article in enumerate(articles):
        head = {
            "slug": article.slug,
            "headline": article.headline,
            "url": site_url + article.get_absolute_url(),
            "published_at": _moment(article.published_at),
        }
        fields = ", ".join(f"{json.dumps(key)}: {json.dumps(value)}" for key, value in head.items())
        write(f'{"," if number else ""}\n    {{{fields}, "comments": [')
        comments = (
            Comment.objects.filter(article=article)
            .select_related("user")
            .order_by("created_at", "pk")
            .iterator(chunk_size=1000)
        )
        for position, comment in enumerate(comments):
            write(f"{',' if position else ''}\n      {json.dumps(comment_data(comment))}")
            written += 1
        write("\n    ]}")
    write("\n  ]\n}\n")
    return written


def comment_data(comment):
    if comment.user_id:
        user = comment.user
        author = {"name": user.public_name, "email": user.email, "account": user.get_username()}
    elif comment.author_erased:
        author = {"name": None, "email": None, "account": None}
    else:
        author = {"name": comment.guest_name, "email": comment.guest_email, "account": None}
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": author,
        "body": comment.body,
        "status": comment.status,
        "created_at": _moment(comment.created_at),
        "edited_at": _moment(comment.edited_at),
    }


def _moment(value):
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


class CommentsFileReader:
    """Reads the whole file into memory (JSON has no streaming parser in the standard library).

    Comments by an account are attached to the account of that username here;
    when there is none, they become guest comments under the author's name.
    """

    source = "a Newsboard comments file"

    def __init__(self, path):
        self.path = path
        try:
            with open(path, "rb") as file:
                data = json.load(file)
        except OSError as error:
            raise BadExport(f"{path} cannot be read: {error.strerror or error}.") from error
        except ValueError as error:
            raise BadExport(f"{path} is not a JSON file: {error}.") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BadExport(f'{path} is not a Newsboard comments file (no "format": "{FORMAT}").')
        if data.get("version") != VERSION:
            raise BadExport(
                f"{path} is version {data.get('version')!r} of the format; this site reads "
                f"version {VERSION}."
            )
        self.articles = _get(data, "articles", list, str(path))
        self.accounts, self.notes = self._find_accounts()

    def describe(self, key):
        return f"comment {key}"

    def describe_thread(self, key):
        return f"article {key}"

    def _find_accounts(self):
        wanted = {}
        for where, comment in self._comments():
            author = _get(comment, "author", dict, where)
            username = _get(author, "account", str, where, null=True)
            if username:
                wanted[username] = wanted.get(username, 0) + 1
        User = get_user_model()
        accounts = {}
        for chunk in chunks(wanted):
            accounts.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
        missing = sorted(set(wanted) - set(accounts))
        if not missing:
            return accounts, ()
        count = sum(wanted[username] for username in missing)
        listed = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return accounts, (
            f"{count} comment(s) by {len(missing)} account(s) that are not on this site "
            f"({listed}) are guest comments under the author's name.",
        )

    def _comments(self):
        for number, article in enumerate(self.articles):
            where = f"{self.path}, articles[{number}]"
            if not isinstance(article, dict):
                raise BadExport(f"{where}: an article must be an object.")
            for position, comment in enumerate(_get(article, "comments", list, where)):
                place = f"{where}.comments[{position}]"
                if not isinstance(comment, dict):
                    raise BadExport(f"{place}: a comment must be an object.")
                yield place, comment

    def records(self):
        for number, article in enumerate(self.articles):
            where = f"{self.path}, articles[{number}]"
            slug = _get(article, "slug", str, where)
            try:
                validate_slug(slug)
            except ValidationError:
                raise BadExport(f"{where}: “{slug}” is not a slug.") from None
            published = _get(article, "published_at", str, where, null=True)
            yield Thread(
                key=slug,
                slugs=(slug,),
                new_slug=slug,
                headline=_get(article, "headline", str, where),
                published_at=parse_moment(published, where=f"{where}.published_at")
                if published
                else None,
                label=slug,
            )
            for position, comment in enumerate(article["comments"]):
                yield self._post(slug, comment, f"{where}.comments[{position}]")

    def _post(self, slug, comment, where):
        key = _get(comment, "id", int, where)
        where = f"{where} (id {key})"
        parent = _get(comment, "parent", int, where, null=True)
        author = comment["author"]
        name = _get(author, "name", str, where, null=True)
        email = _get(author, "email", str, where, null=True) or ""
        user_id = self.accounts.get(_get(author, "account", str, where, null=True))
        status = _get(comment, "status", str, where)
        if status not in Comment.Status.values:
            raise BadExport(f"{where}: “{status}” is not a status ({', '.join(Comment.Status)}).")
        edited = _get(comment, "edited_at", str, where, null=True)
        post = Post(
            key=str(key),
            thread_key=slug,
            parent_key=str(parent) if parent is not None else None,
            created_at=parse_moment(_get(comment, "created_at", str, where), where=where),
            body=_get(comment, "body", str, where),
            status=status,
            user_id=user_id,
            edited_at=parse_moment(edited, where=where) if edited else None,
        )
        if user_id is None and name is None and not author.get("account"):
            post.author_erased = True
        elif user_id is None:
            post.guest_name, post.guest_email = guest_author(
                name or "", email, fallback=author.get("account") or ""
            )
        return post


def _get(data, name, kind, where, *, null=False):
    value = data.get(name)
    if value is None and null:
        return None
    # bool is an int to Python, not to us.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = {str: "a string", int: "a number", list: "a list", dict: "an object"}[kind]
        raise BadExport(f"{where}: “{name}” must be {expected}{' or null' if null else ''}.")
    if kind is int and value < 1:
        raise BadExport(f"{where}: “{name}” must be 1 or more.")
    return value
