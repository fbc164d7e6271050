"""The platform: what every feature stands on and that knows none of them.

The database and its transactions, extension objects, the shared cache and Redis, rate limits,
pagination, mail, tabular files (CSV/XLSX in and out), signing of small values, the site's own address,
the confirm page, the steps of a reviewer's decision, load-or-404, and the form fields and validators every
feature's forms use. Nothing here imports `app.i18n` or any feature: the layers contract in pyproject.toml
keeps it so.
"""
