"""The client's address behind reverse proxies: X-Forwarded-For is believed only from the
proxies in NEWSBOARD_TRUSTED_PROXIES, and only as far as they go, for stored comments,
rate limits, IP blocks, reports and sign-in lockouts."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from comments.models import Block, Comment, Report
from newsboard import settings as newsboard_settings
from newsboard.http import client_ip

from ..factories import UserFactory, guest_data, post, post_url

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def behind_proxy(settings):
    settings.NEWSBOARD_TRUSTED_PROXIES = ["10.0.0.0/24"]


def through_proxy(forwarded_for, remote_addr=PROXY):
    """The request headers a proxy at remote_addr sends with this X-Forwarded-For."""
    return {"REMOTE_ADDR": remote_addr, "HTTP_X_FORWARDED_FOR": forwarded_for}


def address_of(**meta):
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, article):
    client.post(post_url(article), guest_data(), **through_proxy("203.0.113.7", "198.51.100.4"))
    assert Comment.objects.get().ip_address == "198.51.100.4"


def test_a_spoofing_client_that_is_not_a_trusted_proxy_keeps_its_own_address(behind_proxy):
    assert address_of(**through_proxy("10.0.0.2", "198.51.100.4")) == "198.51.100.4"


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_stored(
    client, article, behind_proxy
):
    response = client.post(post_url(article), guest_data(), **through_proxy("203.0.113.7"))
    assert response.status_code == 303
    assert Comment.objects.get().ip_address == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_to_the_client(behind_proxy):
    forwarded = "198.51.100.66, 203.0.113.7, 10.0.0.3, 10.0.0.2"
    assert address_of(**through_proxy(forwarded)) == "203.0.113.7"


def test_an_untrusted_hop_in_the_chain_ends_the_walk(behind_proxy):
    forwarded = "203.0.113.7, 198.51.100.9, 10.0.0.2"
    assert address_of(**through_proxy(forwarded)) == "198.51.100.9"


def test_a_request_from_inside_the_proxy_network_is_the_innermost_proxy(behind_proxy):
    assert address_of(**through_proxy("10.0.0.3, 10.0.0.2")) == "10.0.0.3"


@pytest.mark.parametrize(
    "forwarded",
    [
        "",
        "unknown",
        " , ,",
        "999.0.0.1",
        "203.0.113.7, not an address",
        "<script>alert(1)</script>",
        "203.0.113.7\x00",
        "1" * 10_000,
        "[2001:db8::7",
        "fe80::1%",
    ],
)
def test_garbage_in_x_forwarded_for_falls_back_to_the_proxy(
    client, article, behind_proxy, forwarded
):
    response = client.post(post_url(article), guest_data(), **through_proxy(forwarded))
    assert response.status_code == 303
    assert Comment.objects.get().ip_address == PROXY


def test_garbage_left_of_the_client_is_never_read(behind_proxy):
    assert address_of(**through_proxy("<script>, unknown, 203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded, client_address",
    [
        ("2001:DB8:0:0::0007", "2001:db8::7"),
        ("[2001:db8::7]:4711", "2001:db8::7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("fe80::7%eth0", "fe80::7"),
        ("203.0.113.7:4711", "203.0.113.7"),
    ],
)
def test_ipv6_proxies_and_clients_are_understood(settings, forwarded, client_address):
    settings.NEWSBOARD_TRUSTED_PROXIES = ["2001:db8:ffff::/48"]
    assert address_of(**through_proxy(forwarded, "2001:db8:ffff::1")) == client_address


def test_the_rate_limit_counts_each_client_behind_the_proxy_separately(
    article, behind_proxy, settings
):
    settings.NEWSBOARD_RATE_LIMITS = {"ip": (2, 600), "author": (100, 600)}
    first, second = Client(), Client()
    for n in range(2):
        data = guest_data(body=f"n{n}", email=f"r{n}@example.org")
        first.post(post_url(article), data, **through_proxy("203.0.113.7"))
    limited = first.post(
        post_url(article), guest_data(email="r9@example.org"), **through_proxy("203.0.113.7")
    )
    other = second.post(
        post_url(article), guest_data(email="s@example.org"), **through_proxy("198.51.100.4")
    )
    assert limited.status_code == 429
    assert other.status_code == 303


def test_a_blocked_network_is_matched_against_the_forwarded_client(client, article, behind_proxy):
    Block.objects.create(kind=Block.Kind.IP, value="203.0.113.0/24")
    blocked = client.post(post_url(article), guest_data(), **through_proxy("203.0.113.7"))
    allowed = client.post(post_url(article), guest_data(), **through_proxy("198.51.100.4"))
    assert blocked.status_code == 400
    assert "network are not accepted" in blocked.content.decode()
    assert allowed.status_code == 303


def test_guests_behind_the_same_proxy_each_count_as_a_reporter(article, behind_proxy):
    comment = post(article)
    url = reverse("comments:report", kwargs={"pk": comment.pk})
    for address in ("203.0.113.7", "198.51.100.4"):
        Client().post(url, {"reason": "spam"}, **through_proxy(address))
    assert sorted(Report.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.4",
        "203.0.113.7",
    ]


def test_sign_in_lockout_is_per_forwarded_client(behind_proxy):
    reader = UserFactory()
    attempt = {"username": reader.username, "password": "not the password"}
    attacker, reader_browser = Client(), Client()
    responses = [
        attacker.post(reverse("login"), attempt, **through_proxy("203.0.113.7")) for _ in range(5)
    ]
    signed_in = reader_browser.post(
        reverse("login"), {**attempt, "password": PASSWORD}, **through_proxy("198.51.100.4")
    )
    assert responses[-1].status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert signed_in.status_code == 302
    assert reader_browser.session["_auth_user_id"] == str(reader.pk)


def test_trusted_proxies_setting_accepts_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", " 10.0.0.1, 10.1.0.7/16 ,2001:db8::/32,")
    assert newsboard_settings.env_networks("DJANGO_TRUSTED_PROXIES") == [
        "10.0.0.1/32",
        "10.1.0.0/16",
        "2001:db8::/32",
    ]


def test_trusted_proxies_setting_refuses_what_is_not_an_address(monkeypatch):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.1,proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="proxy.internal"):
        newsboard_settings.env_networks("DJANGO_TRUSTED_PROXIES")
