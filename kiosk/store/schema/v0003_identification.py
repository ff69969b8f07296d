"""Schema version 3 (released): how the resident was identified, on each dossier.

A JSON object {"level": ..., "methods": [...]} from kiosk/identity/assurance.py: outcomes
only (method, decision, score band, time, attesting volunteer), never biometric data.
Purged with the payload when the retention period ends.
"""

SQL = """
ALTER TABLE dossier ADD COLUMN identification TEXT;"""
