"""Authentication and sessions: who the user is, server-side."""
