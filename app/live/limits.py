"""Rate limits of the live game, keyed per player and per game, never per IP: a whole school sits
behind one address, and forty classes answering at once would trip any per-IP limit."""

from __future__ import annotations

from flask import current_app, request, session

from app.ratelimit.keys import limit_setting


def join_limit() -> str:
    """Joins per game and minute: the cap on players does the real work (app.live.games.player_cap)."""
    return str(current_app.config.get("RATELIMIT_LIVE_JOIN", "600 per minute"))


def answer_limit() -> str:
    return limit_setting("RATELIMIT_ANSWER")


def host_limit() -> str:
    return limit_setting("RATELIMIT_ANSWER")


def game_key() -> str:
    args = request.view_args or {}
    return f"live-game:{str(args.get('pin') or args.get('game_id') or '')[:12]}"


def player_key() -> str:
    """The player's bearer token (API) or the phone's participant (pages), per game."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return f"live-player:{auth[7:47]}"
    return f"live-player:{session.get('pid')}:{game_key()}"
