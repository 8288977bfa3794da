"""Uploaded article images are checked, and no URL a user typed is fetched by the server.

Every upload goes through the admin, as an editor's does: a staff member with
the article permissions posts the add or change form with an image made in
memory with Pillow. A refused image comes back as an error on the form, never a
server error, with the rest of what the editor typed kept.
"""

import os
import socket
import struct
import threading
import urllib.request
import zlib
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Section

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADLINE = "Flood barrier holds as the river peaks"
BODY = "The barrier held through the night, *engineers said*."

TOO_MANY_PIXELS = "Images may have at most 50 megapixels: this one has more."
NOT_AN_ACCEPTED_IMAGE = "Upload a JPEG, PNG or WebP image: this file is not one"
UNREADABLE = "This image cannot be read: the file is damaged or incomplete."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a folder of their own, removed after the test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor(client):
    """A client signed in as a staff member allowed to add and change articles."""
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["add_article", "change_article", "view_article"],
        )
    )
    client.force_login(user)
    return client


def image_file(name, image_format, size=(1200, 800)):
    buffer = BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def noise_png(name, size):
    """A PNG of random pixels, which does not compress: its file is about 3 bytes a pixel."""
    width, height = size
    buffer = BytesIO()
    Image.frombytes("RGB", size, os.urandom(width * height * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def png_claiming(size):
    """A PNG of one pixel whose header (IHDR) claims `size`: a few bytes that Pillow
    would try to decode into gigabytes."""
    buffer = BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    png = bytearray(buffer.getvalue())
    header = png[12:29]  # the IHDR chunk's type and data, which its CRC covers
    header[4:12] = struct.pack(">II", *size)
    png[12:33] = header + struct.pack(">I", zlib.crc32(header))
    return SimpleUploadedFile("lead.png", bytes(png))


def article_form(**fields):
    """What an editor types in the admin's article form, plus `fields`."""
    now = timezone.localtime()
    return {
        "headline": HEADLINE,
        "slug": "flood-barrier-holds",
        "standfirst": "",
        "section": Section.objects.get_or_create(name="World", slug="world")[0].pk,
        "dateline": "RIVERTON",
        "byline": "",
        "body": BODY,
        "lead_image_caption": "The barrier at dawn",
        "lead_image_credit": "",
        "status": Article.Status.PUBLISHED,
        "published_at_0": now.date().isoformat(),
        "published_at_1": now.strftime("%H:%M:%S"),
        "comments_mode": Article.CommentsMode.OPEN,
        "moderation": "",
        "close_comments_after_days": "",
        **fields,
    }


def add_article(client, **fields):
    return client.post(reverse("admin:articles_article_add"), article_form(**fields))


def lead_image_errors(response):
    assert response.status_code == 200, "the form should come back with its errors"
    return " ".join(response.context["adminform"].form.errors.get("lead_image", []))


@pytest.mark.parametrize(
    "name, image_format", [("lead.jpg", "JPEG"), ("lead.png", "PNG"), ("lead.webp", "WEBP")]
)
def test_jpeg_png_and_webp_are_accepted_with_a_thumbnail(editor, name, image_format):
    response = add_article(editor, lead_image=image_file(name, image_format))

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.lead_image_width, article.lead_image_height) == (1200, 800)
    with Image.open(article.lead_image_thumbnail) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 270))


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(editor, settings):
    settings.NEWSBOARD_MAX_IMAGE_BYTES = 100 * 1024
    upload = noise_png("lead.png", (300, 300))
    assert upload.size > 100 * 1024

    response = add_article(editor, lead_image=upload)

    errors = lead_image_errors(response)
    assert "Images may be at most 100.0\N{NO-BREAK SPACE}KB: this file is" in errors
    assert not Article.objects.exists()


def test_a_gif_renamed_png_is_refused(editor):
    response = add_article(editor, lead_image=image_file("lead.png", "GIF"))

    assert NOT_AN_ACCEPTED_IMAGE in lead_image_errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">'
        b"<script>alert(1)</script></svg>",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
    ],
    ids=["svg", "html"],
)
def test_svg_or_html_renamed_jpg_is_refused(editor, content):
    response = add_article(editor, lead_image=SimpleUploadedFile("lead.jpg", content))

    assert NOT_AN_ACCEPTED_IMAGE in lead_image_errors(response)
    assert not Article.objects.exists()


