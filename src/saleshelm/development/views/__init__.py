"""Development pages (SPEC §8, §9): server-rendered, htmx where it helps, every string
translatable. Views call the same services and selectors as the API."""
