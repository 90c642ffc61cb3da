"""The trainer's live progress grid, as the bench finds it: the page's address in the app's routes, and the
refresh address its script asks every few seconds."""

from __future__ import annotations

import html
import json
import re
import time

GRID_WORDS = ("grid", "progress", "live", "board")
GRID_CONNECTIONS = 5  # a few trainers of one workshop watching its grid, not 50


def grid_path(app, workshop_id: int | None) -> str | None:
    """The trainer's live progress grid of the workshop (the whole page), if the workshop views register one."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if workshop_id
        and rule.rule.startswith("/workshops/")
        and set(rule.arguments) == {"workshop_id"}
        and "GET" in rule.methods
        and any(word in rule.endpoint for word in GRID_WORDS)
    ]
    rules.sort(key=lambda rule: (not rule.endpoint.endswith(GRID_WORDS), len(rule.rule)))
    if not rules:
        return None
    return rules[0].rule.replace("<int:workshop_id>", str(workshop_id)).replace("<workshop_id>", str(workshop_id))


def grid_refresh_path(browser, grid: str) -> str | None:
    """What the grid page's script asks every few seconds when nothing changed since the page was made: its
    refresh address with the page's version (refreshed until the answer is 204, as the script does)."""
    page = browser.get(grid).text
    url = re.search(r'data-refresh-url="([^"]+)"', page)
    version = re.search(r'data-version="([^"]+)"', page)
    if not url or not version:
        return None
    base = html.unescape(url.group(1))
    current = version.group(1)
    for _ in range(30):
        path = f"{base}{'&' if '?' in base else '?'}since={current}"
        reply = browser.get(path)
        if reply.status == 204:
            return path
        current = json.loads(reply.text).get("version", current) if reply.status == 200 else current
        time.sleep(1)
    return None
