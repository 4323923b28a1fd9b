"""The visitors of the load benchmark (run by bench/load.py, which sets the environment):
anonymous people browsing the public pages, and signed-in National Focal Points working in the
private area.

BENCH_URLS names a JSON file of sample pages ({"public": [[kind of page, URL], ...], "private":
[...], "searches": [words, ...]}); statistics are kept per kind of page, not per record.
BENCH_FOCAL_POINTS is how many focal points (``fixed_count``: the other users are the public);
BENCH_ACCOUNTS lists their e-mail addresses, comma-separated; BENCH_PASSWORD is their password.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from requests.cookies import RequestsCookieJar

URLS = json.loads(Path(os.environ["BENCH_URLS"]).read_text(encoding="utf-8"))
ACCOUNTS = itertools.cycle(os.environ.get("BENCH_ACCOUNTS", "").split(","))
# Visitors pick a kind of page first, then one of its records: the home page and the lists are
# visited as often as any one kind of record page, as people browse, however many records there are.
PAGES = {
    area: {name: [url for kind, url in URLS[area] if kind == name] for name, _url in URLS[area]}
    for area in ("public", "private")
}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PlainHttpCookieJar(RequestsCookieJar):
    """Keeps every cookie as if it were not Secure.

    The portal sets its cookies Secure, as production does behind TLS; the benchmark speaks
    plain HTTP on loopback, where a client sends no Secure cookie back. (A cookie policy would
    not do: requests copies the jar into a fresh one, with the default policy, per request.)
    """

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class PublicVisitor(HttpUser):
    """Someone reading about the Dialogue: lists, then records, now and then a search."""

    wait_time = between(1, 3)

    @task(10)
    def page(self):
        name = random.choice(list(PAGES["public"]))
        self.client.get(random.choice(PAGES["public"][name]), name=name)

    @task(1)
    def search(self):
        self.client.get(f"/en/search/?q={random.choice(URLS['searches'])}", name="search")


class FocalPoint(HttpUser):
    """A National Focal Point: signs in once through the login form, then reads the private
    area (dashboard, restricted documents, labelling requests, the laboratory of ideas)."""

    wait_time = between(1, 3)
    fixed_count = int(os.environ.get("BENCH_FOCAL_POINTS", "0"))

    def on_start(self):
        self.client.cookies = PlainHttpCookieJar()
        login_page = self.client.get("/en/accounts/login/", name="login form")
        token = CSRF_FIELD.search(login_page.text)
        with self.client.post(
            "/en/accounts/login/",
            {
                "login": next(ACCOUNTS),
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/en/accounts/login/"},
            name="login",
            catch_response=True,
        ) as response:
            # In the account's own language: /en/private/ or /fr/private/.
            if not re.search(r"/(en|fr)/private/$", response.url):
                response.failure(f"not signed in: ended at {response.url}")

    @task
    def page(self):
        name = random.choice(list(PAGES["private"]))
        url = random.choice(PAGES["private"][name])
        with self.client.get(url, name=name, catch_response=True) as response:
            # A lost session answers with the login page, which is a 200: still a failure.
            if "/accounts/login/" in response.url:
                response.failure("signed out: sent to the login page")
