"""Template filters of the forum: ``{% load forum %}``."""
