"""A static stand-in for a Perspective session (spec 4.3, 9.4): DOM conventions only."""
