"""The shared HTTP client (builder/sources/http.py), against servers on 127.0.0.1 only."""

from __future__ import annotations

import socket
import time

import pytest
from werkzeug import Response as WerkzeugResponse

from builder.sources.http import USER_AGENT, FetchError, Limits, fetch


def test_a_page_is_fetched_with_the_projects_user_agent(httpserver):
    httpserver.expect_request("/a", headers={"User-Agent": USER_AGENT}).respond_with_data(
        "<p>hello</p>", content_type="text/html; charset=utf-8")
    answer = fetch(httpserver.url_for("/a"))
    assert (answer.status, answer.body, answer.moved) == (200, b"<p>hello</p>", False)
    assert answer.content_type == "text/html; charset=utf-8"


def test_redirects_are_followed_and_every_step_recorded(httpserver):
    httpserver.expect_request("/old").respond_with_response(
        WerkzeugResponse(status=301, headers={"Location": "/moved"}))
    httpserver.expect_request("/moved").respond_with_response(
        WerkzeugResponse(status=302, headers={"Location": "/new"}))
    httpserver.expect_request("/new").respond_with_data("here")
    answer = fetch(httpserver.url_for("/old"))
    assert answer.final_url == httpserver.url_for("/new")
    assert answer.redirects == (httpserver.url_for("/old"), httpserver.url_for("/moved"))


def test_more_than_ten_redirects_is_an_error(httpserver):
    for n in range(12):
        httpserver.expect_request(f"/r{n}").respond_with_response(
            WerkzeugResponse(status=302, headers={"Location": f"/r{n + 1}"}))
    with pytest.raises(FetchError) as raised:
        fetch(httpserver.url_for("/r0"))
    assert raised.value.kind == "too-many-redirects"


def test_a_body_over_the_limit_is_refused_while_it_streams(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError) as raised:
        fetch(httpserver.url_for("/big"), limits=Limits(max_bytes=1000))
    assert raised.value.kind == "too-large"


def test_a_server_that_stalls_is_a_timeout(httpserver):
    def stall(request):
        time.sleep(2)
        return WerkzeugResponse("late")
    httpserver.expect_request("/slow").respond_with_handler(stall)
    started = time.monotonic()
    with pytest.raises(FetchError) as raised:
        fetch(httpserver.url_for("/slow"), limits=Limits(read_seconds=0.3))
    assert raised.value.kind == "timeout"
    assert time.monotonic() - started < 1.8


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as raised:
        fetch(f"http://127.0.0.1:{port}/")
    assert raised.value.kind == "connect"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "/relative",
                                 "http://", "ftp://example.org/x"])
def test_only_absolute_http_addresses_are_asked_for(url):
    with pytest.raises(FetchError) as raised:
        fetch(url)
    assert raised.value.kind == "invalid-url"
