"""Leaderboards: the class board, the organisation board and the campaign board, ranked by stated rules."""
