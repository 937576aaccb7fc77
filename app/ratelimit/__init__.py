"""Rate limits: who counts as one client (keys), the per-worker counters (storage) and the checks
(limiter)."""
