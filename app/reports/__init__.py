"""Dashboards for groups and organisations: participation, overdue, scores, weak patterns, item facility, exports."""
