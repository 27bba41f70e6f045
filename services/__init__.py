"""Domain logic with no Flask request in it, shared by views, the CLI and the API."""
