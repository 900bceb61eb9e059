"""Reads of the performance app, scoped by the actor. Import the selector modules directly:
``saleshelm.performance.selectors.attainment`` (attainment, leaderboard, team table,
member summary, variance, KPIs, trend), ``.targets``, ``.forecasts``, ``.pipeline``,
``.scorecards``; ``.board.Board`` shares one request's lookups between them."""
