"""The notifier: reaching a person on the channel they use, through an outbox.

Why an outbox: a notice (a consent request, a new health record) is written as a row before any
channel is tried, so a Telegram or SMS gateway that is down, or a process that restarts, loses
nothing; a worker delivers due rows, retries with backoff and never sends one twice. Channels
plug in as `Deliverer`s (`core.notify.ports`): SMS here, Telegram in `bot.notify_deliverer`, so
core never imports a wire library.
"""
