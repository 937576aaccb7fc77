"""Teacher, organiser and admin accounts: sign-in, roles and who may see what."""
