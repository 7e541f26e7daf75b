"""The one HTTP client of the project: polite, bounded, and plain about what went wrong.

Every command that goes on the network (``timeline copy URL``, ``timeline links``,
``timeline archive``) asks through here, so they all name the project in their User-Agent,
use the same timeouts, follow at most ten redirects, and never read more of a body than they
were allowed to. What a server answers is data: nothing here interprets it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from builder import __version__

# Names the tool and what it does, so that a site's operators know who is asking and why.
USER_AGENT = f"sourced-timeline/{__version__} (checks the sources cited by a published timeline)"
MAX_REDIRECTS = 10
SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Limits:
    """How long to wait and how much to read. Defaults suit slow news sites."""

    connect_seconds: float = 20.0
    read_seconds: float = 60.0
    max_bytes: int = 20_000_000  # a saved news page is well under this

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.read_seconds, connect=self.connect_seconds)


@dataclass(frozen=True)
class Response:
    url: str  # the address asked for
    final_url: str  # where the redirects, if any, ended
    status: int
    content_type: str | None
    body: bytes | None  # None for HEAD
    redirects: tuple[str, ...] = field(default=())  # every address moved through, in order
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def moved(self) -> bool:
        return self.final_url != self.url


class FetchError(Exception):
    """No answer to speak of. ``kind`` is one of: invalid-url, dns, connect, timeout,
    too-many-redirects, too-large, protocol."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def make_client(limits: Limits = Limits()) -> httpx.Client:
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=limits.timeout(),
                        follow_redirects=True, max_redirects=MAX_REDIRECTS, trust_env=False)


def make_async_client(limits: Limits = Limits(), **options) -> httpx.AsyncClient:
    return httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, timeout=limits.timeout(),
                             follow_redirects=True, max_redirects=MAX_REDIRECTS,
                             trust_env=False, **options)


def check_url(url: str) -> None:
    """Refuse, before any request, an address that is not absolute http(s)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchError("invalid-url", f"'{url}' is not a web address ({error})") from None
    if parsed.scheme not in SCHEMES or not parsed.host:
        raise FetchError("invalid-url", f"'{url}' is not an http:// or https:// address")


def read_body(response: httpx.Response, limits: Limits) -> bytes:
    """The body, read as it streams in, refused once it passes ``limits.max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError("too-large", f"{response.url} is {int(declared):,} bytes; the limit "
                                      f"is {limits.max_bytes:,}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError("too-large", f"{response.url} sends more than "
                                          f"{limits.max_bytes:,} bytes; stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)


def describe(error: httpx.HTTPError) -> FetchError:
    """An httpx error as a FetchError with a kind and plain words."""
    if isinstance(error, httpx.TooManyRedirects):
        return FetchError("too-many-redirects", f"more than {MAX_REDIRECTS} redirects")
    if isinstance(error, httpx.TimeoutException):
        return FetchError("timeout", "no answer in time")
    if isinstance(error, httpx.ConnectError):
        text = str(error)
        if "Name or service not known" in text or "nodename nor servname" in text \
                or "getaddrinfo" in text or "No address associated" in text:
            return FetchError("dns", f"the host name does not resolve ({text})")
        return FetchError("connect", f"the connection failed ({text})")
    return FetchError("protocol", f"the server's answer could not be read ({error})")


def fetch(url: str, method: str = "GET", limits: Limits = Limits(),
          client: httpx.Client | None = None) -> Response:
    """Ask for ``url`` once; raise FetchError when there is no answer to speak of."""
    check_url(url)
    own = client is None
    client = client or make_client(limits)
    try:
        with client.stream(method, url) as answer:
            body = read_body(answer, limits) if method != "HEAD" else None
            return Response(
                url=url, final_url=str(answer.url), status=answer.status_code,
                content_type=answer.headers.get("content-type"), body=body,
                redirects=tuple(str(step.url) for step in answer.history),
                headers=dict(answer.headers))
    except httpx.HTTPError as error:
        raise describe(error) from None
    finally:
        if own:
            client.close()
