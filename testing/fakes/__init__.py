"""Hand-written fakes of services this machine cannot reach (Telegram's Bot API).

Why fakes and not mocks: a fake speaks the real wire format over a real socket, so the code under
test runs exactly as in production (aiogram's own HTTP session, its form encoding, its error
mapping) and a test asserts on what the far side received, not on which functions were called.
"""
