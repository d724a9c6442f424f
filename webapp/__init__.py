"""The web page with the citizen chat, and the staff console: a small Sanic app next to the bot."""
