"""Playing a quiz: nickname, drawing questions, answering, grading and results."""
