"""Read-only aggregates of exchanges, certificates, enrolments and learners for association staff."""
