"""What a learner takes away: completion certificates, the signed pledge, and the family link."""
