"""Entry point: `flask --app app run` and gunicorn (`app:app`) find the application here."""

from greencustoms import create_app

app = create_app()
