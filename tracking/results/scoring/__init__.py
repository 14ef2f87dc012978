"""Scores as pure functions over pandas DataFrames: no ORM here, so they are fast and easy to
test with hand-computed figures. Selectors build the frames; tasks store what these return."""
