"""The released schema versions, one module each: ``vNNNN_name.py`` holding its ``SQL``.

Python modules rather than .sql files so that every install (wheel, Debian package) carries
them without package-data settings. A released version is frozen: a change is a new module.
"""
