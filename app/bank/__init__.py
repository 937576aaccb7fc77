"""The question bank: YAML files in question_bank/, validated, imported and counted."""
