"""A loopback fake of the Telegram Bot API, for a real aiogram `Bot` to talk to.

Why an HTTP server and not aiogram's `MockedBot` session: the code under test keeps its real
`AiohttpSession`, so request building (`build_form_data`: form fields, JSON-encoded nested
objects, multipart uploads behind `attach://`), URL forming (`TelegramAPIServer.from_base`) and
error mapping (429 -> `TelegramRetryAfter`, 403 -> `TelegramForbiddenError`) all run as in
production. The fake records every call with its parsed parameters and the time it arrived, and
can be told to answer 429 (rate limit), 5xx (outage) or 403 (a user who blocked the bot).
Files users send (`UpdateFactory.photo(jpeg=...)`, `.document(data=...)`) are kept, so `getFile`
answers their `file_path` and a plain GET of `/file/bot<token>/<file_path>` downloads them.

    async with TelegramApiFake().running() as api:
        api.add_user(user(42))
        bot = create_bot(api.token, api.base_url)
        await bot.send_message(42, "<b>Hi</b>")
        assert api.texts(42) == ["Hi"]
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from testing.fakes.telegram_methods import METHODS
from testing.fakes.telegram_state import BotApiState, bot_user_from_token, scope_key
from testing.fakes.telegram_wire import ApiError, Upload, read_parameters

DEFAULT_TOKEN = "123456789:AAFakeTokenForTheArogyaTestSuite_0123"


@dataclass(frozen=True)
class ApiCall:
    """One request as the server saw it."""

    method: str
    params: dict[str, Any]
    uploads: dict[str, Upload]
    #: When it arrived, on the fake's clock (monotonic seconds unless a test injects one).
    at: float
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass
class _Failure:
    """A scripted refusal: `times` more answers (None: until cleared) for `method` (or any)."""

    error: ApiError
    times: int | None
    method: str | None


class TelegramApiFake:
    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "arogya_test_bot",
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.clock = clock
        self.state = BotApiState(bot_user_from_token(token, bot_username), wall_clock)
        self.calls_made: list[ApiCall] = []
        #: Paths of the files downloaded, in order.
        self.downloads: list[str] = []
        self._failures: list[_Failure] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # lifecycle ------------------------------------------------------------------------------

    def app(self) -> web.Application:
        # Telegram takes uploads up to 50 MB; aiohttp's default body limit is 1 MB.
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    async def start(self) -> str:
        self._runner = web.AppRunner(self.app(), handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def close(self) -> None:
        self.state.updates_arrived.set()  # release a pending long poll
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[TelegramApiFake]:
        await self.start()
        try:
            yield self
        finally:
            await self.close()

    # the endpoint ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = self.clock()
        method_name = request.match_info["method"]
        params: dict[str, Any] = {}
        uploads: dict[str, Upload] = {}
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            known = METHODS.get(method_name.lower())
            if known is None:
                raise ApiError(404, "Not Found")
            method_name, handler = known
            params, uploads = await read_parameters(request)
            self._scripted_failure(method_name)
            result = await handler(self.state, params, uploads)
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            body, status = exc.body(), exc.error_code
        self.calls_made.append(ApiCall(method_name, params, uploads, arrived, status, body))
        return web.json_response(body, status=status)

    async def _download(self, request: web.Request) -> web.Response:
        """A file at the path `getFile` gave: a plain GET answering the bytes (404 else)."""
        path = request.match_info["path"]
        upload = self.state.downloadable(path)
        if request.match_info["token"] != self.token or upload is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        self.downloads.append(path)
        return web.Response(body=upload.data, content_type="application/octet-stream")

    def _scripted_failure(self, method: str) -> None:
        for failure in self._failures:
            if failure.method not in (None, method):
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
            raise failure.error

    # switches -------------------------------------------------------------------------------

    def rate_limit(self, times: int, retry_after: int, method: str | None = None) -> None:
        """Answer the next `times` calls (of `method`, or any) 429 with `retry_after`."""
        error = ApiError(
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
        )
        self._failures.append(_Failure(error, times, method))

    def outage(self, *, times: int | None = None, method: str | None = None) -> None:
        """Answer 502 Bad Gateway, as Telegram does while it restarts, until `restore()`."""
        self._failures.append(_Failure(ApiError(502, "Bad Gateway"), times, method))

    def restore(self) -> None:
        self._failures.clear()

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to them answers 403 from now on."""
        self.state.blocked.add(chat_id)

    # setting the scene ----------------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> dict[str, Any]:
        """A user who has started the bot, so the bot may write to their private chat."""
        return self.state.add_user(user)

    def add_group(self, chat_id: int, title: str = "Family group") -> dict[str, Any]:
        return self.state.add_group(chat_id, title)

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Hand an update to the next `getUpdates`; gets the next `update_id`."""
        return self.state.queue_update(update)

    # what happened --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[ApiCall]:
        return [c for c in self.calls_made if method is None or c.method == method]

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first, as they are now (after edits)."""
        messages = self.state.messages.get(chat_id, {})
        bot_id = self.state.bot_user["id"]
        return [m for _, m in sorted(messages.items()) if m["from"]["id"] == bot_id]

    def texts(self, chat_id: int) -> list[str]:
        """Text or caption of each bot message in a chat (markup already parsed away)."""
        return [m.get("text", m.get("caption", "")) for m in self.sent(chat_id)]

    def last_sent(self, chat_id: int) -> dict[str, Any]:
        sent = self.sent(chat_id)
        assert sent, f"the bot sent nothing to chat {chat_id}"
        return sent[-1]

    def last_inline_keyboard(self, chat_id: int) -> list[list[dict[str, Any]]] | None:
        """Rows of buttons of the newest bot message that still carries an inline keyboard."""
        for message in reversed(self.sent(chat_id)):
            if "reply_markup" in message:
                rows: list[list[dict[str, Any]]] = message["reply_markup"]["inline_keyboard"]
                return rows
        return None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the user sees now (None if never sent or removed)."""
        return self.state.reply_keyboards.get(chat_id)

    def photos(self, chat_id: int) -> list[bytes]:
        """Bytes of every photo the bot sent to a chat, oldest first."""
        return [
            self.state.message_uploads[(chat_id, m["message_id"])].data
            for m in self.sent(chat_id)
            if "photo" in m
        ]

    def documents(self, chat_id: int) -> list[tuple[dict[str, Any], bytes]]:
        """Every document the bot sent to a chat (its `Document` and bytes), oldest first."""
        return [
            (m["document"], self.state.message_uploads[(chat_id, m["message_id"])].data)
            for m in self.sent(chat_id)
            if "document" in m
        ]

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return self.state.commands.get((scope_key(scope), language_code), [])

    @property
    def webhook(self) -> dict[str, Any] | None:
        return self.state.webhook

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        return self.state.callback_answers.get(callback_query_id)
