"""The AnkiConnect protocol (version 6) and the errors a user can act on."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from typing import Any

from deckmark.errors import DeckmarkError

DEFAULT_URL = "http://127.0.0.1:8765"
ANKICONNECT_ADDON_CODE = "2055492159"
MIN_VERSION = 6
"""AnkiConnect's API version 6 (2018) has every action push uses (multi, notesInfo, ...)."""

INSTALL_HINT = (
    "is Anki running with the AnkiConnect add-on? "
    f"Install it in Anki: Tools > Add-ons > Get Add-ons..., code {ANKICONNECT_ADDON_CODE}, "
    "then restart Anki"
)


class AnkiConnectError(DeckmarkError):
    """AnkiConnect could not be used: not reachable, refused us, or too old."""


class AnkiNotRunningError(AnkiConnectError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot reach AnkiConnect at {url} ({reason}): {INSTALL_HINT}")


class AnkiKeyRefusedError(AnkiConnectError):
    def __init__(self, url: str, key: str | None) -> None:
        given = "the API key given was refused" if key else "it requires an API key"
        super().__init__(
            f"AnkiConnect at {url}: {given}; pass it with --key or set anki_key in the deckmark "
            "config file (Anki: Tools > Add-ons > AnkiConnect > Config, apiKey)"
        )


class AnkiConnectTooOldError(AnkiConnectError):
    def __init__(self, url: str, version: object) -> None:
        super().__init__(
            f"AnkiConnect at {url} speaks API version {version}, deckmark needs {MIN_VERSION} "
            "or newer: update the add-on in Anki (Tools > Add-ons > Check for Updates)"
        )


class AnkiRequestError(AnkiConnectError):
    """Anki answered an action with an error."""

    def __init__(self, action: str, message: str) -> None:
        self.action = action
        super().__init__(f"AnkiConnect refused {action}: {message}")


class AnkiConnect:
    """A client for one AnkiConnect endpoint. Every call is one HTTP POST."""

    def __init__(self, url: str = DEFAULT_URL, key: str | None = None, timeout: float = 30) -> None:
        self.url = url
        self.key = key
        self.timeout = timeout

    def invoke(self, action: str, **params: Any) -> Any:
        """Run one action; its result, or an AnkiConnectError."""
        request: dict[str, Any] = {"action": action, "version": MIN_VERSION, "params": params}
        if self.key:
            request["key"] = self.key
        reply = self._post(request)
        if not isinstance(reply, dict) or set(reply) != {"result", "error"}:
            raise AnkiNotRunningError(self.url, "the answer is not from AnkiConnect")
        error = reply["error"]
        if error is not None:
            if "api key" in str(error).lower():
                raise AnkiKeyRefusedError(self.url, self.key)
            raise AnkiRequestError(action, str(error))
        return reply["result"]

    def check_version(self) -> int:
        """The endpoint's API version; errors if it is not a usable AnkiConnect."""
        version = self.invoke("version")
        if not isinstance(version, int) or version < MIN_VERSION:
            raise AnkiConnectTooOldError(self.url, version)
        return version

    def _post(self, request: dict[str, Any]) -> Any:
        if not self.url.startswith(("http://", "https://")):
            raise AnkiConnectError(
                f"AnkiConnect address {self.url!r}: give it as http://host:port, "
                f"for example {DEFAULT_URL}"
            )
        body = json.dumps(request).encode()
        http_request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            payload = e.read()  # AnkiConnect-compatible servers put the error in a JSON body
            if not payload:
                raise AnkiNotRunningError(self.url, f"HTTP {e.code}") from e
        except urllib.error.URLError as e:
            raise AnkiNotRunningError(self.url, _reason(e.reason)) from e
        except TimeoutError as e:
            raise AnkiNotRunningError(self.url, f"no answer within {self.timeout:g} s") from e
        except (ConnectionError, OSError) as e:
            raise AnkiNotRunningError(self.url, _reason(e)) from e
        except http.client.HTTPException as e:  # something that does not speak HTTP
            raise AnkiNotRunningError(self.url, "the answer is not from AnkiConnect") from e
        try:
            return json.loads(payload)
        except ValueError as e:
            raise AnkiNotRunningError(self.url, "the answer is not from AnkiConnect") from e


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "no answer"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    return str(getattr(reason, "strerror", None) or reason)
