"""课堂竞答: a live, host-paced class game on the projector, with every player's answers kept as an
attempt of the class (so boards, reports, certificates and pledges follow through play's finish)."""
