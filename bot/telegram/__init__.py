"""The Telegram edge: python-telegram-bot 22 in front of the dialog engine."""
