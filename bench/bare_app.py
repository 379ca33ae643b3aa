"""The ceiling for bench/load.py: a bare Flask app answering one small JSON object, served like the API."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/ceiling")
def ceiling() -> dict[str, str]:
    return {"status": "ok"}
