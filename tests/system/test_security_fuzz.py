"""Posting arbitrary text into every field of the comment form (Hypothesis).

Whatever a guest sends (control characters, NUL, bidirectional overrides,
emoji, combining marks, 100,000 characters), the site never fails with a
server error. The comment is either stored as typed, after the documented
normalization (line endings made "\\n" in the body, whitespace collapsed in the
name), or refused with status 400 and the typed text still in the form.
"""

from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape as jinja2_escape

from comments.models import Comment

from ..factories import ArticleFactory, post

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# The examples share one test database (the db fixture is per test, not per example),
# and Hypothesis's example database would write into the project: keep it off.
fuzz = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

LONG = 100_000
HUGE_TEXTS = [
    "a" * LONG,
    "😀" * LONG,
    "\u0301" * LONG,
    "\r\n" * (LONG // 2),
    "<&>\"'" * (LONG // 5),
]

any_character = st.characters(exclude_categories=("Cs",))
control_character = st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\xa0\u2028\u2029")
direction_mark = st.sampled_from(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
invisible = st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u00ad")
emoji = st.sampled_from(["😀", "👍🏽", "🏳️‍🌈", "👨‍👩‍👧‍👦", "🇺🇦", "🫠", "❤️"])
combining_mark = st.characters(categories=("Mn", "Mc", "Me"))
markup = st.sampled_from(["\r\n", "\r", "\n", "\t", "<", ">", "&", '"', "'", "\x00", "  "])

tricky_text = st.lists(
    st.one_of(
        any_character, control_character, direction_mark, invisible, emoji, combining_mark, markup
    ),
    max_size=60,
).map("".join)
field_text = st.one_of(st.text(any_character), tricky_text)

# Numbers that keep each example's body distinct, so no post is taken for a double click.
bodies = count()


@pytest.fixture
def no_limits(settings):
    """Rate limits and link holds would refuse or hold fuzzed comments for other reasons."""
    settings.NEWSBOARD_RATE_LIMITS = {"ip": (1_000_000, 600), "author": (1_000_000, 300)}
    settings.NEWSBOARD_MAX_LINKS = 1_000_000


@pytest.fixture
def send(article, no_limits):
    """Post the comment form as a new guest; a server error comes back as a 500."""

    def send(**fields):
        data = {
            "body": "A fuzzed comment.",
            "name": "Fuzz Tester",
            "email": "fuzz@example.org",
            **fields,
        }
        url = reverse("comments:post", kwargs={"slug": article.slug})
        return Client(raise_request_exception=False).post(url, data)

    return send


def posted(response):
    """The comment a 303 response points at."""
    assert response.status_code == 303, response.status_code
    return Comment.objects.get(pk=response["Location"].strip("/").rsplit("/", 1)[1])


def refused_with_text_kept(response, **typed):
    """A 400 whose form still holds every typed value, HTML-escaped. (A value that is only
    whitespace has nothing to keep: the form's markup may squeeze it.)"""
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    return all(escape(value) in page for value in typed.values() if value.strip())


def line_endings_normalized(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The body -------------------------------------------------------------------------------


@fuzz
@given(body=field_text)
@example(body="")
@example(body="\r\n \t")
@example(body="\x00")
@example(body="x" * 5_000)
@example(body="x" * 5_001)
@example(body="\r\n" * 2_600 + "x")
@example(body=HUGE_TEXTS[0])
@example(body=HUGE_TEXTS[1])
@example(body=HUGE_TEXTS[2])
@example(body=HUGE_TEXTS[3])
@example(body=HUGE_TEXTS[4])
def test_any_body_is_stored_as_typed_or_refused_with_the_text_kept(send, body):
    response = send(body=body)
    # What the form checks: the text without surrounding whitespace, line endings made "\n".
    checked = line_endings_normalized(body).strip()
    if not checked or "\x00" in checked or len(checked) > 5_000:
        assert refused_with_text_kept(response, body=body)
    else:
        stored = posted(response).body
        # As typed, line endings normalized; at most whitespace at the ends is dropped.
        assert stored.strip() == checked
        assert stored in line_endings_normalized(body)


def test_comment_that_starts_with_an_indented_code_block_keeps_it(send):
    body = "    def greet():\n        return 'hello'\n\nThat is my favourite function."
    comment = posted(send(body=body))
    assert comment.body == body
    assert comment.body_html.startswith("<pre><code>def greet():")


# The guest's name -----------------------------------------------------------------------


@fuzz
@given(name=field_text)
@example(name="")
@example(name=" \t\r\n")
@example(name="Zoë\x00")
@example(name="x" * 80)
@example(name=" x " * 40)
@example(name="x" * 81)
@example(name="\u202eevil\u202c <b>Bob</b> & 'co'")
@example(name=HUGE_TEXTS[0])
@example(name=HUGE_TEXTS[1])
@example(name=HUGE_TEXTS[2])
def test_any_guest_name_is_shown_as_typed_or_refused_with_the_text_kept(send, name):
    number = next(bodies)
    body = f"A comment by a fuzzed name, number {number}."
    response = send(name=name, body=body)
    collapsed = " ".join(name.split())
    if not collapsed or "\x00" in name or len(collapsed) > 80:
        assert refused_with_text_kept(response, name=name, body=body)
    else:
        comment = posted(response)
        assert comment.guest_name == collapsed
        page = Client().get(comment.get_absolute_url()).content.decode()
        # the card is a Jinja2 template: quotes come out as &#34; and &#39;, not &quot; and &#x27;
        assert f'<span class="comment-author">{jinja2_escape(collapsed)}</span>' in page


# The guest's e-mail address ---------------------------------------------------------------


emails = st.one_of(
    field_text,
    st.emails(),
    st.emails().map(str.upper),
    st.tuples(st.sampled_from([" ", "\t", "\n"]), st.emails()).map(lambda pair: "".join(pair)),
)


@fuzz
@given(email=emails)
@example(email="")
@example(email="reader@example.org\x00")
@example(email="a" * 245 + "@example.org")
@example(email=HUGE_TEXTS[0] + "@example.org")
@example(email=HUGE_TEXTS[1])
def test_any_email_is_stored_lowercased_and_never_shown_or_refused_with_the_text_kept(send, email):
    number = next(bodies)
    body = f"A comment from a fuzzed address, number {number}."
    response = send(email=email, body=body)
    assert response.status_code in (303, 400), response.status_code
    if response.status_code == 400:
        assert refused_with_text_kept(response, email=email, body=body)
    else:
        comment = posted(response)
        assert comment.guest_email == email.strip().lower()
        page = Client().get(comment.get_absolute_url()).content.decode()
        assert escape(comment.guest_email) not in page


@settings(fuzz, max_examples=20)
@given(email=st.emails())
def test_an_ordinary_address_is_accepted(send, email):
    assert send(email=email, body=f"Ordinary address {next(bodies)}").status_code == 303


# The comment replied to -------------------------------------------------------------------


@pytest.fixture
def threads(article):
    """A comment here to reply to, and one on another article that replies may not reach."""
    here = post(article, "Reply to me.")
    elsewhere = post(ArticleFactory(), "Not in this discussion.")
    return here, elsewhere


def parents(threads):
    here, elsewhere = threads
    return st.one_of(
        field_text,
        st.integers().map(str),
        st.sampled_from([here.pk, elsewhere.pk, 0, -here.pk, 2**63 - 1, 2**63, 2**64]).map(str),
        st.tuples(st.sampled_from(["", " ", "0", "00", "\t", "+"]), st.just(str(here.pk))).map(
            "".join
        ),
        st.sampled_from([f"{here.pk}.0", f"{here.pk}\x00", f"٣{here.pk}", f"{here.pk}x"]),
    )


def reply_target(value):
    """The id a parent value names, as the form reads it, or None for no parent."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and len(value.lstrip("0")) <= 19:
        number = int(value)
        return number if 0 < number < 2**63 else "invalid"
    return "invalid"


@fuzz
@given(data=st.data())
def test_any_parent_is_a_reply_a_new_thread_or_refused_with_the_text_kept(
    send, threads, article, data
):
    parent = data.draw(parents(threads), label="parent")
    body = f"A reply to a fuzzed parent, number {next(bodies)}."
    response = send(parent=parent, body=body)
    target = reply_target(parent)
    if target is None:
        assert posted(response).parent_id is None
    elif isinstance(target, int) and Comment.objects.filter(pk=target, article=article).exists():
        assert posted(response).parent_id == target
    else:
        assert refused_with_text_kept(response, parent=parent, body=body)


@fuzz
@given(parent=st.sampled_from([text for text in HUGE_TEXTS if text.strip()]))
def test_a_100000_character_parent_is_refused_with_the_text_kept(send, parent):
    body = f"A reply to a long parent, number {next(bodies)}."
    assert refused_with_text_kept(send(parent=parent, body=body), body=body)


@pytest.mark.parametrize("digits", [4_301, LONG])
def test_a_parent_of_thousands_of_digits_is_refused_with_the_text_kept(send, digits):
    body = "A reply to a parent with very many digits."
    assert refused_with_text_kept(send(parent="9" * digits, body=body), body=body)


# The other fields, and all of them at once -------------------------------------------------


@settings(fuzz, max_examples=30)
@given(website=field_text)
@example(website=HUGE_TEXTS[0])
def test_any_honeypot_value_is_spam_when_filled_and_never_a_server_error(send, website):
    number = next(bodies)
    body = f"A comment with a fuzzed honeypot, number {number}."
    # A new author each time: an author whose comments were mostly spam is held.
    response = send(website=website, body=body, email=f"honeypot{number}@example.org")
    if "\x00" in website:
        assert refused_with_text_kept(response, body=body)
    elif website.strip():
        assert posted(response).status == Comment.Status.SPAM
    else:
        assert posted(response).status == Comment.Status.APPROVED


@settings(fuzz, max_examples=20)
@given(notify_replies=field_text)
@example(notify_replies=HUGE_TEXTS[0])
def test_any_notify_replies_value_is_accepted(send, notify_replies):
    body = f"A comment with a fuzzed reply-mail choice, number {next(bodies)}."
    assert send(notify_replies=notify_replies, body=body).status_code == 303


@settings(fuzz, max_examples=40)
@given(
    fields=st.dictionaries(
        st.sampled_from(["body", "name", "email", "parent", "website", "notify_replies"]),
        field_text,
    )
)
def test_any_mix_of_fields_is_posted_or_refused_never_a_server_error(article, no_limits, fields):
    url = reverse("comments:post", kwargs={"slug": article.slug})
    response = Client(raise_request_exception=False).post(url, fields)
    assert response.status_code in (303, 400)
