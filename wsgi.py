"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from buurtwacht import create_app

app = create_app()