def test_a_truncated_jpeg_is_refused(editor):
    whole = image_file("lead.jpg", "JPEG").read()
    truncated = SimpleUploadedFile("lead.jpg", whole[: len(whole) // 2])

    response = add_article(editor, lead_image=truncated)

    assert UNREADABLE in lead_image_errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "size",
    [(8000, 8000), (30000, 30000)],
    ids=["over-our-limit", "over-pillows-own-limit"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(editor, size):
    """A PNG whose header claims 64 or 900 megapixels. The first is refused by our
    limit, the second already by Pillow's own (DecompressionBombError): the same
    message for both."""
    bomb = png_claiming(size)

    response = add_article(editor, lead_image=bomb)

    assert TOO_MANY_PIXELS in lead_image_errors(response)
    assert not Article.objects.exists()


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_decompression_bomb_warning_is_refused_when_warnings_are_errors(editor, settings):
    """Pillow warns of images between its limit (89 megapixels) and twice that; a
    warnings filter can make the warning an exception, which is refused too."""
    settings.NEWSBOARD_MAX_IMAGE_PIXELS = 150_000_000
    bomb = png_claiming((10000, 10000))

    response = add_article(editor, lead_image=bomb)

    assert "Images may have at most 150 megapixels" in lead_image_errors(response)


def test_a_refused_image_keeps_what_the_editor_typed(editor):
    response = add_article(editor, lead_image=image_file("lead.png", "GIF"))

    form = response.context["adminform"].form
    assert form.errors.keys() == {"lead_image"}
    html = response.content.decode()
    assert f'value="{HEADLINE}"' in html
    assert "The barrier held through the night, *engineers said*.</textarea>" in html
    assert 'value="The barrier at dawn"' in html


def test_a_replacement_image_on_the_change_form_is_checked_and_the_old_one_kept(editor):
    article = ArticleFactory(lead_image=image_file("first.png", "PNG"))
    image, thumbnail = article.lead_image.name, article.lead_image_thumbnail.name

    response = editor.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(slug=article.slug, lead_image=image_file("second.jpg", "GIF")),
    )

    assert NOT_AN_ACCEPTED_IMAGE in lead_image_errors(response)
    article.refresh_from_db()
    assert (article.lead_image.name, article.lead_image_thumbnail.name) == (image, thumbnail)


def test_saving_without_a_new_image_keeps_the_image_and_its_thumbnail(editor):
    article = ArticleFactory(lead_image=image_file("first.png", "PNG"))
    image, thumbnail = article.lead_image.name, article.lead_image_thumbnail.name

    response = editor.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(slug=article.slug, headline="Barrier holds, river falls"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Barrier holds, river falls"
    assert (article.lead_image.name, article.lead_image_thumbnail.name) == (image, thumbnail)


# No URL a user types is fetched by the server. A server on 127.0.0.1 records every
# connection made to it while comments and articles pointing at it are posted and shown.


class ConnectionRecorder:
    """A TCP server on 127.0.0.1 that records each connection made to it and closes it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        # How often the accepting thread looks whether it should stop.
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.accept_until_stopped, daemon=True)
        self.thread.start()

    def accept_until_stopped(self):
        while not self.stopping.is_set():
            try:
                connection, address = self.listener.accept()
            except TimeoutError:
                continue
            self.connections.append(address)
            connection.close()

    def stop(self):
        """Stop, counting too the connections the thread had not accepted yet."""
        self.stopping.set()
        self.thread.join()
        self.listener.setblocking(False)
        while True:
            try:
                connection, address = self.listener.accept()
            except BlockingIOError:
                break
            self.connections.append(address)
            connection.close()
        self.listener.close()
        return self.connections


@pytest.fixture
def recorder():
    recorder = ConnectionRecorder()
    yield recorder
    if not recorder.stopping.is_set():
        recorder.stop()


def test_the_connection_recorder_sees_a_fetch(recorder):
    """The tests below would prove nothing if the recorder missed connections."""
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{recorder.url}/pixel.png", timeout=5)

    assert len(recorder.stop()) == 1


def test_comment_markdown_never_makes_an_img(client, article, recorder, settings):
    settings.NEWSBOARD_MAX_LINKS = 10
    body = (
        f"![a pixel]({recorder.url}/markdown.png)\n\n"
        f'<img src="{recorder.url}/html.png">\n\n'
        f"![reference][pixel]\n\n[pixel]: {recorder.url}/reference.png"
    )
    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"body": body, "name": "Pixel Tracker", "email": "pixels@example.org"},
    )
    assert response.status_code == 303

    comment = article.comments.get()
    assert "<img" not in comment.body_html
    assert "<img" not in client.get(article.get_absolute_url()).content.decode()


def test_posting_and_showing_a_comment_fetches_none_of_its_urls(
    client, article, recorder, settings
):
    settings.NEWSBOARD_MAX_LINKS = 10
    body = (
        f"See ![this]({recorder.url}/image.png), [this page]({recorder.url}/page) "
        f"and {recorder.url}/bare-link"
    )
    response = client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"body": body, "name": "Link Sharer", "email": "links@example.org"},
    )
    assert response.status_code == 303
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(response["Location"]).status_code == 200

    assert recorder.stop() == []


def test_saving_and_showing_an_article_fetches_none_of_its_urls(editor, client, recorder):
    body = f"![The barrier]({recorder.url}/barrier.jpg)\n\n[The plan]({recorder.url}/plan)"
    response = add_article(editor, body=body, lead_image=image_file("lead.jpg", "JPEG"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert f'src="{recorder.url}/barrier.jpg"' in article.body_html
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:rss")).status_code == 200

    assert recorder.stop() == []
