"""The benchmark of issue 2 item 10: `make bench` (`python -m bench --help`).

seed.py and data.py build a large bilingual catalogue with bulk inserts; server.py runs it under gunicorn;
load.py drives a bounded load; urls.py draws each page kind's URLs from a fixed seed; report.py counts SQL
statements and compares the figures with the targets; profile.py shows where a page's time goes.
"""
