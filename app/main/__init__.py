"""The first screen, the track pages, the 长辈版 switch and the join-code box."""
