"""Pages of the sales core (server-rendered, htmx for search, paging and quick-add)."""
