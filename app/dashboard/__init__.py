"""Teachers and organisers manage their organisations, groups, assignments, rosters and own quizzes."""
