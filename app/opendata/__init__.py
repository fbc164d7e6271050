"""Open data: iCalendar feeds of upcoming sessions and the catalogue as JSON and CSV."""
