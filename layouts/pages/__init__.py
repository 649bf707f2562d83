"""One module per page; each exposes `layout(user, params)`."""
