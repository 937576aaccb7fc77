"""JSON API v1 (see ../shared/contract.md): bearer tokens, no cookies, so no CSRF."""
