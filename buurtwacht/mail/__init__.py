"""E-mail: rendered and queued in the transaction that causes it, sent over SMTP after commit."""
