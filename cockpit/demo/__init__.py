"""The demo deployment: accounts for every role (and, later, the simulated city)."""
